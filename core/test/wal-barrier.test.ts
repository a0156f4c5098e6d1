import test from 'ava';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { WalBarrier } from '../src/conversations/wal-barrier.ts';
import { TOKENS } from '../src/tokens.ts';
import type { Db } from '../src/infra/db.ts';

/** On PostgreSQL messages commit without waiting for the disk; their acks wait for WalBarrier (BEYOND-IDEMPOTENT-4). */
const onPostgres = process.env.KEFU_TEST_PG ? test : test.skip;
let k: TestKefu;

test.before(async () => {
  if (process.env.KEFU_TEST_PG) k = await startTestServer();
});
test.after.always(() => k?.close());

onPostgres('BEYOND-IDEMPOTENT-4 messages are written on sessions that do not wait for the disk; after the barrier their WAL is flushed', async (t) => {
  const db = k.server.db;
  const appendDb = k.server.container.resolve<Db>(TOKENS.AppendDb);
  t.is((await appendDb.raw('show synchronous_commit')).rows[0].synchronous_commit, 'off');
  t.is((await db.raw('show synchronous_commit')).rows[0].synchronous_commit, 'on', 'everything else commits as usual');
  await db.raw('create table wal_probe (n int)');
  for (let i = 0; i < 5; i++) {
    await appendDb.raw('insert into wal_probe values (?)', [i]);
    const written = (await db.raw('select pg_current_wal_insert_lsn()::text as lsn')).rows[0].lsn;
    await new WalBarrier(() => db).wait();
    const { flushed } = (await db.raw('select pg_current_wal_flush_lsn() >= ?::pg_lsn as flushed', [written])).rows[0];
    t.true(flushed, `WAL up to ${written} is on disk`);
  }
});

onPostgres('BEYOND-IDEMPOTENT-4 callers arriving together share one flush, and a failing flush rejects them all', async (t) => {
  const barrier = new WalBarrier(() => k.server.db);
  await Promise.all(Array.from({ length: 50 }, () => barrier.wait()));
  const broken = new WalBarrier(() => ({ raw: () => Promise.reject(new Error('database down')) }) as never);
  const results = await Promise.allSettled([broken.wait(), broken.wait()]);
  t.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
});

onPostgres('BEYOND-IDEMPOTENT-4 a busy node flushes at most once per interval, and a lone ack after a quiet spell waits for nothing', async (t) => {
  const barrier = new WalBarrier(() => k.server.db, 1000);
  const t0 = performance.now();
  await barrier.wait();
  const first = performance.now() - t0;
  await Promise.all([barrier.wait(), barrier.wait()]);
  const second = performance.now() - t0;
  t.true(first < 1000, `the first flush started at once (${Math.round(first)} ms)`);
  t.true(second >= 990, `the next one waited for the interval (${Math.round(second)} ms)`);
});
