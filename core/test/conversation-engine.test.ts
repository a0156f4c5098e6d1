import crypto from 'node:crypto';
import test from 'ava';
import { startTestServer, type TestKefu, type TestClient } from '@kefu/core/testing';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
let admin: TestClient;
const uuid = () => crypto.randomUUID();
const setAutoAssign = (on: boolean, companyId = k.company.id) =>
  k.server
    .db('companies')
    .where({ id: companyId })
    .update({ chat_settings: JSON.stringify({ autoAssign: on }) });

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  for (const id of ['ann', 'bob']) await admin.post('/api/agents', { agentId: id, name: id, password: 'Pass-word-123', mustChangePassword: false });
});
test.after.always(() => k?.close());

test.serial('CONV-REQUEST-4 CONV-MESSAGE-8 a visitor chats with an agent end to end (auto-assigned)', async (t) => {
  await setAutoAssign(true);
  const ann = await k.login('ann', 'Pass-word-123');
  const agent = await agentSocket(k.url, ann);
  const v = await visitorSocket(k.url, k.company.publicId);
  t.true(v.token.length >= 22, 'server-issued token of at least 128 bits');
  const row = next(agent, 'visitor.updated', (m) => m.visitor.visitCount === 1);
  t.true(
    (await call(v.socket, 'page.view', { url: 'https://shop.example/p/1', title: 'Shoes', referrer: 'https://www.google.com/search?q=shoes' })).visitId > 0,
  );
  const { visitor } = await row;
  t.like(visitor, {
    number: v.visitorNumber,
    state: 'browsing',
    browser: 'Chrome 124',
    os: 'Windows 10',
    searchEngine: 'google',
    keyword: 'shoes',
    currentTitle: 'Shoes',
    visitCount: 1,
  });
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const chatting = next(agent, 'visitor.updated', (m) => m.visitor.state === 'chatting');
  const req = await call(v.socket, 'chat.request', {});
  t.true(req.ok);
  t.is((await chatting).visitor.conversationId, req.conversation.id, 'the visitor row turns to chatting');
  const { conversation } = await assigned;
  t.is(conversation.id, req.conversation.id);
  t.truthy(conversation.agentId);
  const again = await call(v.socket, 'chat.request', {});
  t.is(again.conversation.id, req.conversation.id, 'a repeated request returns the open conversation');

  const got = next(agent, 'message');
  const sent = await call(v.socket, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: '  你好, <b>退款</b>?  ' });
  t.true(sent.ok);
  t.is(sent.message.text, '你好, <b>退款</b>?', 'stored trimmed, as text');
  t.is((await got).message.seq, sent.message.seq);

  t.deepEqual((await call(agent, 'workbench.snapshot', {})).unread, { [conversation.id]: 1 });
  await call(agent, 'conversation.read', { conversationId: conversation.id, seq: sent.message.seq });
  t.deepEqual((await call(agent, 'workbench.snapshot', {})).unread, {}, 'read up to the last seq: nothing unread');
  const toVisitor = next(v.socket, 'message', (m) => m.message.senderKind === 'agent');
  const reply = await call(agent, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: 'Hello, how can I help?' });
  t.true(reply.ok);
  const delivered = await toVisitor;
  t.is(delivered.message.senderName, 'ann');
  t.true(delivered.message.seq > sent.message.seq);

  const typing = next(agent, 'visitor.typing');
  await call(v.socket, 'typing', { conversationId: conversation.id, text: 'I want a ref' });
  t.is((await typing).text, 'I want a ref');

  const ended = next(agent, 'conversation.updated', (m) => m.conversation.status === 'ended');
  const end = await call(v.socket, 'chat.end', { conversationId: conversation.id });
  t.is(end.conversation.endReason, 'visitor_ended');
  await ended;
  t.is((await call(v.socket, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: 'late' })).error.code, 'conversation_ended');
  t.is((await call(v.socket, 'chat.end', { conversationId: conversation.id })).error.code, 'conversation_ended');
  agent.close();
  v.socket.close();
});

test.serial('CONV-ACCEPT-5 two agents race to accept one chat: exactly one wins', async (t) => {
  await setAutoAssign(false);
  const [ann, bob] = [await k.login('ann', 'Pass-word-123'), await k.login('bob', 'Pass-word-123')];
  const [a, b] = [await agentSocket(k.url, ann), await agentSocket(k.url, bob)];
  const v = await visitorSocket(k.url, k.company.publicId);
  const queued = next(a, 'queue.changed', (m) => m.waiting.length > 0);
  const req = await call(v.socket, 'chat.request', {});
  t.is(req.conversation.status, 'queued');
  t.is(req.position, 1);
  await queued;
  const results = await Promise.all([
    call(a, 'conversation.accept', { conversationId: req.conversation.id }),
    call(b, 'conversation.accept', { conversationId: req.conversation.id }),
  ]);
  const winners = results.filter((r) => r.ok);
  const losers = results.filter((r) => r.error);
  t.is(winners.length, 1);
  t.is(losers.length, 1);
  t.is(losers[0].error.code, 'already_accepted');
  t.is(losers[0].error.agentId, winners[0].conversation.agentId);
  const stored = await k.server.db('conversations').where({ id: req.conversation.id }).first();
  t.is(stored.status, 'active');
  for (const s of [a, b, v.socket]) s.close();
});

test.serial('CONV-IDEMPOTENT-9 a retried send is stored once and a reconnecting visitor gets what it missed', async (t) => {
  await setAutoAssign(true);
  const ann = await k.login('ann', 'Pass-word-123');
  const agent = await agentSocket(k.url, ann);
  const v = await visitorSocket(k.url, k.company.publicId);
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const { conversation } = await call(v.socket, 'chat.request', {});
  await assigned;
  const clientId = uuid();
  const [x, y] = await Promise.all([
    call(v.socket, 'message.send', { conversationId: conversation.id, clientId, text: 'once' }),
    call(v.socket, 'message.send', { conversationId: conversation.id, clientId, text: 'once' }),
  ]);
  t.is(x.message.seq, y.message.seq);
  t.is(x.message.id, y.message.id);
  const count = await k.server.db('messages').where({ conversation_id: conversation.id, client_id: clientId }).count('* as n').first();
  t.is(Number(count!.n), 1);
  const lastSeen = x.message.seq;
  v.socket.close();
  for (const text of ['one', 'two', 'three']) await call(agent, 'message.send', { conversationId: conversation.id, clientId: uuid(), text });
  const back = await visitorSocket(k.url, k.company.publicId, v.token);
  t.is(back.visitorNumber, v.visitorNumber, 'same visitor with the kept token');
  t.is(back.conversation.id, conversation.id, 'the open conversation is handed back');
  const replay = await call(back.socket, 'sync', { conversationId: conversation.id, afterSeq: lastSeen });
  t.deepEqual(
    replay.messages.map((m: any) => m.text),
    ['one', 'two', 'three'],
  );
  t.deepEqual(
    replay.messages.map((m: any) => m.seq),
    [lastSeen + 1, lastSeen + 2, lastSeen + 3],
  );
  agent.close();
  back.socket.close();
});

test.serial('ASSIGN-POSITION-9 waiting visitors are told their position, updated live', async (t) => {
  await setAutoAssign(false);
  const [a, b] = [await visitorSocket(k.url, k.company.publicId), await visitorSocket(k.url, k.company.publicId)];
  const ra = await call(a.socket, 'chat.request', {});
  const rb = await call(b.socket, 'chat.request', {});
  t.is(rb.position, ra.position + 1);
  const moved = next(b.socket, 'queue.position', (m) => m.conversationId === rb.conversation.id && m.position === ra.position);
  await call(a.socket, 'chat.end', { conversationId: ra.conversation.id });
  t.is((await moved).position, ra.position);
  await call(b.socket, 'chat.end', { conversationId: rb.conversation.id });
  a.socket.close();
  b.socket.close();
});

test.serial('ASSIGN-TRIGGER-12 a visitor waiting with nobody online is connected when an agent comes online', async (t) => {
  await setAutoAssign(true);
  // Nobody present: earlier tests' consoles are closed.
  await k.server.db('agent_presence').update({ heartbeat_at: null });
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  t.is(req.conversation.status, 'queued');
  const bob = await k.login('bob', 'Pass-word-123');
  const connected = next(v.socket, 'conversation.updated', (m) => m.conversation.status === 'active');
  const agent = await agentSocket(k.url, bob);
  const { conversation } = await connected;
  t.is(conversation.id, req.conversation.id);
  t.is(conversation.agentNickname, 'bob');
  await call(v.socket, 'chat.end', { conversationId: conversation.id });
  agent.close();
  v.socket.close();
});

test.serial('VISITOR-IDENTITY-1 a made-up token gets a new visitor, never someone else', async (t) => {
  const first = await visitorSocket(k.url, k.company.publicId);
  const forged = await visitorSocket(k.url, k.company.publicId, 'x'.repeat(32));
  t.not(forged.visitorNumber, first.visitorNumber);
  t.not(forged.token, 'x'.repeat(32));
  const stored = await k.server.db('visitors').whereNotNull('token_hash').select('token_hash');
  t.false(
    stored.some((r) => r.token_hash === first.token),
    'tokens are stored hashed',
  );
  first.socket.close();
  forged.socket.close();
});

test.serial('bad socket input gets a clear error ack and changes nothing', async (t) => {
  const v = await visitorSocket(k.url, k.company.publicId);
  t.is((await call(v.socket, 'message.send', { conversationId: 'x', clientId: 'short', text: '' })).error.code, 'validation_failed');
  t.is((await call(v.socket, 'conversation.accept', { conversationId: 1 })).error.code, 'unknown_event', 'a visitor cannot send agent events');
  const long = await call(v.socket, 'message.send', { conversationId: 1, clientId: uuid(), text: 'x'.repeat(5001) });
  t.is(long.error.fields[0].code, 'text_too_long');
  t.is((await call(v.socket, 'sync', { conversationId: 999999, afterSeq: 0 })).error.code, 'not_found');
  v.socket.close();
});

test.serial('tenant isolation: company B cannot touch company A conversations over sockets', async (t) => {
  await setAutoAssign(false);
  const v = await visitorSocket(k.url, k.company.publicId);
  const { conversation } = await call(v.socket, 'chat.request', {});
  const b = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', undefined, b.publicId);
  const s = await agentSocket(k.url, otherAdmin);
  t.is((await call(s, 'conversation.accept', { conversationId: conversation.id })).error.code, 'not_found');
  t.is((await call(s, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: 'hi' })).error.code, 'not_found');
  t.is((await call(s, 'sync', { conversationId: conversation.id, afterSeq: 0 })).error.code, 'not_found');
  t.is((await call(s, 'conversation.end', { conversationId: conversation.id })).error.code, 'not_found');
  const snap = await call(s, 'workbench.snapshot', {});
  t.deepEqual(snap.waiting, []);
  t.false(snap.visitors.some((x: any) => x.id === conversation.visitorId));
  const otherVisitor = await visitorSocket(k.url, b.publicId);
  t.is((await call(otherVisitor.socket, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: 'x' })).error.code, 'not_found');
  for (const x of [s, v.socket, otherVisitor.socket]) x.close();
});

test.serial('EVAL-FORM-1 TOOLBAR-EVALPENDING-4 an ended conversation awaits evaluation until the agent evaluates it', async (t) => {
  await setAutoAssign(true);
  const ann = await k.login('ann', 'Pass-word-123');
  const agent = await agentSocket(k.url, ann);
  await call(agent, 'presence.set', { status: 'online' });
  const v = await visitorSocket(k.url, k.company.publicId);
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  await call(v.socket, 'chat.request', {});
  const { conversation } = await assigned;
  // Only conversations with a visitor message await evaluation (EVAL-PENDING-6).
  await call(v.socket, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: 'Hi' });
  await call(agent, 'conversation.end', { conversationId: conversation.id });
  const pending = await ann.get('/api/conversations/awaiting-evaluation');
  t.true(pending.body.items.some((c: any) => c.id === conversation.id));
  const bad = await ann.put(`/api/conversations/${conversation.id}/evaluation`, { topic: '', valid: true, note: null, version: 0 });
  t.is(bad.status, 400);
  const ok = await ann.put(`/api/conversations/${conversation.id}/evaluation`, { topic: '售后服务', valid: true, note: 'asked about a refund', version: 0 });
  t.is(ok.status, 200);
  t.like(ok.body.evaluation, { topic: '售后服务', valid: true, note: 'asked about a refund' });
  t.false((await ann.get('/api/conversations/awaiting-evaluation')).body.items.some((c: any) => c.id === conversation.id));
  const bob = await k.login('bob', 'Pass-word-123');
  t.is(
    (await bob.put(`/api/conversations/${conversation.id}/evaluation`, { topic: '售后服务', valid: false, note: null, version: 1 })).status,
    404,
    'not his conversation, no history rights: not found',
  );
  const transcript = await ann.get(`/api/conversations/${conversation.id}/messages`);
  t.is(transcript.status, 200);
  t.is(transcript.body.conversation.status, 'ended');
  agent.close();
  v.socket.close();
});

test.serial('VISITOR-ARRIVE-2 the loader beacon records page views with the chat closed; the token comes back in the body', async (t) => {
  const agent = await agentSocket(k.url, admin);
  const ua = {
    'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    origin: 'https://shop.example',
  };
  const seen = next(agent, 'visitor.updated', (m) => m.visitor.currentTitle === 'Landing');
  const first = await k
    .client()
    .request(
      'POST',
      '/api/widget/pageview',
      { companyId: k.company.publicId, url: 'https://shop.example/', title: 'Landing', referrer: 'https://www.baidu.com/s?wd=%E9%80%80%E6%AC%BE' },
      ua,
    );
  t.is(first.status, 200);
  t.is(first.headers.get('access-control-allow-origin'), 'https://shop.example', 'callable from the customer site');
  const { visitor } = await seen;
  t.like(visitor, { searchEngine: 'baidu', keyword: '退款', state: 'browsing' });
  const second = await k
    .client()
    .request('POST', '/api/widget/pageview', { companyId: k.company.publicId, token: first.body.token, url: 'https://shop.example/cart', title: 'Cart' }, ua);
  t.is(second.body.token, first.body.token, 'the same visitor');
  const v = await visitorSocket(k.url, k.company.publicId, first.body.token);
  t.is(v.visitorNumber, visitor.number, 'the chat window continues as that visitor');
  const unknown = await k.client().request('POST', '/api/widget/pageview', { companyId: 99999999, url: 'https://x/' }, ua);
  t.is(unknown.status, 404);
  agent.close();
  v.socket.close();
});
