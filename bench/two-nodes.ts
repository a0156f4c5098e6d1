import { searchMaxRate, rateSearch, type RateSearch } from './max-rate.ts';
import { ADMIN_PASSWORD, cpuSeconds, dbKinds, num, runLoadGen, startKefu, startRedis, writeResult, type DbKind, type Server } from './lib.ts';

/**
 * Two Kefu nodes on one PostgreSQL database and a private Redis versus one node
 * (issue 9): the max-rate search of bench/max-rate.ts on each (two nodes: the
 * visitors and the agents spread over both, as sticky sessions would, so about
 * half the chats cross nodes), ratio target ≥ 1.6×; and the round trip with
 * every visitor on node A and its agent on node B, p99 target ≤ 35 ms, next to
 * the same traffic on the single node. Steps grow by √2 from 5/s (BENCH_STEPS,
 * default 5,7,10,14,20,…) so the ratio is finer than a doubling and a busy
 * machine still yields a figure; BENCH_CROSS_RATE (50)
 * visitor messages/s for BENCH_SECONDS (20) after BENCH_WARMUP (5) for the
 * round trip; BENCH_DB (pg): PostgreSQL variants only, nodes cannot share the
 * embedded database.
 */
export async function twoNodes(): Promise<string> {
  const search = rateSearch('5,7,10,14,20,28,40,56,80,112,160,224,320,450,640,900,1280,1800,2560');
  const cross = { rate: num('BENCH_CROSS_RATE', 50), seconds: num('BENCH_SECONDS', 20), warmup: num('BENCH_WARMUP', 5) };
  const dbs = dbKinds('pg').filter((db) => db !== 'embedded');
  const runs: Record<string, any> = {};
  for (const db of dbs) {
    runs[`one-${db}`] = await oneNode(db, search, cross);
    runs[`two-${db}`] = await twoNodesOn(db, search, cross);
  }
  const summary = dbs.map((db) => {
    const one = runs[`one-${db}`];
    const two = runs[`two-${db}`];
    const ratio = one.maxRate ? Math.round((two.maxRate / one.maxRate) * 100) / 100 : 0;
    const crossP99 = two.roundTrip.latencyMs.p99;
    return {
      db,
      oneNodeRate: one.maxRate,
      twoNodeRate: two.maxRate,
      ratio,
      crossP50: two.roundTrip.latencyMs.p50,
      crossP99,
      sameNodeP99: one.roundTrip.latencyMs.p99,
      unanswered: two.roundTrip.lost,
      meetsRatio: ratio >= 1.6 && !two.capped,
      meetsCross: crossP99 <= 35 && two.roundTrip.lost === 0,
    };
  });
  const file = writeResult('two-nodes', {
    params: { ...search, crossRoundTrip: cross },
    target: 'two nodes ≥ 1.6× one node’s sustainable rate; cross-node round trip p99 ≤ 35 ms',
    runs,
    summary,
  });
  const parts = summary.map(
    (s) =>
      `Kefu/${s.db} one node ${s.oneNodeRate}/s, two ${s.twoNodeRate}/s → ${s.ratio}× ${s.meetsRatio ? 'OK' : 'MISSES'} (target ≥ 1.6×); ` +
      `cross-node round trip at ${cross.rate}/s p50 ${s.crossP50} ms p99 ${s.crossP99} ms${s.unanswered ? ` (${s.unanswered} unanswered)` : ''} ` +
      `(one node p99 ${s.sameNodeP99} ms) ${s.meetsCross ? 'OK' : 'MISSES'} (target ≤ 35 ms)`,
  );
  return `two-nodes (${search.visitors} visitors, ${search.agents} agents): ${parts.join('; ')} [${file}]`;
}

type Cross = { rate: number; seconds: number; warmup: number };

async function oneNode(db: DbKind, search: RateSearch, cross: Cross) {
  const node = await startKefu(db);
  try {
    return { server: node.kind, ...(await measure([node], search, cross, { url: node.url }, { url: node.url })) };
  } finally {
    await node.stop();
  }
}

async function twoNodesOn(db: DbKind, search: RateSearch, cross: Cross) {
  const redis = await startRedis();
  const nodes: Server[] = [];
  try {
    nodes.push(await startKefu(db, { REDIS_URL: redis.url }));
    // The second node joins the first one's database; they boot under an advisory lock, so one after the other is only tidier.
    nodes.push(await startKefu(db, { REDIS_URL: redis.url }, nodes[0]));
    const [a, b] = nodes.map((n) => n.url);
    const spread = { url: a, visitorUrls: [a, b], agentUrls: [a, b] };
    return { server: `two × ${nodes[0].kind}, Redis`, ...(await measure(nodes, search, cross, spread, { url: a, visitorUrls: [a], agentUrls: [b] })) };
  } finally {
    for (const n of nodes) await n.stop();
    await redis.stop();
  }
}

/** The rate search, then (fresh visitors, same agents) the round trip at the cross rate; each node's CPU over the whole. */
async function measure(nodes: Server[], search: RateSearch, cross: Cross, spread: Record<string, unknown>, roundTripAt: Record<string, unknown>) {
  const cpu0 = nodes.map((n) => cpuSeconds(n.pid));
  const t0 = Date.now();
  const found = await searchMaxRate(search, 'kefu', { ...spread, companyId: nodes[0].companyId });
  const roundTrip = await runLoadGen(
    { ...search, ...cross, steps: undefined, ...roundTripAt, mode: 'roundtrip', target: 'kefu', companyId: nodes[0].companyId, adminPassword: ADMIN_PASSWORD },
    (cross.warmup + cross.seconds + 300) * 1000,
  );
  if (roundTrip.error) throw new Error(`round trip: ${roundTrip.error}`);
  const seconds = (Date.now() - t0) / 1000;
  const cpuPercent = nodes.map((n, i) => Math.round(((cpuSeconds(n.pid) - cpu0[i]) / seconds) * 100));
  return { ...found, roundTrip, averageCpuPercentPerNode: cpuPercent };
}
