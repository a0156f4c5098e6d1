import crypto from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { percentiles, sleep } from './lib.ts';

/**
 * Load generator, always a separate process from the server under test; talks
 * to 127.0.0.1 only and exits by itself (hard deadline). Argument: JSON params.
 *  - mode 'roundtrip': M agents that auto-reply, N visitors in open chats
 *    sending `rate` messages/s for `warmup` + `seconds`; the round trip is
 *    visitor emit → agent receives → agent replies → visitor receives.
 *  - mode 'idle': N visitors connect and stay idle for `hold` seconds.
 * Prints `PHASE <name>` lines and one `RESULT {json}` line.
 */
interface Params {
  mode: 'roundtrip' | 'idle';
  target: 'kefu' | 'bare';
  url: string;
  companyId?: number;
  adminPassword?: string;
  visitors: number;
  agents: number;
  rate: number;
  seconds: number;
  warmup: number;
  hold: number;
  /** Max-rate mode: the rates to try in order, stopping at the first whose p99 passes p99BoundMs. */
  steps?: number[];
  p99BoundMs?: number;
}
const P: Params = { agents: 0, rate: 0, seconds: 0, warmup: 0, hold: 0, ...JSON.parse(process.argv[2]) };
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(P.url)) throw new Error('load generator targets 127.0.0.1 only');
const deadline = setTimeout(() => fail('deadline passed'), (180 + (P.warmup + P.seconds + 10) * (P.steps?.length ?? 1) + P.hold) * 1000);
deadline.unref();
const sockets: Socket[] = [];

function fail(msg: string): never {
  console.log('RESULT ' + JSON.stringify({ error: msg }));
  process.exit(1);
}

async function http(path: string, body: unknown, cookie = ''): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(P.url + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: P.url, cookie }, body: JSON.stringify(body) });
  const set = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('kefu_session='));
  return { status: res.status, body: await res.json().catch(() => null), cookie: set ?? cookie };
}

/** Connects with bounded concurrency; `ready` resolves when the socket can be used. */
async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let i = 0; i < n; i += size) all.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return all;
}

function connect(nsp: string, opts: Record<string, unknown>, readyEvent: 'connect' | 'session'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(P.url + nsp, { transports: ['websocket'], reconnection: false, forceNew: true, ...opts });
    sockets.push(s);
    s.once(readyEvent, () => resolve(s));
    s.once('connect_error', (err) => reject(new Error(`${nsp}: ${err.message}`)));
  });
}

const count = (m: Record<string, number>, r: any) => (m[r?.error?.code ?? 'no_ack'] = (m[r?.error?.code ?? 'no_ack'] ?? 0) + 1);
const call = (s: Socket, event: string, payload: unknown): Promise<any> => s.timeout(30_000).emitWithAck(event, payload);

async function connectAgents(): Promise<Socket[]> {
  if (P.target === 'bare') return inBatches(P.agents, 20, () => connect('/agent', {}, 'connect'));
  const admin = await http('/api/auth/login', { companyId: String(P.companyId), agentId: 'admin', password: P.adminPassword });
  if (admin.status !== 200) fail(`admin login: ${admin.status}`);
  const maxChats = Math.min(50, Math.ceil((2 * P.visitors) / Math.max(P.agents, 1)));
  return inBatches(P.agents, 10, async (i) => {
    const agentId = `bench${i + 1}`;
    const password = 'Bench-pass-2026';
    const created = await http('/api/agents', { agentId, name: agentId, password, mustChangePassword: false, maxChats }, admin.cookie);
    if (created.status !== 201 && created.status !== 409) fail(`create ${agentId}: ${created.status} ${JSON.stringify(created.body)}`);
    const login = await http('/api/auth/login', { companyId: String(P.companyId), agentId, password });
    if (login.status !== 200) fail(`login ${agentId}: ${login.status}`);
    return connect('/agent', { extraHeaders: { cookie: login.cookie } }, 'connect');
  });
}

const connectVisitor = () => connect('/visitor', { auth: { companyId: P.companyId ?? 0 } }, 'session');

async function idle() {
  const t0 = Date.now();
  await inBatches(P.visitors, 100, connectVisitor);
  const connectMs = Date.now() - t0;
  console.log('PHASE connected');
  await sleep(P.hold * 1000);
  return { visitors: P.visitors, connectMs, connected: sockets.filter((s) => s.connected).length };
}

async function roundTrip() {
  const agents = await connectAgents();
  const agentErrors: Record<string, number> = {};
  for (const a of agents) {
    await call(a, 'workbench.snapshot', {});
    a.on('message', ({ message }) => {
      if (message.senderKind !== 'visitor') return;
      a.emit(
        'message.send',
        { conversationId: message.conversationId, clientId: crypto.randomUUID(), text: 'r:' + message.clientId },
        (r: any) => r?.ok || count(agentErrors, r),
      );
    });
  }
  console.log('PHASE agents');
  const visitors = await inBatches(P.visitors, 50, connectVisitor);
  const active = new Set<number>();
  visitors.forEach((v) => v.on('conversation.updated', ({ conversation }) => conversation.status === 'active' && active.add(conversation.id)));
  const conversations = await inBatches(P.visitors, 20, async (i) => (await call(visitors[i], 'chat.request', {})).conversation);
  for (const c of conversations) if (c?.status === 'active') active.add(c.id);
  // A request can be assigned by a concurrent call after its own ack said queued: wait for the pushes.
  const until = Date.now() + 15_000;
  while (conversations.some((c) => !active.has(c?.id)) && Date.now() < until) await sleep(100);
  const chatting = visitors.map((v, i) => ({ v, conversationId: conversations[i]?.id })).filter((x) => active.has(x.conversationId));
  console.log('PHASE visitors');

  const sentAt = new Map<string, { t: number; measured: boolean }>();
  let samples: number[] = [];
  let replies = 0;
  for (const { v } of chatting)
    v.on('message', ({ message }) => {
      if (message.senderKind !== 'agent' || !message.text?.startsWith('r:')) return;
      const s = sentAt.get(message.text.slice(2));
      if (!s) return;
      sentAt.delete(message.text.slice(2));
      replies++;
      if (s.measured) samples.push(performance.now() - s.t);
    });

  /** Open-loop sends at `rate`/s for warmup + seconds; latencies of the measured part only. */
  async function step(rate: number, warmup: number, seconds: number) {
    samples = [];
    replies = 0;
    const sendErrors: Record<string, number> = {};
    const total = Math.round(rate * (warmup + seconds));
    const interval = 1000 / rate;
    const start = performance.now();
    let sent = 0;
    let maxLag = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = performance.now();
        const due = Math.min(total, Math.floor((now - start) / interval) + 1);
        for (; sent < due; sent++) {
          const measured = sent >= rate * warmup;
          if (measured && sent === Math.ceil(rate * warmup)) console.log('PHASE measure');
          maxLag = Math.max(maxLag, now - (start + sent * interval));
          const x = chatting[sent % chatting.length];
          const clientId = crypto.randomUUID();
          sentAt.set(clientId, { t: performance.now(), measured });
          x.v.emit('message.send', { conversationId: x.conversationId, clientId, text: `hello ${sent}` }, (r: any) => r?.ok || count(sendErrors, r));
        }
        if (sent >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 2);
    });
    console.log('PHASE done');
    const drainUntil = Date.now() + 10_000;
    while (sentAt.size && Date.now() < drainUntil) await sleep(50);
    const lost = [...sentAt.values()].filter((x) => x.measured).length;
    sentAt.clear();
    return {
      rate,
      warmup,
      seconds,
      sent,
      replies,
      lost,
      sendErrors,
      agentErrors: { ...agentErrors },
      maxSchedulerLagMs: Math.round(maxLag),
      latencyMs: percentiles(samples),
    };
  }

  const base = { visitors: P.visitors, agents: P.agents, unassigned: P.visitors - chatting.length };
  if (!P.steps) return { ...base, ...(await step(P.rate, P.warmup, P.seconds)) };
  // Max-rate search: rates in order until p99 passes the bound or something is lost.
  const steps = [];
  for (const rate of P.steps) {
    const r = await step(rate, P.warmup, P.seconds);
    steps.push(r);
    if (!(r.latencyMs.p99 <= P.p99BoundMs!) || r.lost > 0) break;
  }
  return { ...base, steps };
}

const result = P.mode === 'idle' ? await idle() : await roundTrip();
console.log('RESULT ' + JSON.stringify(result));
for (const s of sockets) s.close();
process.exit(0);
