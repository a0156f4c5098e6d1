import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { KefuConfig } from '@kefu/config';

export type Db = Knex;

/**
 * One setting, two drivers: PostgreSQL through `pg` when DATABASE_URL is set,
 * otherwise the embedded PGlite under KEFU_DATA_DIR/pglite (or in memory for
 * `memory://`, used by tests, which may start it from `pgliteFrom`, a dump).
 */
export async function createDb(
  config: Pick<KefuConfig, 'DATABASE_URL' | 'KEFU_DATA_DIR'>,
  opts: { pgliteDataDir?: string; pgliteFrom?: Blob } = {},
): Promise<Db> {
  if (config.DATABASE_URL) {
    return knexFactory({
      client: 'pg',
      connection: config.DATABASE_URL,
      pool: { min: 0, max: 10 },
      acquireConnectionTimeout: 10_000,
    });
  }
  const [{ PGlite }, { pg_trgm }, { default: ClientPgLite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('knex-pglite'),
  ]);
  const dataDir = opts.pgliteDataDir ?? path.resolve(config.KEFU_DATA_DIR, 'pglite');
  if (dataDir !== 'memory://') fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    extensions: { pg_trgm },
    // A dump of a database made earlier (tests: migrated once) instead of a new one.
    ...(opts.pgliteFrom ? { loadDataDir: opts.pgliteFrom } : {}),
  });
  return knexFactory({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: { pglite } as never,
    useNullAsDefault: false,
  } as Knex.Config);
}

export const isPglite = (db: Db) => db.client.config?.client !== 'pg';

/**
 * Connections for storing messages. On PostgreSQL their sessions commit without
 * waiting for the WAL flush (`synchronous_commit = off`), so a stored message can
 * reach the other participants at once; whatever must not be answered before the
 * message is on disk (the sender's ack) waits for a WalBarrier. Nothing else
 * writes through them. The embedded database has one connection: the same instance.
 */
export function createAsyncCommitDb(db: Db): Db {
  if (isPglite(db)) return db;
  return knexFactory({
    client: 'pg',
    connection: db.client.config.connection,
    pool: {
      min: 0,
      max: 2,
      afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) =>
        conn.query('set synchronous_commit to off', (err) => done(err, conn)),
    },
    acquireConnectionTimeout: 10_000,
  });
}

/**
 * Runs one statement on a pooled PostgreSQL connection as a named (prepared) query, bypassing knex's
 * query building: for the hottest statements, whose parsing and planning — and knex's own work —
 * cost more than running them. Outside transactions, on PostgreSQL only; `text` uses $1, $2, ….
 */
export async function runPrepared(db: Db, name: string, text: string, values: unknown[] = []): Promise<Record<string, any>[]> {
  const conn = await db.client.acquireConnection();
  try {
    return (await conn.query({ name, text, values })).rows;
  } finally {
    await db.client.releaseConnection(conn);
  }
}
