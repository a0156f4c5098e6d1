import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { KefuConfig } from '@kefu/config';

export type Db = Knex;

/**
 * One setting, two drivers: PostgreSQL through `pg` when DATABASE_URL is set,
 * otherwise the embedded PGlite under KEFU_DATA_DIR/pglite (or in memory for
 * `memory://`, used by tests).
 */
export async function createDb(config: Pick<KefuConfig, 'DATABASE_URL' | 'KEFU_DATA_DIR'>, opts: { pgliteDataDir?: string } = {}): Promise<Db> {
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
  });
  return knexFactory({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: { pglite } as never,
    useNullAsDefault: false,
  } as Knex.Config);
}

export const isPglite = (db: Db) => db.client.config?.client !== 'pg';
