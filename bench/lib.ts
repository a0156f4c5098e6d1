import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import knexFactory from 'knex';

/** Shared by the benchmarks: servers under test as child processes, results, statistics. */

export const root = path.resolve(import.meta.dirname, '..');
export const outDir = path.join(root, 'bench', 'out');
export const ADMIN_PASSWORD = 'Bench-Secret-2026';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const num = (name: string, dflt: number) => (process.env[name] ? Number(process.env[name]) : dflt);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Server {
  kind: string;
  url: string;
  pid: number;
  companyId?: number;
  /** PostgreSQL database of a Kefu node (none for the embedded one and the bare relay). */
  databaseUrl?: string;
  /** Full GC in the server process, then its process.memoryUsage(). */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

// Whatever happens to the harness, no child outlives it.
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const track = (c: ChildProcess) => {
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
};

/** Ready once the output matches `ready`, or once GET `ready.healthz` answers 200 (a node joining an existing database prints nothing). */
function spawnServer(script: string, env: Record<string, string>, ready: RegExp | { healthz: string }, ms = 120_000) {
  // Every server gets the memory probe (bench/mem-probe.mjs): a full GC and a memoryUsage() dump on SIGUSR2.
  const memFile = path.join(os.tmpdir(), `kefu-bench-mem-${crypto.randomBytes(4).toString('hex')}.json`);
  // BENCH_SERVER_NODE_ARGS: extra node flags for the servers under test, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...extra, '--expose-gc', '--import', 'tsx', '--import', path.join(root, 'bench/mem-probe.mjs'), path.join(root, script)];
  const child = track(
    spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, BENCH_MEM_FILE: memFile }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  const waiting = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in ${ms} ms:\n${out}`)), ms);
    const done = (m: RegExpMatchArray) => {
      clearTimeout(timer);
      resolve(m);
    };
    if (ready instanceof RegExp)
      child.stdout!.on('data', () => {
        const m = out.match(ready);
        if (m) done(m);
      });
    else void pollHealthz(ready.healthz, ms).then(() => done([ready.healthz] as RegExpMatchArray), reject);
    child.once('exit', () => reject(new Error(`${script} exited:\n${out}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `${path.basename(script, '.ts')}.log`), out);
    fs.rmSync(memFile, { force: true });
  };
  const memory = async (): Promise<NodeJS.MemoryUsage> => {
    fs.rmSync(memFile, { force: true });
    child.kill('SIGUSR2');
    for (let i = 0; i < 100 && !fs.existsSync(memFile); i++) await sleep(50);
    await sleep(50);
    return JSON.parse(fs.readFileSync(memFile, 'utf8'));
  };
  return { child, waiting, stop, memory, output: () => out };
}

async function pollHealthz(url: string, ms: number) {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(100))
    if (
      await fetch(url)
        .then((r) => r.ok)
        .catch(() => false)
    )
      return;
  throw new Error(`${url} not ready in ${ms} ms`);
}

/** The minimal socket.io relay (bench/bare-relay.ts). */
export async function startBare(): Promise<Server> {
  const s = spawnServer('bench/bare-relay.ts', {}, /listening (\d+)/);
  const [, port] = await s.waiting;
  return { kind: 'bare socket.io relay', url: `http://127.0.0.1:${port}`, pid: s.child.pid!, memory: s.memory, output: s.output, stop: s.stop };
}

/** A fresh PostgreSQL database on BENCH_PG (default: the local test server), dropped by `drop()`. */
export async function freshDatabase(opts: { asyncCommit?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.BENCH_PG ?? process.env.KEFU_TEST_PG ?? 'postgres://root@127.0.0.1:5432/test';
  const name = `kefu_bench_${crypto.randomBytes(5).toString('hex')}`;
  const k = knexFactory({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
  await k.raw(`create database ${name}`);
  // Scoped to this throw-away database only: commits stop waiting for the WAL flush (fsync).
  if (opts.asyncCommit) await k.raw(`alter database ${name} set synchronous_commit = off`);
  await k.destroy();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const k2 = knexFactory({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
      await k2.raw(`drop database if exists ${name} with (force)`);
      await k2.destroy();
    },
  };
}

/** A redis-server of the benchmark's own on a free port, never the machine's shared one; nothing saved to disk. */
export async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  const exited = new Promise((r) => child.once('exit', r));
  const up = () =>
    new Promise<boolean>((resolve) =>
      net
        .connect(port, '127.0.0.1')
        .once('connect', function (this: net.Socket) {
          this.destroy();
          resolve(true);
        })
        .once('error', () => resolve(false)),
    );
  for (let i = 0; !(await up()); i++) {
    if (i > 100 || child.exitCode !== null) throw new Error(`redis-server on ${port} did not start`);
    await sleep(100);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export type DbKind = 'pg' | 'pg-async' | 'embedded';
/** The Kefu variants to measure: BENCH_DB, else `dflt` (the heavier benchmarks measure PostgreSQL only). */
export const dbKinds = (dflt = 'pg,pg-async,embedded'): DbKind[] => (process.env.BENCH_DB ?? dflt).split(',').filter(Boolean) as DbKind[];
const dbLabel: Record<DbKind, string> = {
  pg: 'Kefu node, PostgreSQL 15',
  'pg-async': 'Kefu node, PostgreSQL 15 with synchronous_commit=off (not the default: see RESULTS.md)',
  embedded: 'Kefu node, embedded PGlite',
};

/**
 * A real Kefu node (core/src/main.ts) on a fresh PostgreSQL database ('pg', 'pg-async') or the embedded one
 * ('embedded'); with `join`, another node on that node's database, which it does not drop.
 */
export async function startKefu(db: DbKind, extra: Record<string, string> = {}, join?: Server): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-'));
  const pg = join || db === 'embedded' ? null : await freshDatabase({ asyncCommit: db === 'pg-async' });
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    KEFU_DATA_DIR: dataDir,
    KEFU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    KEFU_SECRET: 'bench-secret-0123456789abcdef0123456789',
    ...extra,
  };
  const databaseUrl = join?.databaseUrl ?? pg?.url;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const url = `http://127.0.0.1:${port}`;
  const s = spawnServer('core/src/main.ts', env, join ? { healthz: url + '/healthz' } : /Company ID:\s+(\d+)/);
  const [, companyId] = await s.waiting.catch(async (err) => {
    await pg?.drop();
    throw err;
  });
  return {
    kind: dbLabel[db],
    url,
    pid: s.child.pid!,
    companyId: join ? join.companyId : Number(companyId),
    databaseUrl,
    memory: s.memory,
    output: s.output,
    async stop() {
      await s.stop();
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `measure` on the bare relay, then on a Kefu node for each database variant, one server at a time (each stopped
 * after); the results by name: 'bare', 'kefu-pg', …, each with the server's description.
 */
export async function onEachServer(dbs: DbKind[], measure: (server: Server, target: 'bare' | 'kefu', name: string) => Promise<object>) {
  const runs: Record<string, any> = {};
  for (const name of ['bare', ...dbs.map((db) => `kefu-${db}`)]) {
    const server = name === 'bare' ? await startBare() : await startKefu(name.slice(5) as DbKind);
    try {
      runs[name] = { server: server.kind, ...(await measure(server, name === 'bare' ? 'bare' : 'kefu', name)) };
    } finally {
      await server.stop();
    }
  }
  return runs;
}

/** Runs a load generator (bench/load-gen.ts) in its own process; `PHASE x` lines call onPhase; resolves with its RESULT line. */
export function runLoadGen(params: Record<string, unknown>, deadlineMs: number, onPhase: (phase: string) => void = () => undefined): Promise<any> {
  return spawnGen('bench/load-gen.ts', params, deadlineMs, onPhase).result;
}

export interface Gen {
  pid: number;
  /** Its RESULT line, parsed. */
  result: Promise<any>;
  /** Resolves when it prints `PHASE <phase>`. */
  reached(phase: string): Promise<void>;
  /** A line on its stdin (bench/clients.ts `commands`). */
  tell(line: string): void;
  /** When the benchmark gives up on it. */
  kill(): void;
}

/** A generator script in its own process, killed at `deadlineMs`. */
export function spawnGen(script: string, params: Record<string, unknown>, deadlineMs: number, onPhase: (phase: string) => void = () => undefined): Gen {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', path.join(root, script), JSON.stringify(params)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const phases = new Set<string>();
  const waiters: [string, () => void][] = [];
  let out = '';
  let seen = 0;
  child.stdout!.on('data', (d) => {
    out += d;
    const lines = out.split('\n');
    for (; seen < lines.length - 1; seen++)
      if (lines[seen].startsWith('PHASE ')) {
        const phase = lines[seen].slice(6);
        phases.add(phase);
        onPhase(phase);
        waiters.filter(([p]) => p === phase).forEach(([, w]) => w());
      }
  });
  const result = new Promise<any>((resolve, reject) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('exit', (code) => {
      clearTimeout(kill);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) resolve(JSON.parse(line.slice(7)));
      else reject(new Error(`${script} exited ${code} without a result:\n${out}`));
    });
  });
  // A generator that dies before a phase fails whoever waits for it, through `result`.
  const reached = (phase: string) =>
    phases.has(phase)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((r) => waiters.push([phase, r])),
          result.then((r) => Promise.reject(new Error(`${script} ended before ${phase}: ${r.error}`))),
        ]);
  child.stdin!.on('error', () => undefined);
  return { pid: child.pid!, result, reached, tell: (line) => void child.stdin!.write(line + '\n'), kill: () => void child.kill('SIGKILL') };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux, 100 Hz ticks). */
export function cpuSeconds(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

export function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), max: r(s[s.length - 1] ?? NaN) };
}

export function machine() {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => Math.round(l * 100) / 100);
  // Load average at the end: other work on the machine skews every figure, so it is recorded with them.
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAvg1m5m15m: load,
  };
}

export function writeResult(name: string, data: unknown) {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine: machine(), ...(data as object) }, null, 2) + '\n');
  return path.relative(root, file);
}
