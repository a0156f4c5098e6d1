import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createDb } from '../infra/db.ts';
import { coreMigrationsDir, migrateLatest } from '../infra/migrator.ts';

/**
 * The embedded database every test server starts from: a new PGlite spends ~2.5 s in initdb and core migrations,
 * loading a dump ~1 s, and the suites start a few hundred servers. Made once per set of core migrations (their
 * names and contents name the file) under `dir`, by whichever test process needs it first; a write goes through
 * a rename, so processes racing to make it each leave a whole file. Plugins' migrations still run at boot.
 */
export async function pgliteTemplate(dir: string): Promise<Blob> {
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(coreMigrationsDir).sort()) hash.update(f).update(fs.readFileSync(path.join(coreMigrationsDir, f)));
  const file = path.join(dir, `pglite-template-${hash.digest('hex').slice(0, 16)}.tar.gz`);
  if (!fs.existsSync(file)) {
    const db = await createDb({ DATABASE_URL: undefined, KEFU_DATA_DIR: dir }, { pgliteDataDir: 'memory://' });
    await migrateLatest(db, 'core', coreMigrationsDir);
    const dump = await (db.client.config.connection as { pglite: PGlite }).pglite.dumpDataDir('gzip');
    await db.destroy();
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
    // Templates of earlier migration sets are never used again.
    for (const old of fs.readdirSync(dir))
      if (old.startsWith('pglite-template-') && path.join(dir, old) !== file && old.endsWith('.tar.gz')) fs.rmSync(path.join(dir, old), { force: true });
  }
  return new Blob([fs.readFileSync(file)]);
}
