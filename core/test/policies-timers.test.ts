import crypto from 'node:crypto';
import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

/** Test time: the server's clock runs ahead by `ahead` ms whenever a test needs a deadline to pass. */
const clock = { ahead: 0, now: () => new Date(Date.now() + clock.ahead) };
let k: TestKefu;
let admin: TestClient;
let ann: TestClient;
let agent: Socket;
const consoles: Socket[] = [];

test.before(async () => {
  k = await startTestServer({ KEFU_VISITOR_FLOOD: '10/10/30' }, { clock });
  admin = await k.login();
  await addAgent(admin, 'ann', { permissions: ['conversation.accept'], name: 'Ann' });
  ann = await signIn(k, 'ann');
});
test.after.always(async () => {
  for (const s of consoles) s.close();
  await k?.close();
});

const uuid = () => crypto.randomUUID();
const save = async (settings: Record<string, unknown>) => {
  const version = (await admin.get('/api/settings/policies')).body.version;
  const r = await admin.put('/api/settings/policies', { version, settings });
  if (r.status !== 200) throw new Error(r.text);
};
/** A visitor whose chat was assigned to Ann; Ann signs in a new console, so the moved clock sees her present. */
async function chatting(language?: string) {
  agent = await agentSocket(k.url, ann);
  consoles.push(agent);
  const v = await visitorSocket(k.url, k.company.publicId);
  if (language) await call(v.socket, 'page.view', { url: 'https://shop.example/', language });
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active' && m.conversation.visitorId !== undefined);
  const { conversation } = await call(v.socket, 'chat.request', {});
  await assigned;
  return { v, id: conversation.id as number };
}
/** Hooks run after the ack: the deadline must be stored before the clock moves past it. */
const state = (id: number) => k.server.db('conversation_policy_state').where({ conversation_id: id }).first();
/** Waits (bounded) for a stored deadline; throws rather than letting the clock move past one not yet set. */
async function armed(id: number, check: (row: any) => boolean) {
  const row = await until(
    () => state(id),
    (r) => !!r && check(r),
    20_000,
  );
  if (!row || !check(row)) throw new Error(`policy state of conversation ${id} not as expected: ${JSON.stringify(row)}`);
}
const messages = (id: number) => k.server.db('messages').where({ conversation_id: id }).orderBy('seq');
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.serial('POLICY-FLOOD-7 more than 10 visitor messages in 10 s are refused with rate_limited', async (t) => {
  const { v, id } = await chatting();
  const acks = [];
  for (let i = 0; i < 11; i++) acks.push(await call(v.socket, 'message.send', { conversationId: id, clientId: uuid(), text: `m${i}` }));
  t.true(acks.slice(0, 10).every((a) => a.ok));
  t.is(acks[10].error.code, 'rate_limited');
  t.true(acks[10].error.retryAfter > 20 && acks[10].error.retryAfter <= 30, `blocked for 30 s, got ${acks[10].error.retryAfter}`);
  t.is((await messages(id)).filter((m) => m.sender_kind === 'visitor').length, 10, 'the refused message is not stored');
  v.socket.close();
});

test.serial(
  'POLICY-TIMEOUT-1 after an agent message the visitor gets two prompts, then the chat ends with visitor_timeout; a visitor message cancels',
  async (t) => {
    await save({ timeout: { enabled: true, firstSeconds: 30, secondSeconds: 40, first: { en: 'Still there?' } } });
    const { v, id } = await chatting('en-US');
    await call(agent, 'message.send', { conversationId: id, clientId: uuid(), text: 'How can I help?' });
    await armed(id, (r) => r.timeout_stage === 1);
    clock.ahead += 31_000;
    const first = await next(v.socket, 'message', (m) => m.message.kind === 'system', 8000);
    t.is(first.message.text, 'Still there?', 'the company’s text in the visitor’s language');
    await call(v.socket, 'message.send', { conversationId: id, clientId: uuid(), text: 'yes, one moment' });
    await armed(id, (r) => r.timeout_stage === 0);
    clock.ahead += 60_000;
    await new Promise((r) => setTimeout(r, 2500));
    t.is((await messages(id)).filter((m) => m.kind === 'system').length, 1, 'the visitor’s message cancelled the second prompt');

    await call(agent, 'message.send', { conversationId: id, clientId: uuid(), text: 'Anything else?' });
    await armed(id, (r) => r.timeout_stage === 1);
    clock.ahead += 31_000;
    await next(v.socket, 'message', (m) => m.message.kind === 'system', 8000);
    await armed(id, (r) => r.timeout_stage === 2);
    const ended = next(v.socket, 'conversation.updated', (m) => m.conversation.status === 'ended', 8000);
    clock.ahead += 41_000;
    const { conversation } = await ended;
    t.is(conversation.endReason, 'visitor_timeout');
    const prompts = (await messages(id)).filter((m) => m.kind === 'system').map((m) => m.text);
    t.deepEqual(prompts, [
      'Still there?',
      'Still there?',
      'As we have not heard from you, this chat will now end. You are welcome to start a new one at any time.',
    ]);
    v.socket.close();
    await save({ timeout: { enabled: false } });
  },
);

test.serial(
  'CHATSET-WELCOME-1 CHATSET-AUTOREPLY-2 CHATSET-AUTORULES-3 the welcome on assignment and one no-reply message per unanswered stretch, tagged automatic',
  async (t) => {
    const r = await ann.put('/api/profile/auto-reply', {
      welcome: { enabled: true, text: 'Hi {visitor}, {agent} of {company} here' },
      noReply: { enabled: true, delaySeconds: 10, text: 'Sorry for the wait, {visitor}!' },
    });
    t.is(r.status, 200, r.text);
    await save({ timeout: { enabled: true, firstSeconds: 30 } });
    const { v, id } = await chatting('en');
    const welcome = await until(
      () => messages(id),
      (ms) => ms.length > 0,
    );
    t.like(welcome[0], { sender_kind: 'agent', sender_name: 'Ann', text: 'Hi there, Ann of Acme here' });
    t.deepEqual(welcome[0].payload, { automatic: true });
    const conv = await k.server.db('conversations').where({ id }).first();
    t.is(conv.first_reply_at, null, 'an automatic message is not the first response');
    t.is(
      (await k.server.db('conversation_policy_state').where({ conversation_id: id }).first())?.timeout_stage ?? 0,
      0,
      'nor does it start the visitor timeout',
    );

    const noReply = () => messages(id).then((ms) => ms.filter((m) => m.payload?.automatic && m.text.startsWith('Sorry')));
    await call(v.socket, 'message.send', { conversationId: id, clientId: uuid(), text: 'Hello?' });
    await call(v.socket, 'message.send', { conversationId: id, clientId: uuid(), text: 'Anyone?' });
    await armed(id, (r) => !!r.autoreply_due_at);
    clock.ahead += 11_000;
    t.is((await until(noReply, (ms) => ms.length === 1)).length, 1);
    await call(v.socket, 'message.send', { conversationId: id, clientId: uuid(), text: 'Still waiting' });
    await new Promise((r) => setTimeout(r, 500)); // its hook has nothing to arm: the stretch already fired
    clock.ahead += 11_000;
    await new Promise((r) => setTimeout(r, 2500));
    t.is((await noReply()).length, 1, 'once per unanswered stretch');
    await call(agent, 'message.send', { conversationId: id, clientId: uuid(), text: 'Here I am' });
    await armed(id, (r) => !r.autoreply_fired);
    await call(v.socket, 'message.send', { conversationId: id, clientId: uuid(), text: 'Great, a question' });
    await armed(id, (r) => !!r.autoreply_due_at);
    clock.ahead += 11_000;
    t.is((await until(noReply, (ms) => ms.length === 2)).length, 2, 'a real reply and a new visitor message start a new stretch');
    t.truthy((await k.server.db('conversations').where({ id }).first()).first_reply_at, 'the real reply is the first response');
    v.socket.close();
    await save({ timeout: { enabled: false } });
    await ann.put('/api/profile/auto-reply', {});
  },
);
