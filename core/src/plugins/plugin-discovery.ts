import fs from 'node:fs';
import path from 'node:path';
import Topo from '@hapi/topo';

export interface DiscoveredPlugin {
  id: string;
  version: string;
  dir: string;
  requires: string[];
  entry: string;
  migrationsDir: string;
}

/** Finds `<dir>/*\/package.json` with a `kefu.id`, in dependency order (requires first). */
export function discoverPlugins(dirs: string[]): { plugins: DiscoveredPlugin[]; problems: { plugin: DiscoveredPlugin; error: string }[] } {
  const found: DiscoveredPlugin[] = [];
  for (const base of dirs) {
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base).sort()) {
      const pkgPath = path.join(base, name, 'package.json');
      if (!fs.existsSync(pkgPath)) continue;
      const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
      const id = pkg.kefu?.id;
      if (typeof id !== 'string' || !/^[a-z][a-z0-9-]{1,30}$/.test(id)) continue;
      const dir = path.join(base, name);
      found.push({
        id,
        version: pkg.version ?? '0.0.0',
        dir,
        requires: Object.keys(pkg.kefu?.requires ?? {}),
        entry: path.join(dir, 'server', 'index.ts'),
        migrationsDir: path.join(dir, 'migrations'),
      });
    }
  }
  const ids = new Set(found.map((p) => p.id));
  const problems: { plugin: DiscoveredPlugin; error: string }[] = [];
  const ok = found.filter((p) => {
    const missing = p.requires.filter((r) => !ids.has(r));
    if (missing.length) problems.push({ plugin: p, error: `requires missing plugin(s): ${missing.join(', ')}` });
    return missing.length === 0;
  });
  const topo = new Topo.Sorter<DiscoveredPlugin>();
  for (const p of ok) topo.add(p, { group: p.id, after: p.requires });
  return { plugins: topo.nodes, problems };
}
