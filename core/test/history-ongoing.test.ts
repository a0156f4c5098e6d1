import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { MessageStore } from '../src/conversations/message-store.ts';
import { ConversationService, type Sender } from '../src/conversations/conversation-service.ts';
import { Tenant } from '../src/tenancy/tenant.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentDbId, seedConversation } from './history-seed.ts';
import { agentSocket, call, next } from './helpers/sockets.ts';

/** Running conversations in history (HISTORY-ONGOING-13): marked, live for those allowed, never exported or deleted. */
const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

let k: TestKefu;
let admin: TestClient;
const ids: Record<string, number> = {};

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  ids.admin = await agentDbId(k, 'admin');
  ids.ann = (await addAgent(admin, 'ann')).id;
  ids.bob = (await addAgent(admin, 'bob')).id;
  ids.mon = (await addAgent(admin, 'mon', { permissions: ['conversation.monitor'] })).id;
});
test.after.always(() => k?.close());

const say = (conversationId: number, text: string) =>
  k.server.container.resolve(MessageStore).append(new Tenant(k.server.db, k.company.id), conversationId, {
    clientId: `live-${text}`,
    senderKind: 'visitor',
    senderId: null,
    senderName: 'visitor',
    kind: 'text',
    text,
    payload: null,
  });

test.serial(`HISTORY-ONGOING-13 a running conversation is listed as running, and its transcript grows while it runs (${driver})`, async (t) => {
  const running = await seedConversation(k, { agentId: ids.ann, status: 'active', lines: [['visitor', '你好']] });
  const ann = await signIn(k, 'ann');
  const row = (await ann.get('/api/history/conversations?status=ongoing')).body.items.find((x: any) => x.id === running);
  t.like(row, { status: 'active', endedAt: null });
  const detail = (await ann.get(`/api/history/conversations/${running}`)).body;
  const lastSeq = detail.messages.at(-1).seq;

  await say(running, '还在吗');
  const live = await ann.get(`/api/history/conversations/${running}/messages?afterSeq=${lastSeq}`);
  t.is(live.status, 200, live.text);
  t.is(live.body.status, 'active');
  t.deepEqual(
    live.body.messages.map((m: any) => m.text),
    ['还在吗'],
    'only what came after the transcript already shown',
  );
  t.is((await ann.get(`/api/history/conversations/${running}/messages?afterSeq=-1`)).status, 400);

  await k.server.db('conversations').where({ id: running }).update({ status: 'ended', ended_at: new Date(), end_reason: 'agent' });
  t.is((await ann.get(`/api/history/conversations/${running}/messages?afterSeq=0`)).body.status, 'ended', 'the transcript learns that it ended');
});

test.serial(`HISTORY-ONGOING-13 whoever may monitor the serving agent reads a running conversation, not an ended one or an admin's (${driver})`, async (t) => {
  const annRunning = await seedConversation(k, { agentId: ids.ann, status: 'active', lines: [['visitor', 'ann 的对话']] });
  const annEnded = await seedConversation(k, { agentId: ids.ann, lines: [['visitor', 'ann 结束的对话']] });
  const adminRunning = await seedConversation(k, { agentId: ids.admin, status: 'active', lines: [['visitor', '管理员的对话']] });
  const mon = await signIn(k, 'mon');
  const bob = await signIn(k, 'bob');

  const listed = (await mon.get('/api/history/conversations')).body.items.map((x: any) => x.id);
  t.true(listed.includes(annRunning), 'a monitor finds the running conversation of an agent they may monitor');
  t.false(listed.includes(annEnded), 'not once it has ended');
  t.false(listed.includes(adminRunning), 'nor an admin’s (only admins monitor admins)');
  t.is((await mon.get(`/api/history/conversations/${annRunning}`)).status, 200);
  t.is((await mon.get(`/api/history/conversations/${annRunning}/messages?afterSeq=0`)).status, 200);
  t.is((await mon.get(`/api/history/conversations/${annEnded}`)).status, 404);
  t.is((await mon.get(`/api/history/conversations/${adminRunning}`)).status, 404);

  t.is((await bob.get(`/api/history/conversations/${annRunning}`)).status, 404, 'an agent without the permission sees nothing of it');
  t.is((await bob.get(`/api/history/conversations/${annRunning}/messages?afterSeq=0`)).status, 404);
  t.is((await admin.get(`/api/history/conversations/${adminRunning}/messages?afterSeq=0`)).status, 200, 'admins see everything');
});

test.serial(`HISTORY-ONGOING-13 nobody exports or deletes a running conversation (${driver})`, async (t) => {
  const running = await seedConversation(k, { agentId: ids.ann, status: 'active', topic: '运行中导出', lines: [['visitor', '导出我']] });
  const del = await admin.post('/api/history/conversations/delete', { ids: [running] });
  t.is(del.status, 409);
  t.is(del.body.error.code, 'conversation_ongoing');
  const csv = await admin.get(`/api/history/export?format=csv&content=messages&conversationId=${running}`);
  t.is(csv.status, 200, csv.text);
  t.false(csv.text.includes('导出我'), 'the export leaves it out');
  await k.server.db('conversations').where({ id: running }).update({ status: 'ended', ended_at: new Date(), end_reason: 'agent' });
  t.true((await admin.get(`/api/history/export?format=csv&content=messages&conversationId=${running}`)).text.includes('导出我'), 'once ended it is exported');
  t.is((await admin.get(`/api/history/conversations/${running}`)).status, 200, 'it is still there');
});

test.serial(`HISTORY-ONGOING-13 MAIN-LIVE-5 an open transcript follows a running conversation by push, only for who may read it (${driver})`, async (t) => {
  const running = await seedConversation(k, { agentId: ids.ann, status: 'active', lines: [['visitor', '推送开始']] });
  const [mon, bob] = [await agentSocket(k.url, await signIn(k, 'mon')), await agentSocket(k.url, await signIn(k, 'bob'))];
  t.teardown(() => [mon, bob].forEach((s) => s.close()));
  const conversations = k.server.container.resolve(ConversationService);
  const annSender: Sender = { kind: 'agent', agentId: ids.ann, nickname: 'ann', isAdmin: false };
  const reply = (text: string) => conversations.send(k.company.id, running, annSender, { clientId: `push-${text}`, kind: 'text', text, payload: null });

  t.like(await call(mon, 'history.follow', { conversationId: running, on: true }), { ok: true, status: 'active' });
  const refused = await call(bob, 'history.follow', { conversationId: running, on: true });
  t.is(refused.error?.code, 'not_found', 'the server checks the viewer may read it (HISTORY-VISIBILITY-5, CONV-MONITOR-35)');

  let bobGot = 0;
  bob.on('message', () => (bobGot += 1));
  const t0 = Date.now();
  const pushed = next(mon, 'message', (m) => m.message.conversationId === running, 1000);
  await reply('第一条');
  t.is((await pushed).message.text, '第一条', 'the follower gets the new message within 1 s');
  t.log(`pushed in ${Date.now() - t0} ms`);

  t.like(await call(mon, 'history.follow', { conversationId: running, on: false }), { ok: true, status: null });
  let monGot = 0;
  mon.on('message', () => (monGot += 1));
  await reply('第二条');
  await new Promise((r) => setTimeout(r, 300));
  t.is(monGot, 0, 'no more pushes once it stops following');
  t.is(bobGot, 0, 'nothing ever reached the refused viewer');

  t.like(await call(mon, 'history.follow', { conversationId: running, on: true }), { ok: true, status: 'active' });
  const ended = next(mon, 'conversation.updated', (m) => m.conversation.id === running && m.conversation.status === 'ended', 1000);
  await conversations.end(k.company.id, running, annSender, 'agent_ended');
  t.is((await ended).conversation.status, 'ended', 'the transcript learns at once that it ended');
  t.is((await call(mon, 'history.follow', { conversationId: running, on: true })).error?.code, 'not_found', 'once ended it is no longer the monitor’s to read');
});
