import { dbKinds, ADMIN_PASSWORD, cpuSeconds, num, runLoadGen, onEachServer, writeResult } from './lib.ts';

/**
 * Message round trip visitor → agent → visitor (the agent auto-replies from
 * the load generator), p50/p99, against Kefu and against the bare socket.io
 * relay in the same run; the ratio is the figure (target ≤ 3× at p50 and p99).
 * Env: BENCH_VISITORS (1000), BENCH_AGENTS (100), BENCH_RATE visitor messages/s
 * (500; each is answered, so twice that many messages are stored per second),
 * BENCH_SECONDS (20, measured), BENCH_WARMUP (5), BENCH_DB (pg,embedded).
 */
export async function roundTrip(): Promise<string> {
  const params = {
    visitors: num('BENCH_VISITORS', 1000),
    agents: num('BENCH_AGENTS', 100),
    rate: num('BENCH_RATE', 500),
    seconds: num('BENCH_SECONDS', 20),
    warmup: num('BENCH_WARMUP', 5),
  };
  const dbs = dbKinds();
  const runs = await onEachServer(dbs, async (server, target, name) => {
    let cpu0 = 0;
    let cpu1 = 0;
    const result = await runLoadGen(
      {
        ...params,
        mode: 'roundtrip',
        target,
        url: server.url,
        companyId: server.companyId,
        adminPassword: ADMIN_PASSWORD,
      },
      (params.warmup + params.seconds + 300) * 1000,
      (phase) => {
        if (phase === 'measure') cpu0 = cpuSeconds(server.pid);
        if (phase === 'done') cpu1 = cpuSeconds(server.pid);
      },
    );
    if (result.error) throw new Error(`${name}: ${result.error}`);
    return { ...result, serverCpuPercent: Math.round(((cpu1 - cpu0) / params.seconds) * 100) };
  });
  const bare = runs.bare.latencyMs;
  const ratio = (x: number, y: number) => Math.round((x / y) * 100) / 100;
  const summary = dbs.map((db) => {
    const run = runs[`kefu-${db}`];
    const k = run.latencyMs;
    const r = { db, p50: k.p50, p99: k.p99, p50Ratio: ratio(k.p50, bare.p50), p99Ratio: ratio(k.p99, bare.p99), unanswered: run.lost };
    // A run that lost answers (no reply within 10 s) has no meaningful percentile: it misses.
    return { ...r, meetsTarget: r.p50Ratio <= 3 && r.p99Ratio <= 3 && run.lost === 0 };
  });
  const file = writeResult('round-trip', { params, target: 'Kefu ≤ 3× bare socket.io at p50 and p99', runs, summary });
  const parts = summary.map(
    (s) =>
      `Kefu/${s.db} p50 ${s.p50} ms p99 ${s.p99} ms → ${s.p50Ratio}× / ${s.p99Ratio}×${s.unanswered ? ` (${s.unanswered} unanswered)` : ''} ${s.meetsTarget ? 'OK' : 'MISSES'}`,
  );
  return `round-trip (${params.visitors} visitors, ${params.agents} agents, ${params.rate} msg/s + replies, ${params.seconds} s): bare p50 ${bare.p50} ms p99 ${bare.p99} ms; ${parts.join('; ')} (target ≤ 3×) [${file}]`;
}
