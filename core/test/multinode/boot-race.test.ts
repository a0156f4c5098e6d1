import { spawn } from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import knexFactory from 'knex';
import { freePort, freshDatabaseUrl, repoRoot } from '@kefu/core/testing';

// Two nodes started at the same moment on an empty PostgreSQL database: both come up, one first company.
test('two nodes booting together on an empty database both come up, with one first company', async (t) => {
  const fresh = await freshDatabaseUrl();
  t.truthy(fresh.url, 'runs under KEFU_TEST_PG');
  const start = (port: number) =>
    new Promise<{ code: number | null; out: string; kill: () => void }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'core/src/main.ts')], {
        cwd: repoRoot,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: fresh.url!, LOG_LEVEL: 'warn', KEFU_ADMIN_PASSWORD: 'Boot-race-2026x' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const poll = setInterval(async () => {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok) {
          clearInterval(poll);
          resolve({ code: null, out, kill: () => child.kill('SIGTERM') });
        }
      }, 200);
      child.on('exit', (code) => {
        clearInterval(poll);
        resolve({ code, out, kill: () => undefined });
      });
    });
  // Ports the OS hands out as free: a fixed random range collided with ephemeral ports of other tests.
  const [portA, portB] = [await freePort(), await freePort()];
  const [a, b] = await Promise.all([start(portA), start(portB)]);
  try {
    t.is(a.code, null, a.out);
    t.is(b.code, null, b.out);
    const db = knexFactory({ client: 'pg', connection: fresh.url! });
    const companies = await db('companies').count('* as n').first();
    t.is(Number(companies!.n), 1);
    await db.destroy();
  } finally {
    a.kill();
    b.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await fresh.drop();
  }
});
