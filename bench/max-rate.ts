import { ADMIN_PASSWORD, dbKinds, num, runLoadGen, startBare, startKefu, writeResult, type Server } from './lib.ts';

/**
 * The most visitor messages/s (each answered by an agent, so twice as many
 * messages stored) one node sustains before the round trip p99 passes 100 ms or
 * a message goes unanswered, as a ratio to the bare socket.io relay (target ≥ 0.3×).
 * Rates are tried in order (BENCH_STEPS, default 25,50,100,200,400,800,1600,3200),
 * BENCH_STEP_WARMUP (3) + BENCH_STEP_SECONDS (7) each, same visitors and agents.
 */
export async function maxRate(): Promise<string> {
  const params = {
    visitors: num('BENCH_VISITORS', 1000),
    agents: num('BENCH_AGENTS', 100),
    steps: (process.env.BENCH_STEPS ?? '25,50,100,200,400,800,1600,3200').split(',').map(Number),
    warmup: num('BENCH_STEP_WARMUP', 3),
    seconds: num('BENCH_STEP_SECONDS', 7),
    p99BoundMs: 100,
  };
  const dbs = dbKinds();
  const runs: Record<string, any> = {};
  const targets: [string, () => Promise<Server>][] = [
    ['bare', startBare],
    ...dbs.map((db): [string, () => Promise<Server>] => [`kefu-${db}`, () => startKefu(db)]),
  ];
  for (const [name, start] of targets) {
    const server = await start();
    try {
      const result = await runLoadGen(
        {
          ...params,
          rate: 0,
          mode: 'roundtrip',
          target: name === 'bare' ? 'bare' : 'kefu',
          url: server.url,
          companyId: server.companyId,
          adminPassword: ADMIN_PASSWORD,
        },
        (300 + (params.warmup + params.seconds + 15) * params.steps.length) * 1000,
      );
      if (result.error) throw new Error(`${name}: ${result.error}`);
      const ok = result.steps.filter((s: any) => s.latencyMs.p99 <= params.p99BoundMs && s.lost === 0);
      const capped = ok.length === params.steps.length;
      runs[name] = { server: server.kind, ...result, maxRate: ok.length ? ok[ok.length - 1].rate : 0, capped };
    } finally {
      await server.stop();
    }
  }
  const bare = runs.bare.maxRate;
  const summary = dbs.map((db) => {
    const k = runs[`kefu-${db}`].maxRate;
    const ratio = bare ? Math.round((k / bare) * 100) / 100 : 0;
    return { db, maxRate: k, ratio, meetsTarget: ratio >= 0.3 };
  });
  const file = writeResult('max-rate', { params, target: 'Kefu ≥ 0.3× the bare relay’s sustainable rate (p99 ≤ 100 ms, nothing lost)', runs, summary });
  const parts = summary.map((s) => `Kefu/${s.db} ${s.maxRate}/s → ${s.ratio}× ${s.meetsTarget ? 'OK' : 'MISSES'}`);
  return `max-rate (p99 ≤ 100 ms, ${params.visitors} visitors, ${params.agents} agents): bare ${bare}/s${runs.bare.capped ? ' (every rate tried passed: the real limit is higher)' : ''}; ${parts.join('; ')} (target ≥ 0.3×) [${file}]`;
}
