import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Db } from './db.ts';

/** Loads TypeScript migration files from one folder (sorted by name). */
class FolderSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}
  async getMigrations() {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
  }
  getMigrationName(name: string) {
    return name.replace(/\.(ts|js|mjs)$/, '');
  }
  async getMigration(name: string) {
    return import(pathToFileURL(path.join(this.dir, name)).href);
  }
}

export const coreMigrationsDir = path.resolve(import.meta.dirname, '../../migrations');

export const migrationTable = (owner: string) => (owner === 'core' ? 'knex_migrations' : `knex_migrations_${owner.replace(/[^a-z0-9_]/gi, '_')}`);

/** Runs one owner's migrations (core, or a plugin with its own knex table). */
export async function migrateLatest(db: Db, owner: string, dir: string): Promise<string[]> {
  const [, names] = await db.migrate.latest({
    migrationSource: new FolderSource(dir),
    tableName: migrationTable(owner),
  });
  return names as string[];
}

/** Rolls back every migration of an owner (plugin uninstall). */
export async function migrateRollbackAll(db: Db, owner: string, dir: string): Promise<void> {
  await db.migrate.rollback({ migrationSource: new FolderSource(dir), tableName: migrationTable(owner) }, true);
}
