import test from 'ava';
import { createDb } from '../src/infra/db.ts';
import { coreMigrationsDir, migrateLatest, migrateRollbackAll } from '../src/infra/migrator.ts';
import { freshDatabaseUrl } from '@kefu/core/testing';

const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

test(`core migrations run, roll back and run again on ${driver}`, async (t) => {
  const fresh = await freshDatabaseUrl();
  const db = await createDb({ DATABASE_URL: fresh.url, KEFU_DATA_DIR: '' }, { pgliteDataDir: 'memory://' });
  try {
    const applied = await migrateLatest(db, 'core', coreMigrationsDir);
    t.true(applied.length >= 1);
    const tables = async () =>
      (await db.raw("select table_name from information_schema.tables where table_schema = 'public' order by 1")).rows.map(
        (r: { table_name: string }) => r.table_name,
      );
    const after = await tables();
    for (const name of ['companies', 'agents', 'sessions', 'login_log', 'company_plugins', 'knex_migrations']) t.true(after.includes(name), name);
    t.deepEqual(await migrateLatest(db, 'core', coreMigrationsDir), [], 'a second run applies nothing');
    const trgm = await db.raw("select extname from pg_extension where extname = 'pg_trgm'");
    t.is(trgm.rows.length, 1, 'pg_trgm is available');
    await migrateRollbackAll(db, 'core', coreMigrationsDir);
    t.false((await tables()).includes('agents'));
    t.true((await migrateLatest(db, 'core', coreMigrationsDir)).length >= 1);
  } finally {
    await db.destroy();
    await fresh.drop();
  }
});
