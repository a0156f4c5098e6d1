import knexFactory from 'knex';
import { ADMIN_PASSWORD, dbKinds, num, sleep, spawnGen, startKefu, writeResult } from './lib.ts';

/**
 * Soak (issue 9, not CI): chats open and close without pause for
 * BENCH_SOAK_SECONDS (600) through bench/soak-gen.ts (BENCH_SOAK_SLOTS (20)
 * chats at a time, BENCH_SOAK_MESSAGES (4) visitor messages each, every one
 * answered). Memory after a full GC in the server every BENCH_SOAK_SAMPLE (5) s:
 * first and last, and the least-squares slope after the first minute (or fifth
 * of a shorter run: start-up and the first pool and cache fills are not leaks). Flat: heap slope under
 * 0.2 MiB/min and RSS slope under 1 MiB/min (2 and 10 MiB over ten minutes).
 * Error-level lines (pino level ≥ 50) in the server's output; and sent (acked)
 * = stored (rows in PostgreSQL) = delivered (received at the other side).
 * PostgreSQL only (BENCH_DB, first variant): the count reads the node's database.
 */
export async function soak(): Promise<string> {
  const params = {
    seconds: num('BENCH_SOAK_SECONDS', 600),
    slots: num('BENCH_SOAK_SLOTS', 20),
    messages: num('BENCH_SOAK_MESSAGES', 4),
    agents: num('BENCH_SOAK_AGENTS', 10),
    paceMs: 500,
  };
  const every = num('BENCH_SOAK_SAMPLE', 5);
  const db = dbKinds('pg').find((d) => d !== 'embedded') ?? 'pg';
  const node = await startKefu(db);
  const samples: { s: number; rssMiB: number; heapMiB: number }[] = [];
  let gen;
  let stored;
  try {
    const t0 = Date.now();
    const run = spawnGen(
      'bench/soak-gen.ts',
      { ...params, url: node.url, companyId: node.companyId, adminPassword: ADMIN_PASSWORD },
      (params.seconds + 400) * 1000,
    );
    let running = true;
    void run.result.finally(() => (running = false)).catch(() => undefined);
    await run.reached('agents');
    while (running) {
      const m = await node.memory();
      samples.push({ s: (Date.now() - t0) / 1000, rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed + m.external) });
      await sleep(every * 1000);
    }
    gen = await run.result;
    if (gen.error) throw new Error(gen.error);
    const k = knexFactory({ client: 'pg', connection: node.databaseUrl, pool: { min: 0, max: 1 } });
    // Replies are `soak-a-…`, so one pattern counts both directions.
    stored = await k('messages')
      .whereLike('client_id', 'soak-%')
      .whereIn('sender_kind', ['visitor', 'agent'])
      .first(k.raw('count(*)::int as rows, count(distinct client_id)::int as distinct'));
    await k.destroy();
  } finally {
    await node.stop();
  }
  const lines = node.output().split('\n');
  const level = (l: string) => (l.startsWith('{') ? (JSON.parse(l).level ?? 0) : 0);
  const logged = { error: lines.filter((l) => level(l) >= 50).length, warn: lines.filter((l) => level(l) === 40).length };
  const settled = samples.filter((x) => x.s >= Math.min(60, params.seconds / 5));
  const memory = {
    samples: samples.length,
    first: samples[0],
    last: samples[samples.length - 1],
    heapSlopeMiBPerMin: slope(settled, 'heapMiB'),
    rssSlopeMiBPerMin: slope(settled, 'rssMiB'),
  };
  const flat = memory.heapSlopeMiBPerMin < 0.2 && memory.rssSlopeMiBPerMin < 1;
  const accounted =
    gen.sent === stored.rows && stored.rows === stored.distinct && gen.delivered === gen.sent && gen.unexpectedCount === 0 && gen.duplicates === 0;
  const file = writeResult('soak', {
    params: { ...params, sampleSeconds: every, db },
    target: 'memory flat (heap slope < 0.2 MiB/min, RSS slope < 1 MiB/min after the first minute), no error logged, sent = stored = delivered',
    chats: gen,
    stored,
    logged,
    memory,
    series: samples,
    meets: { flat, noErrors: logged.error === 0, accounted },
  });
  const f = (x: { rssMiB: number; heapMiB: number }) => `${x.rssMiB}/${x.heapMiB}`;
  return (
    `soak (${params.seconds} s, ${gen.opened} chats opened, ${gen.ended} ended): RSS/heap MiB ${f(memory.first)} → ${f(memory.last)}, ` +
    `slope ${memory.rssSlopeMiBPerMin}/${memory.heapSlopeMiBPerMin} MiB/min ${flat ? 'flat' : 'GROWS'}; ${logged.error} error lines${logged.warn ? ` (${logged.warn} warnings)` : ''}; ` +
    `sent ${gen.sent} = stored ${stored.rows} = delivered ${gen.delivered} ${accounted ? 'OK' : 'MISMATCH'} [${file}]`
  );
}

const mib = (b: number) => Math.round((b / 2 ** 20) * 100) / 100;

/** Least-squares slope of `key` over time, per minute. */
function slope<K extends string>(xs: ({ s: number } & Record<K, number>)[], key: K): number {
  if (xs.length < 2) return NaN;
  const mx = xs.reduce((a, x) => a + x.s, 0) / xs.length;
  const my = xs.reduce((a, x) => a + x[key], 0) / xs.length;
  const cov = xs.reduce((a, x) => a + (x.s - mx) * (x[key] - my), 0);
  const v = xs.reduce((a, x) => a + (x.s - mx) ** 2, 0);
  return Math.round((cov / v) * 60 * 1000) / 1000;
}
