import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot } from '@kefu/core/testing';

/**
 * Pieces of the two-process suite: real `core/src/main.ts` nodes, a private
 * redis-server (never the machine's shared one) and a TCP proxy in front of
 * PostgreSQL that the test can cut and restore.
 */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, ms = 10_000, every = 50): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

export interface KefuNode {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  alive(): boolean;
  stop(): Promise<void>;
}

/** Spawns the real entry point; resolves once /healthz answers. */
export async function startNode(name: string, env: Record<string, string>): Promise<KefuNode> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kefu-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'core/src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), KEFU_DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const node: KefuNode = {
    name,
    port,
    url,
    child,
    exited,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    async waitFor(re, ms = 60_000) {
      await waitUntil(`${name} to print ${re}`, () => re.test(out) || !node.alive(), ms, 100);
      const m = out.match(re);
      if (!m) throw new Error(`${name} exited before printing ${re}; output:\n${out}`);
      return m;
    },
    async stop() {
      if (!node.alive()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await waitUntil(
    `${name} /healthz`,
    async () => {
      if (!node.alive()) throw new Error(`${name} exited: ${out}`);
      return (await fetch(url + '/healthz')).ok;
    },
    90_000,
    100,
  ).catch((err) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${out}`);
  });
  return node;
}

/** A redis-server of this suite only, in the foreground as our child, on a port of its own. */
export async function startRedis(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  await waitUntil(`redis on ${port}`, () => canConnect(port), 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      await waitUntil(`redis on ${port} to stop`, async () => !(await canConnect(port)), 5_000);
    },
  };
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A TCP proxy to PostgreSQL that can be cut (closing every connection) and restored on the same port. */
export class TcpProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
