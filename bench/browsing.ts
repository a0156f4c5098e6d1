import { ADMIN_PASSWORD, cpuSeconds, dbKinds, num, spawnGen, onEachServer, writeResult, type Gen, type Server } from './lib.ts';

/**
 * 10,000 visitors browsing with 200 agents watching the live visitor list
 * (issue 9): each visitor sends a page view every BENCH_BROWSE_EVERY (30) s on
 * average, so 333 page views/s in all, and every agent receives each view's
 * list update. Measured: the delay from a page view's emit to an agent
 * receiving its update (p50/p99 over all agents), and the server's CPU, for
 * Kefu and the bare relay in the same run (the ratio is the comparison).
 * Visitors (bench/browse-gen.ts) and agents (bench/watch-gen.ts) are two
 * generator processes: 10,000 sockets fit the descriptor limit of one, but
 * the agents' tens of thousands of pushes/s need a core of their own.
 * Env: BENCH_BROWSE_VISITORS (10000), BENCH_BROWSE_AGENTS (200),
 * BENCH_BROWSE_EVERY (30), BENCH_SECONDS (30), BENCH_WARMUP (10), BENCH_DB (pg).
 */
export async function browsing(): Promise<string> {
  const visitors = num('BENCH_BROWSE_VISITORS', 10_000);
  const params = {
    visitors,
    agents: num('BENCH_BROWSE_AGENTS', 200),
    rate: Math.round(visitors / num('BENCH_BROWSE_EVERY', 30)),
    seconds: num('BENCH_SECONDS', 30),
    warmup: num('BENCH_WARMUP', 10),
  };
  const dbs = dbKinds('pg');
  const runs = await onEachServer(dbs, (server, target) => browse(server, target, params));
  const bare = runs.bare;
  const ratio = (x: number, y: number) => Math.round((x / y) * 100) / 100;
  const summary = dbs.map((db) => {
    const k = runs[`kefu-${db}`];
    return {
      db,
      p50: k.delayMs.p50,
      p99: k.delayMs.p99,
      p50Ratio: ratio(k.delayMs.p50, bare.delayMs.p50),
      p99Ratio: ratio(k.delayMs.p99, bare.delayMs.p99),
      cpuPercent: k.serverCpuPercent,
      cpuRatio: ratio(k.serverCpuPercent, bare.serverCpuPercent),
      missing: k.missing,
    };
  });
  const file = writeResult('browsing', {
    params: { ...params, pageViewsPerVisitorEverySeconds: num('BENCH_BROWSE_EVERY', 30) },
    target: 'none set by the issue: measured against the bare relay in the same run',
    runs,
    summary,
  });
  const line = (r: any) => `p50 ${r.delayMs.p50} ms p99 ${r.delayMs.p99} ms, CPU ${r.serverCpuPercent} %${r.missing ? `, ${r.missing} updates missing` : ''}`;
  const parts = summary.map((s) => `Kefu/${s.db} ${line(runs[`kefu-${s.db}`])} → ${s.p50Ratio}× / ${s.p99Ratio}×, CPU ${s.cpuRatio}×`);
  return `browsing (${params.visitors} visitors, ${params.agents} agents, ${params.rate} page views/s, ${params.seconds} s): bare ${line(bare)}; ${parts.join('; ')} [${file}]`;
}

type Params = { visitors: number; agents: number; rate: number; seconds: number; warmup: number };

/** Visitors connect first, then the agents (so the 10,000 arrivals are not each pushed to 200 agents), then the page views flow. */
async function browse(server: Server, target: 'kefu' | 'bare', p: Params) {
  const common = { target, url: server.url, companyId: server.companyId };
  const cpu = { server: [0, 0], generators: [0, 0] };
  const sample = (i: number) => {
    cpu.server[i] = cpuSeconds(server.pid);
    cpu.generators[i] = cpuSeconds(visitors.pid) + cpuSeconds(watchers!.pid);
  };
  const visitors = spawnGen('bench/browse-gen.ts', { ...common, visitors: p.visitors, rate: p.rate, warmup: p.warmup, seconds: p.seconds }, 900_000, (phase) =>
    phase === 'measure' ? sample(0) : phase === 'done' ? sample(1) : undefined,
  );
  let watchers: Gen | undefined;
  try {
    await visitors.reached('connected');
    const total = Math.round(p.rate * (p.warmup + p.seconds));
    watchers = spawnGen(
      'bench/watch-gen.ts',
      { ...common, adminPassword: ADMIN_PASSWORD, agents: p.agents, total, measuredFrom: Math.round(p.rate * p.warmup) },
      900_000,
    );
    await watchers.reached('connected');
    visitors.tell('go');
    const sent = await visitors.result;
    if (sent.error) throw new Error(`visitors: ${sent.error}`);
    watchers.tell(`end ${sent.sent}`);
    const seen = await watchers.result;
    if (seen.error) throw new Error(`agents: ${seen.error}`);
    const percent = ([a, b]: number[]) => Math.round(((b - a) / p.seconds) * 100);
    return { ...sent, ...seen, serverCpuPercent: percent(cpu.server), generatorCpuPercent: percent(cpu.generators) };
  } finally {
    visitors.kill();
    watchers?.kill();
  }
}
