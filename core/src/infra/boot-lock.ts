import { type Db, isPglite } from './db.ts';

/**
 * Runs `fn` while holding a PostgreSQL session advisory lock, so several nodes
 * starting together migrate and seed one at a time (knex's own migration lock
 * makes the loser fail instead of wait). The embedded database has one process.
 */
export async function withBootLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (isPglite(db)) return fn();
  const conn = await db.client.acquireConnection();
  try {
    await conn.query("select pg_advisory_lock(hashtext('kefu:boot'))");
    return await fn();
  } finally {
    await conn.query("select pg_advisory_unlock(hashtext('kefu:boot'))").catch(() => undefined);
    await db.client.releaseConnection(conn);
  }
}
