import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { KefuConfig } from '@kefu/config';
import { inject, injectable } from '../infra/di.ts';
import { randomToken } from '../infra/crypto.ts';
import { TOKENS } from '../tokens.ts';

/**
 * Files on disk under KEFU_DATA_DIR: `files/<companyId>/<yyyy-mm>/<key>`
 * (the key is the random public name, so the path reveals nothing), uploads
 * in progress under `files/tmp/`. Paths stored in the database are relative
 * to the data folder.
 */
@injectable()
export class FileStorage {
  readonly root: string;

  constructor(@inject(TOKENS.Config) config: KefuConfig) {
    this.root = path.resolve(config.KEFU_DATA_DIR, 'files');
  }

  /** A fresh path for an upload being received. */
  async tempPath(): Promise<string> {
    const dir = path.join(this.root, 'tmp');
    await fsp.mkdir(dir, { recursive: true });
    return path.join(dir, randomToken(16));
  }

  /** Relative paths for a new file and its thumbnail; creates the month folder. */
  async placeFor(companyId: number, key: string, when: Date): Promise<{ file: string; thumb: string }> {
    const month = when.toISOString().slice(0, 7);
    const rel = path.posix.join('files', String(companyId), month, key);
    await fsp.mkdir(path.dirname(this.abs(rel)), { recursive: true });
    return { file: rel, thumb: `${rel}.thumb.webp` };
  }

  /** Absolute path of a stored relative path; refuses anything that would leave the files folder. */
  abs(rel: string): string {
    const full = path.resolve(this.root, '..', rel);
    if (!full.startsWith(this.root + path.sep)) throw new Error(`path outside the files folder: ${rel}`);
    return full;
  }

  async moveIn(tempPath: string, rel: string): Promise<void> {
    await fsp.rename(tempPath, this.abs(rel));
  }

  open(rel: string): fs.ReadStream {
    return fs.createReadStream(this.abs(rel));
  }

  async sizeOf(rel: string): Promise<number> {
    return (await fsp.stat(this.abs(rel))).size;
  }

  /** Removes files quietly: a file already gone is what we wanted. */
  async remove(...paths: (string | null | undefined)[]): Promise<void> {
    await Promise.all(paths.filter((p): p is string => !!p).map((p) => fsp.rm(path.isAbsolute(p) ? p : this.abs(p), { force: true })));
  }
}
