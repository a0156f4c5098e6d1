import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The company's app: a local HTTP server answering with the next queued status (200 when none). */
async function receiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/push`;
  return { received, statuses, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Verifies a Standard Webhooks signature by hand: v1,base64(HMAC-SHA256(key, id.timestamp.body)). */
function signedBy(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`).digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

const clock = { ahead: 0, now: () => new Date(Date.now() + clock.ahead) };
let k: TestKefu;
let admin: TestClient;
let app: Awaited<ReturnType<typeof receiver>>;

test.before(async () => {
  app = await receiver();
  k = await startTestServer({ KEFU_OUTBOUND_ALLOW_PRIVATE: 'true', KEFU_OUTBOUND_ALLOW_HTTP: 'true' }, { clock });
  admin = await k.login();
  // What the member-sso plugin does: vouch for the visitor as a logged-in member of the company's app.
  k.server.container.resolve(HookRegistry).addFilter('visitor.verifiedMember', (v) => ({ ...v, memberId: 'member-42' }), { owner: 'core' });
});
test.after.always(async () => {
  await k?.close();
  await app?.close();
});

const uuid = () => crypto.randomUUID();
async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.serial(
  'POLICY-HOLD-8 POLICY-PUSH-11 POLICY-PUSH-12 a held chat: agent messages are pushed signed, retried, resent; the visitor resumes; the hold runs out',
  async (t) => {
    const version = (await admin.get('/api/settings/policies')).body.version;
    const saved = await admin.put('/api/settings/policies', { version, settings: { hold: { minutes: 2 }, push: { enabled: true, url: app.url } } });
    t.is(saved.status, 200, saved.text);
    const secret: string = saved.body.newPushSecret;
    await addAgent(admin, 'ann', { permissions: ['conversation.accept'], name: 'Ann' });
    const agent = await agentSocket(k.url, await signIn(k, 'ann'));
    const v = await visitorSocket(k.url, k.company.publicId);
    const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
    const { conversation } = await call(v.socket, 'chat.request', {});
    await assigned;
    const id: number = conversation.id;
    const lastSeen = (await call(v.socket, 'message.send', { conversationId: id, clientId: uuid(), text: 'Back soon' })).message.seq;

    await call(agent, 'message.send', { conversationId: id, clientId: uuid(), text: 'Not pushed: the visitor is here' });
    const held = next(agent, 'conversation.held', (m) => m.conversationId === id);
    v.socket.close();
    t.true(Date.parse((await held).holdUntil) > clock.now().getTime() + 60_000, 'held for the 2 minutes set');

    app.statuses.push(503);
    const sent = await call(agent, 'message.send', { conversationId: id, clientId: uuid(), text: 'Your refund is on its way' });
    t.true(sent.ok, 'the chat stays usable for the agent');
    await until(
      () => app.received.length,
      (n) => n >= 1,
    );
    const log = async () => (await admin.get('/api/policies/push-deliveries')).body;
    let entry = (await log()).items[0];
    t.like(entry, { type: 'message.created', conversationId: id, status: 'pending', attempts: 1, lastStatus: 503 });
    clock.ahead += 13_000; // past the first retry (about 10 s)
    await until(
      () => app.received.length,
      (n) => n >= 2,
    );
    entry = await until(
      async () => (await log()).items[0],
      (e) => e.status === 'delivered',
    );
    t.like(entry, { status: 'delivered', attempts: 2, lastStatus: 200 });
    t.is(app.received.length, 2, 'only the pushed message; nothing while the visitor was connected');
    const [first, retry] = app.received;
    t.is(first.headers['webhook-id'], retry.headers['webhook-id'], 'a retry keeps the webhook-id');
    t.true(signedBy(secret, retry));
    t.regex(String(retry.headers['user-agent']), /^Kefu\//);
    const body = JSON.parse(retry.body);
    t.like(body, {
      type: 'message.created',
      data: {
        company: k.company.publicId,
        conversation: id,
        memberId: 'member-42',
        message: { seq: sent.message.seq, kind: 'text', text: 'Your refund is on its way', agentName: 'Ann' },
      },
    });

    const resent = await admin.post(`/api/policies/push-deliveries/${entry.id}/resend`, {});
    t.is(resent.status, 202, resent.text);
    await until(
      () => app.received.length,
      (n) => n >= 3,
    );
    t.is(app.received[2].headers['webhook-id'], first.headers['webhook-id'], '重新推送 sends the same event');
    t.is((await admin.get('/api/policies/push-deliveries?failed=true')).body.total, 0);

    const resumed = next(agent, 'conversation.resumed', (m) => m.conversationId === id);
    const back = await visitorSocket(k.url, k.company.publicId, v.token);
    t.is(back.conversation.id, id, 'a return within the hold continues the same conversation');
    await resumed;
    const replay = await call(back.socket, 'sync', { conversationId: id, afterSeq: lastSeen });
    t.deepEqual(
      replay.messages.map((m: any) => m.text),
      ['Not pushed: the visitor is here', 'Your refund is on its way'],
    );

    const heldAgain = next(agent, 'conversation.held', (m) => m.conversationId === id);
    back.socket.close();
    await heldAgain;
    const ended = next(agent, 'conversation.updated', (m) => m.conversation.id === id && m.conversation.status === 'ended', 8000);
    clock.ahead += 121_000;
    t.is((await ended).conversation.endReason, 'visitor_left');
    const again = await visitorSocket(k.url, k.company.publicId, v.token);
    t.is(again.conversation, null, 'after the hold the next request is a new conversation');
    again.socket.close();
    agent.close();
  },
);

test.serial('POLICY-HOLD-8 with hold off the chat ends 30 s after the last window closes', async (t) => {
  const version = (await admin.get('/api/settings/policies')).body.version;
  t.is((await admin.put('/api/settings/policies', { version, settings: { hold: { enabled: false } } })).status, 200);
  const agent = await agentSocket(k.url, await signIn(k, 'ann'));
  const v = await visitorSocket(k.url, k.company.publicId);
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const { conversation } = await call(v.socket, 'chat.request', {});
  await assigned;
  const held = next(agent, 'conversation.held', (m) => m.conversationId === conversation.id);
  v.socket.close();
  const { holdUntil } = await held;
  const grace = Date.parse(holdUntil) - clock.now().getTime();
  t.true(grace > 25_000 && grace <= 30_000, `a 30 s grace, got ${grace} ms`);
  const ended = next(agent, 'conversation.updated', (m) => m.conversation.id === conversation.id && m.conversation.status === 'ended', 8000);
  clock.ahead += 31_000;
  t.is((await ended).conversation.endReason, 'visitor_left');
  agent.close();
});

test('SMS-PROVIDER-5 POLICY-PUSH-11 outbound requests refuse loopback addresses unless the operator allows them', async (t) => {
  const strict = await startTestServer({ KEFU_OUTBOUND_ALLOW_HTTP: 'true' });
  try {
    const c = await strict.login();
    const saved = await c.put('/api/settings/policies', { version: 0, settings: { push: { enabled: true, url: app.url } } });
    t.is(saved.status, 200, saved.text);
    const before = app.received.length;
    const r = await c.post('/api/settings/policies/push-test', {});
    t.is(r.status, 200, r.text);
    t.is(r.body.status, null);
    t.regex(r.body.error, /not allowed/i);
    t.is(app.received.length, before, 'nothing reached the local server');
    const version = (await admin.get('/api/settings/policies')).body.version;
    await admin.put('/api/settings/policies', { version, settings: { push: { enabled: true, url: app.url } } });
    const allowed = await admin.post('/api/settings/policies/push-test', {});
    t.like(allowed.body, { status: 200, error: null }, 'with the operator’s permission the same address is reached');
    t.is(JSON.parse(app.received.at(-1)!.body).type, 'push.test');
  } finally {
    await strict.close();
  }
});
