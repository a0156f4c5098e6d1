import { ADMIN_PASSWORD, dbKinds, num, runLoadGen, onEachServer, writeResult } from './lib.ts';

/**
 * The most visitor messages/s (each answered by an agent, so twice as many
 * messages stored) one node sustains before the round trip p99 passes 100 ms or
 * a message goes unanswered, as a ratio to the bare socket.io relay (target ≥ 0.3×).
 * Rates are tried in order (BENCH_STEPS, default 25,50,100,200,400,800,1600,3200),
 * BENCH_STEP_WARMUP (3) + BENCH_STEP_SECONDS (7) each, same visitors and agents.
 */
export async function maxRate(): Promise<string> {
  const params = rateSearch('25,50,100,200,400,800,1600,3200');
  const dbs = dbKinds();
  const runs = await onEachServer(dbs, (server, target) => searchMaxRate(params, target, { url: server.url, companyId: server.companyId }));
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

export type RateSearch = ReturnType<typeof rateSearch>;

/** The search's parameters from the environment; `steps` unless BENCH_STEPS. */
export const rateSearch = (steps: string) => ({
  visitors: num('BENCH_VISITORS', 1000),
  agents: num('BENCH_AGENTS', 100),
  steps: (process.env.BENCH_STEPS ?? steps).split(',').map(Number),
  warmup: num('BENCH_STEP_WARMUP', 3),
  seconds: num('BENCH_STEP_SECONDS', 7),
  p99BoundMs: 100,
});

/** One search on a server (or several nodes: `visitorUrls`/`agentUrls`); the figure is the last rate that passed. */
export async function searchMaxRate(params: RateSearch, target: 'kefu' | 'bare', where: Record<string, unknown>) {
  const result = await runLoadGen(
    { ...params, ...where, rate: 0, mode: 'roundtrip', target, adminPassword: ADMIN_PASSWORD },
    (300 + (params.warmup + params.seconds + 15) * params.steps.length) * 1000,
  );
  if (result.error) throw new Error(`${target}: ${result.error}`);
  const ok = result.steps.filter((s: any) => s.latencyMs.p99 <= params.p99BoundMs && s.lost === 0);
  return { ...result, maxRate: ok.length ? ok[ok.length - 1].rate : 0, capped: ok.length === params.steps.length };
}
