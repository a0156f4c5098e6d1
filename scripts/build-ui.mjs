// Builds the console (admin-ui) and the visitor widget when their sources are newer than the last build,
// so `npm start` works on a fresh clone and restarts stay fast.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const newest = (dir) => {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
};
const built = path.join(root, 'admin-ui', 'dist', 'index.html');
const sources = Math.max(
  newest(path.join(root, 'admin-ui')),
  ...fs.readdirSync(path.join(root, 'plugins')).map((p) => newest(path.join(root, 'plugins', p, 'admin'))),
);
if (process.argv.includes('--force') || !fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
  console.log('Building the console (admin-ui)…');
  execSync('npx vite build --logLevel warn', { cwd: path.join(root, 'admin-ui'), stdio: 'inherit' });
}

const widgetBuilt = path.join(root, 'widget', 'dist', 'loader.js');
if (process.argv.includes('--force') || !fs.existsSync(widgetBuilt) || fs.statSync(widgetBuilt).mtimeMs < newest(path.join(root, 'widget'))) {
  console.log('Building the visitor widget…');
  execSync('npm run build --silent', { cwd: path.join(root, 'widget'), stdio: 'inherit' });
}
