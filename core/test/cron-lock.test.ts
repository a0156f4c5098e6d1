import test from 'ava';
import pino from 'pino';
import { createDb } from '../src/infra/db.ts';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { freshDatabaseUrl } from '@kefu/core/testing';

// The advisory lock matters where several nodes share one PostgreSQL; the
// embedded database belongs to a single process. Under KEFU_TEST_PG two
// supervisors with their own connection pools stand for two nodes.
if (!process.env.KEFU_TEST_PG)
  test('cron: on the embedded database a job runs directly, once per tick', async (t) => {
    const db = await createDb({ KEFU_DATA_DIR: '' }, { pgliteDataDir: 'memory://' });
    const cron = new CronSupervisor(db, pino({ level: 'silent' }));
    let n = 0;
    cron.schedule('t', 'job', '0 0 1 1 *', async () => void n++);
    t.true(await cron.runOnce('t:job'));
    t.is(n, 1);
    await cron.stopAll();
    await db.destroy();
  });

if (process.env.KEFU_TEST_PG)
  test('cron: one tick runs on exactly one of two nodes (advisory lock)', async (t) => {
    const fresh = await freshDatabaseUrl();
    const url = fresh.url!;
    const [db1, db2] = await Promise.all([createDb({ DATABASE_URL: url, KEFU_DATA_DIR: '' }), createDb({ DATABASE_URL: url, KEFU_DATA_DIR: '' })]);
    const log = pino({ level: 'silent' });
    const [c1, c2] = [new CronSupervisor(db1, log), new CronSupervisor(db2, log)];
    let runs = 0;
    const job = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 300));
    };
    c1.schedule('t', 'job', '0 0 1 1 *', job);
    c2.schedule('t', 'job', '0 0 1 1 *', job);
    const results = await Promise.all([c1.runOnce('t:job'), c2.runOnce('t:job')]);
    t.deepEqual(results.sort(), [false, true]);
    t.is(runs, 1);
    await Promise.all([c1.stopAll(), c2.stopAll()]);
    await Promise.all([db1.destroy(), db2.destroy()]);
    await fresh.drop();
  });
