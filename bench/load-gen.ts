import crypto from 'node:crypto';
import { call, connectAgents, connectVisitor, count, deadline, finish, inBatches, onlyLocal, sockets } from './clients.ts';
import { percentiles, sleep } from './lib.ts';

/**
 * Load generator, always a separate process from the server under test; talks
 * to 127.0.0.1 only and exits by itself (hard deadline). Argument: JSON params.
 *  - mode 'roundtrip': M agents that auto-reply, N visitors in open chats
 *    sending `rate` messages/s for `warmup` + `seconds`; the round trip is
 *    visitor emit → agent receives → agent replies → visitor receives.
 *  - mode 'idle': N visitors connect and stay idle for `hold` seconds.
 * Visitors and agents connect to `url`, or spread over `visitorUrls` /
 * `agentUrls` (several nodes). Prints `PHASE <name>` lines and one `RESULT {json}` line.
 */
interface Params {
  mode: 'roundtrip' | 'idle';
  target: 'kefu' | 'bare';
  url: string;
  visitorUrls?: string[];
  agentUrls?: string[];
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
const visitorUrls = P.visitorUrls ?? [P.url];
const agentUrls = P.agentUrls ?? [P.url];
onlyLocal(...visitorUrls, ...agentUrls);
deadline(180 + (P.warmup + P.seconds + 10) * (P.steps?.length ?? 1) + P.hold);
const visitorAt = (i: number) => connectVisitor(visitorUrls[i % visitorUrls.length], P.companyId);

async function idle() {
  const t0 = Date.now();
  await inBatches(P.visitors, 100, visitorAt);
  const connectMs = Date.now() - t0;
  console.log('PHASE connected');
  await sleep(P.hold * 1000);
  return { visitors: P.visitors, connectMs, connected: sockets.filter((s) => s.connected).length };
}

async function roundTrip() {
  const agents = await connectAgents(P, agentUrls, P.agents, Math.min(50, Math.ceil((2 * P.visitors) / Math.max(P.agents, 1))));
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
  const visitors = await inBatches(P.visitors, 50, visitorAt);
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
  // When each measured reply arrived (ms since the step began): stalls show as bad seconds in `perSecond`.
  let arrivals: number[] = [];
  let stepStart = 0;
  let replies = 0;
  for (const { v } of chatting)
    v.on('message', ({ message }) => {
      if (message.senderKind !== 'agent' || !message.text?.startsWith('r:')) return;
      const s = sentAt.get(message.text.slice(2));
      if (!s) return;
      sentAt.delete(message.text.slice(2));
      replies++;
      if (!s.measured) return;
      samples.push(performance.now() - s.t);
      arrivals.push(performance.now() - stepStart);
    });

  /** Open-loop sends at `rate`/s for warmup + seconds; latencies of the measured part only. */
  async function step(rate: number, warmup: number, seconds: number) {
    samples = [];
    arrivals = [];
    replies = 0;
    const sendErrors: Record<string, number> = {};
    const total = Math.round(rate * (warmup + seconds));
    const interval = 1000 / rate;
    const start = performance.now();
    stepStart = start;
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
      perSecond: perSecond(samples, arrivals),
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

/** p50 / p99 / max of the replies that arrived in each second of the step. */
function perSecond(latencies: number[], at: number[]) {
  const buckets = new Map<number, number[]>();
  latencies.forEach((l, i) => {
    const s = Math.floor(at[i] / 1000);
    if (!buckets.has(s)) buckets.set(s, []);
    buckets.get(s)!.push(l);
  });
  return [...buckets].sort(([a], [b]) => a - b).map(([second, ls]) => ({ second, ...percentiles(ls) }));
}

finish(P.mode === 'idle' ? await idle() : await roundTrip());
