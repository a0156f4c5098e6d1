import crypto from 'node:crypto';
import knexFactory from 'knex';

/**
 * Tests run on the embedded database by default; with KEFU_TEST_PG set (CI's
 * PostgreSQL suite) each call makes a fresh, uniquely named PostgreSQL database
 * and drops it afterwards.
 */
export async function freshDatabaseUrl(): Promise<{ url: string | undefined; drop: () => Promise<void> }> {
  const admin = process.env.KEFU_TEST_PG;
  if (!admin) return { url: undefined, drop: async () => undefined };
  const name = `kefu_t_${crypto.randomBytes(6).toString('hex')}`;
  const k = knexFactory({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
  await k.raw(`create database ${name}`);
  await k.destroy();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const k2 = knexFactory({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
      await k2.raw(`drop database if exists ${name} with (force)`);
      await k2.destroy();
    },
  };
}
