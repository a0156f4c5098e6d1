import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

/** Automatic proactive chat (SPEC POLICY-PROACTIVE-2) with real sockets; the server clock can run ahead for the retry. */
const clock = { ahead: 0, now: () => new Date(Date.now() + clock.ahead) };
let k: TestKefu;
let admin: TestClient;
let console_: Socket;
const sockets: Socket[] = [];

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
  await addAgent(admin, 'ann', { permissions: ['conversation.accept'], name: 'Ann' });
  console_ = await agentSocket(k.url, await signIn(k, 'ann'));
  // The admin stays away, so Ann alone decides whether someone can take the chat.
  sockets.push(console_, await agentSocket(k.url, admin));
  await call(sockets[1], 'presence.set', { status: 'away' });
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await k?.close();
});

async function save(proactive: Record<string, unknown>) {
  const current = await admin.get('/api/settings/policies');
  const r = await admin.put('/api/settings/policies', { version: current.body.version, settings: { ...current.body.settings, proactive } });
  if (r.status !== 200) throw new Error(r.text);
}

/** A visitor who opens `url`; `greeting` resolves with the first proactive.greeting or null after `ms`. */
async function arrive(url: string, language = 'en', ms = 4000) {
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const greeting = next(v.socket, 'proactive.greeting', () => true, ms).catch(() => null);
  await call(v.socket, 'page.view', { url, language });
  return { socket: v.socket, greeting };
}

test.serial('POLICY-PROACTIVE-2: after the delay a matching visitor gets the greeting in their language; other pages and open chats get none', async (t) => {
  await call(console_, 'presence.set', { status: 'online' });
  await save({
    enabled: true,
    delaySeconds: 1,
    maxPerVisit: 1,
    greeting: { en: 'Questions about our prices?' },
    conditions: { page: { op: 'contains', value: '/pricing' } },
  });
  const started = Date.now();
  const match = await arrive('https://shop.example/pricing', 'en-US');
  const other = await arrive('https://shop.example/about');
  const chatting = await arrive('https://shop.example/pricing/pro');
  t.true((await call(chatting.socket, 'chat.request', {})).ok);
  const zh = await arrive('https://shop.example/pricing', 'zh-CN');

  t.deepEqual(await match.greeting, { text: 'Questions about our prices?', shown: 1, maxPerVisit: 1 });
  t.true(Date.now() - started >= 1000, 'not before the delay');
  t.is((await zh.greeting)?.text, '您好!我是在线客服,有什么可以帮您的吗?', 'a language without a company text gets the built-in greeting');
  t.is(await other.greeting, null, 'the page condition does not hold');
  t.is(await chatting.greeting, null, 'never for a visitor with an open conversation');
  t.is(await next(match.socket, 'proactive.greeting', () => true, 2500).catch(() => null), null, 'at most maxPerVisit times');
});

test.serial('POLICY-PROACTIVE-2: it waits for an agent 在线 with free capacity, and a closed window ends it for the visit', async (t) => {
  await call(console_, 'presence.set', { status: 'busy' });
  await save({ enabled: true, delaySeconds: 0, maxPerVisit: 3, greeting: {} });
  const waiting = await arrive('https://shop.example/', 'en', 3000);
  const closing = await arrive('https://shop.example/', 'en', 3000);
  t.is(await waiting.greeting, null, 'nobody 在线: not shown');
  t.is(await closing.greeting, null);
  t.true((await call(closing.socket, 'proactive.close', {})).ok);

  await call(console_, 'presence.set', { status: 'online' });
  const shown = next(waiting.socket, 'proactive.greeting', () => true, 8000);
  const notShown = next(closing.socket, 'proactive.greeting', () => true, 4000).catch(() => null);
  clock.ahead += 11_000; // past the re-check, still inside the presence heartbeat
  t.like(await shown, { text: "Hi there! I'm here to help — any questions?", shown: 1, maxPerVisit: 3 });
  t.is(await notShown, null, 'the visitor closed the proactive window in this visit');
});

test.serial('POLICY-PROACTIVE-2: switched off nobody gets it; bad settings are refused field by field', async (t) => {
  await save({ enabled: false });
  t.like((await admin.get('/api/settings/policies')).body.settings.proactive, { enabled: false, delaySeconds: 30, maxPerVisit: 1, conditions: {} });
  const quiet = await arrive('https://shop.example/', 'en', 2500);
  t.is(await quiet.greeting, null);

  const r = await admin.put('/api/settings/policies', {
    version: (await admin.get('/api/settings/policies')).body.version,
    settings: { proactive: { enabled: true, delaySeconds: 601, maxPerVisit: 6, conditions: { times: [{ days: [8], from: '9:00', to: '18:00' }] } } },
  });
  t.is(r.status, 400);
  t.deepEqual(r.body.error.fields.map((f: any) => f.path).sort(), [
    'settings.proactive.conditions.times.0.days.0',
    'settings.proactive.conditions.times.0.from',
    'settings.proactive.delaySeconds',
    'settings.proactive.maxPerVisit',
  ]);
});
