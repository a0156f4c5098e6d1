import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface BuildInfo {
  product: string;
  version: string;
  /** The source commit: `KEFU_BUILD_COMMIT` (set when an image is built), else the checkout's HEAD, else unknown. */
  commit: string | null;
  licence: string;
}

function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

let cached: BuildInfo | null = null;

/** What this node runs (MENU-ABOUT-5), read once: the root package.json and the commit it was built from. */
export function buildInfo(envCommit: string | undefined): BuildInfo {
  if (cached) return cached;
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; license: string };
  cached = { product: 'Kefu', version: pkg.version, commit: envCommit || gitHead(), licence: pkg.license };
  return cached;
}

/** The bundled licence text (the repository's LICENSE file). */
export function licenceText(): string {
  return fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
}
