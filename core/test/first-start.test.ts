import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { TestClient, freePort, repoRoot } from '@kefu/core/testing';

/** Starts the real entry point (`npm start` minus the UI build) on an empty embedded database. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'core/src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (re: RegExp, ms = 100_000) => {
    const end = Date.now() + ms;
    while (!re.test(out)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`did not see ${re}; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return out.match(re)!;
  };
  return { child, exited, waitFor, output: () => out };
}

async function waitHealthy(port: string) {
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('server did not become healthy');
}

test('first start creates a company and admin, prints them once, and SIGTERM shuts down cleanly', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-first-'));
  const port = String(await freePort());
  const app = startMain({ PORT: port, KEFU_DATA_DIR: dataDir });
  try {
    const [, companyId] = await app.waitFor(/Company ID:\s+(\d+)/);
    const [, password] = await app.waitFor(/Password:\s+(\S+)/);
    t.is(companyId, '10001');
    const c = new TestClient(`http://127.0.0.1:${port}`);
    const r = await c.post('/api/auth/login', { companyId, agentId: 'admin', password });
    t.is(r.status, 200);
    t.is(r.body.agent.role, 'admin');
    t.true(r.body.agent.isPrimary);
    app.child.kill('SIGTERM');
    t.is(await app.exited, 0);
    // A second start on the same data seeds nothing and prints no password.
    const again = startMain({ PORT: port, KEFU_DATA_DIR: dataDir });
    await waitHealthy(port);
    t.false(/Password:/.test(again.output()));
    t.is((await c.post('/api/auth/login', { companyId, agentId: 'admin', password })).status, 200);
    again.child.kill('SIGTERM');
    t.is(await again.exited, 0);
  } finally {
    app.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an invalid setting stops start-up with a message naming the key', async (t) => {
  const app = startMain({ PORT: 'not-a-port' });
  t.is(await app.exited, 78);
  t.regex(app.output(), /PORT: /);
});
