import crypto from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { call, connectAgents, connectVisitor, count, deadline, finish, onlyLocal } from './clients.ts';
import { sleep } from './lib.ts';

/**
 * Chats opening and closing for `seconds` (bench/soak.ts): `slots` visitors at a
 * time each connect, ask for a chat, send `messages` messages `paceMs` apart,
 * each answered by its agent, end the chat and leave; a new visitor takes the
 * slot. Every message's clientId starts with `soak-`; the result says how many
 * were acknowledged as stored (sent) and how many reached the other side
 * (delivered), and which sent ones never arrived.
 */
interface Params {
  url: string;
  companyId: number;
  adminPassword: string;
  agents: number;
  slots: number;
  messages: number;
  paceMs: number;
  seconds: number;
}
const P: Params = JSON.parse(process.argv[2]);
onlyLocal(P.url);
deadline(P.seconds + 300);

const sent = new Set<string>();
const delivered = new Set<string>();
let duplicates = 0;
const errors: Record<string, number> = {};
let opened = 0;
let ended = 0;
let unassigned = 0;

function deliver(clientId: string) {
  if (!clientId?.startsWith('soak-')) return;
  if (delivered.has(clientId)) duplicates++;
  delivered.add(clientId);
}

async function send(s: Socket, conversationId: number, clientId: string, text: string) {
  const r = await call(s, 'message.send', { conversationId, clientId, text }).catch(() => null);
  if (r?.ok) sent.add(clientId);
  else count(errors, r);
  return !!r?.ok;
}

const agents = await connectAgents(
  { target: 'kefu', companyId: P.companyId, adminPassword: P.adminPassword },
  [P.url],
  P.agents,
  2 * Math.ceil(P.slots / P.agents),
);
for (const a of agents) {
  await call(a, 'workbench.snapshot', {});
  a.on('message', ({ message }) => {
    if (message.senderKind !== 'visitor') return;
    deliver(message.clientId);
    void send(a, message.conversationId, `soak-a-${message.clientId.slice(5)}`, `re: ${message.text}`);
  });
}
console.log('PHASE agents');

/** One visitor's chat, start to end; false if it could not be opened. */
async function chat(): Promise<boolean> {
  const v = await connectVisitor(P.url, P.companyId);
  try {
    const replies = new Map<string, () => void>();
    v.on('message', ({ message }) => {
      if (message.senderKind !== 'agent') return;
      deliver(message.clientId);
      replies.get(message.clientId)?.();
    });
    const active = new Promise<number>((resolve) =>
      v.on('conversation.updated', ({ conversation }) => conversation.status === 'active' && resolve(conversation.id)),
    );
    const req = await call(v, 'chat.request', {});
    if (!req?.ok) {
      count(errors, req);
      return false;
    }
    opened++;
    const id = req.conversation.status === 'active' ? req.conversation.id : await Promise.race([active, sleep(15_000).then(() => 0)]);
    if (!id) {
      unassigned++;
      return false;
    }
    for (let i = 0; i < P.messages; i++) {
      const clientId = `soak-${crypto.randomUUID()}`;
      const answered = new Promise<void>((resolve) => replies.set(`soak-a-${clientId.slice(5)}`, resolve));
      if (await send(v, id, clientId, `message ${i}`)) await Promise.race([answered, sleep(10_000)]);
      await sleep(P.paceMs);
    }
    const end = await call(v, 'chat.end', { conversationId: id });
    if (end?.ok) ended++;
    else count(errors, end);
    return true;
  } finally {
    v.close();
  }
}

const until = Date.now() + P.seconds * 1000;
await Promise.all(
  Array.from({ length: P.slots }, async () => {
    while (Date.now() < until) {
      const ok = await chat().catch(() => {
        count(errors, { error: { code: 'chat_failed' } });
        return false;
      });
      if (!ok) await sleep(1000);
    }
  }),
);
// Replies to the last messages may still be on their way.
for (const stop = Date.now() + 10_000; [...sent].some((c) => !delivered.has(c)) && Date.now() < stop;) await sleep(100);
const undelivered = [...sent].filter((c) => !delivered.has(c));
const unexpected = [...delivered].filter((c) => !sent.has(c));
finish({
  opened,
  ended,
  unassigned,
  sent: sent.size,
  delivered: delivered.size,
  duplicates,
  undelivered: undelivered.slice(0, 20),
  undeliveredCount: undelivered.length,
  unexpectedCount: unexpected.length,
  errors,
});
