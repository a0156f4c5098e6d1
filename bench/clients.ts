import { io, type Socket } from 'socket.io-client';

/**
 * Client side of the load generators (separate processes from the servers):
 * sockets and sign-ins against Kefu or the bare relay on 127.0.0.1 only, a hard
 * deadline, `PHASE x` / `RESULT {json}` lines for the harness (bench/lib.ts).
 */

export interface Target {
  target: 'kefu' | 'bare';
  companyId?: number;
  adminPassword?: string;
}

/** A desktop browser: Kefu drops page views from crawlers, and an empty user agent counts as one. */
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const sockets: Socket[] = [];

export function onlyLocal(...urls: string[]) {
  for (const url of urls) if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`load generator targets 127.0.0.1 only, not ${url}`);
}

export function fail(msg: string): never {
  console.log('RESULT ' + JSON.stringify({ error: msg }));
  process.exit(1);
}

/** Whatever the server does, the generator stops by itself. */
export function deadline(seconds: number) {
  setTimeout(() => fail('deadline passed'), seconds * 1000).unref();
}

export function finish(result: unknown): never {
  console.log('RESULT ' + JSON.stringify(result));
  for (const s of sockets) s.close();
  process.exit(0);
}

/** Lines the harness writes to stdin ("go", "end …"), one promise per line. */
export function commands(): () => Promise<string> {
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  return () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((resolve) => waiters.push(resolve)));
}

export async function http(url: string, path: string, body: unknown, cookie = ''): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: url, cookie }, body: JSON.stringify(body) });
  const set = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('kefu_session='));
  return { status: res.status, body: await res.json().catch(() => null), cookie: set ?? cookie };
}

/** Connects with bounded concurrency. */
export async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let i = 0; i < n; i += size) all.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return all;
}

/** `ready` is the event after which the socket can be used. */
export function connect(url: string, opts: Record<string, unknown>, readyEvent: 'connect' | 'session'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...opts });
    sockets.push(s);
    s.once(readyEvent, () => resolve(s));
    s.once('connect_error', (err) => reject(new Error(`${url}: ${err.message}`)));
  });
}

export const count = (m: Record<string, number>, r: any) => (m[r?.error?.code ?? 'no_ack'] = (m[r?.error?.code ?? 'no_ack'] ?? 0) + 1);
export const call = (s: Socket, event: string, payload: unknown): Promise<any> => s.timeout(30_000).emitWithAck(event, payload);

/**
 * Kefu agents bench<first+1>… (created through the admin API, cap `maxChats`),
 * signed in on the node they connect to; returns each one's session cookie.
 * Agent i uses urls[i % urls.length], like a load balancer spreading consoles.
 */
export async function signInAgents(t: Target, urls: string[], n: number, opts: { first?: number; maxChats?: number } = {}): Promise<string[]> {
  const admin = await http(urls[0], '/api/auth/login', { companyId: String(t.companyId), agentId: 'admin', password: t.adminPassword });
  if (admin.status !== 200) fail(`admin login: ${admin.status}`);
  return inBatches(n, 10, async (i) => {
    const agentId = `bench${(opts.first ?? 0) + i + 1}`;
    const password = 'Bench-pass-2026';
    const created = await http(
      urls[0],
      '/api/agents',
      { agentId, name: agentId, password, mustChangePassword: false, maxChats: opts.maxChats ?? 10 },
      admin.cookie,
    );
    if (created.status !== 201 && created.status !== 409) fail(`create ${agentId}: ${created.status} ${JSON.stringify(created.body)}`);
    const login = await http(urls[i % urls.length], '/api/auth/login', { companyId: String(t.companyId), agentId, password });
    if (login.status !== 200) fail(`login ${agentId}: ${login.status}`);
    return login.cookie;
  });
}

/** Agent sockets (socket.io-client) on `/agent`: Kefu agents as in signInAgents, or plain sockets on the bare relay. */
export async function connectAgents(t: Target, urls: string[], n: number, maxChats: number): Promise<Socket[]> {
  if (t.target === 'bare') return inBatches(n, 20, (i) => connect(urls[i % urls.length] + '/agent', {}, 'connect'));
  const cookies = await signInAgents(t, urls, n, { maxChats });
  return inBatches(n, 10, (i) => connect(urls[i % urls.length] + '/agent', { extraHeaders: { cookie: cookies[i] } }, 'connect'));
}

export const connectVisitor = (url: string, companyId = 0) =>
  connect(url + '/visitor', { auth: { companyId }, extraHeaders: { 'user-agent': BROWSER_UA } }, 'session');
