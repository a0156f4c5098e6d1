import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

/** Group-only service and group overflow (SPEC GROUP-SCOPE-5, GROUP-OVERFLOW-7, GROUP-STATE-6), with real sockets. */
const clock = { ahead: 0, now: () => new Date(Date.now() + clock.ahead) };
let k: TestKefu;
let admin: TestClient;
let adminConsole: Socket;
const sockets: Socket[] = [];
const consoles: Record<string, Socket> = {};
const ids: Record<string, number> = {};

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
  adminConsole = await agentSocket(k.url, admin);
  sockets.push(adminConsole);
  // The admin never takes chats automatically here, so every request waits or goes to the agent the test expects.
  await call(adminConsole, 'presence.set', { status: 'online', autoAccept: false });
  for (const name of ['ann', 'bob', 'cat']) {
    ids[name] = (await addAgent(admin, name, { permissions: ['conversation.accept'] })).id;
    consoles[name] = await agentSocket(k.url, await signIn(k, name));
    sockets.push(consoles[name]);
  }
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await k?.close();
});

async function group(name: string, memberIds: number[], overflow?: Record<string, unknown>) {
  const r = await admin.post('/api/groups', { name, memberIds, ...(overflow ? { overflow } : {}) });
  if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
  return r.body as { id: number };
}

async function presence(name: string, status: string, autoAccept: boolean) {
  const r = await call(consoles[name], 'presence.set', { status, autoAccept });
  if (!r.ok) throw new Error(JSON.stringify(r));
}

async function request(groupId: number) {
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const r = await call(v.socket, 'chat.request', { groupId });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { socket: v.socket, conversation: r.conversation };
}

const waitingIds = async (s: Socket) => ((await call(s, 'workbench.snapshot', {})).waiting as { id: number }[]).map((c) => c.id);
const listed = async (id: number) => ((await admin.get('/api/groups')).body.items as any[]).find((g) => g.id === id);

test.serial('GROUP-SCOPE-5 a group request is listed and accepted only by members; others, admins included, get 409 not_in_scope', async (t) => {
  const g = await group('售前', [ids.ann]);
  await presence('ann', 'online', false);
  await presence('bob', 'online', false);
  const bobSees = next(consoles.bob, 'queue.changed');
  const annSees = next(consoles.ann, 'queue.changed', (m) => m.waiting.length > 0);
  const { conversation } = await request(g.id);
  t.like(conversation, { status: 'queued', groupId: g.id, scopeGroupId: g.id, overflowed: false });

  t.deepEqual(
    (await annSees).waiting.map((c: any) => c.id),
    [conversation.id],
    'the member sees it within the push',
  );
  t.false(
    (await bobSees).waiting.some((c: any) => c.id === conversation.id),
    'a non-member is not told about it',
  );
  t.true((await waitingIds(consoles.ann)).includes(conversation.id));
  t.false((await waitingIds(consoles.bob)).includes(conversation.id), "not in a non-member's 等待接入");
  t.false((await waitingIds(adminConsole)).includes(conversation.id), "nor in an admin's");

  for (const s of [consoles.bob, adminConsole]) {
    const r = await call(s, 'conversation.accept', { conversationId: conversation.id });
    t.is(r.error?.code, 'not_in_scope');
  }
  t.is((await k.server.db('conversations').where({ id: conversation.id }).first('status')).status, 'queued', 'a refused accept changes nothing');
  const won = await call(consoles.ann, 'conversation.accept', { conversationId: conversation.id });
  t.like(won.conversation, { status: 'active', agentId: ids.ann });
  t.true((await call(consoles.ann, 'conversation.end', { conversationId: conversation.id })).ok);
});

test.serial(
  'GROUP-OVERFLOW-7 GROUP-STATE-6 a group with nobody on duty sends a request to the whole company at once; it keeps its group and is marked overflowed',
  async (t) => {
    const g = await group('夜班', [ids.cat], { target: 'company', waitSeconds: 60 });
    await presence('cat', 'away', false);
    await presence('ann', 'away', false);
    await presence('bob', 'online', true);
    t.like((await listed(g.id)).live, { state: 'offline', onDuty: 0 }, 'no member can chat');
    t.like((await listed(g.id)).overflow, { target: 'company', groupId: null, waitSeconds: 60 });

    const assigned = next(consoles.bob, 'conversation.updated', (m) => m.conversation.status === 'active');
    const { conversation } = await request(g.id);
    t.like((await assigned).conversation, { id: conversation.id, agentId: ids.bob, groupId: g.id, overflowed: true, scopeGroupId: null });
    const row = await k.server.db('conversations').where({ id: conversation.id }).first('group_id', 'overflowed_at');
    t.is(Number(row.group_id), g.id, 'history and reports keep the original group');
    t.truthy(row.overflowed_at);
    t.true((await call(consoles.bob, 'conversation.end', { conversationId: conversation.id })).ok);

    await presence('cat', 'busy', false);
    t.like((await listed(g.id)).live, { state: 'busy', onDuty: 1 });
    await presence('cat', 'online', false);
    t.like((await listed(g.id)).live, { state: 'online', onDuty: 1 });
  },
);

test.serial("GROUP-OVERFLOW-7 with members on duty but none free the request waits the group's time, then goes to the chosen group", async (t) => {
  const helpers = await group('售后', [ids.bob]);
  const bad = await admin.post('/api/groups', { name: '无目标', overflow: { target: 'group', waitSeconds: 30 } });
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'validation_failed');
  t.deepEqual(
    bad.body.error.fields.map((f: any) => [f.path, f.code]),
    [['overflow.groupId', 'required']],
  );
  t.is((await admin.post('/api/groups', { name: '太久', overflow: { target: 'company', waitSeconds: 601 } })).status, 400, 'the wait is 0–600 s');

  const g = await group('技术', [ids.ann], { target: 'group', groupId: helpers.id, waitSeconds: 30 });
  await presence('ann', 'online', false); // on duty, takes nothing automatically
  await presence('bob', 'online', false);
  const { conversation } = await request(g.id);
  t.like(conversation, { scopeGroupId: g.id, overflowed: false });
  t.is((await listed(g.id)).live.waiting, 1, "排队 counts the group's waiting visitor");
  t.false((await waitingIds(consoles.bob)).includes(conversation.id));

  const bobSees = next(consoles.bob, 'queue.changed', (m) => m.waiting.some((c: any) => c.id === conversation.id), 5000);
  const annLoses = next(consoles.ann, 'queue.changed', (m) => !m.waiting.some((c: any) => c.id === conversation.id), 5000);
  clock.ahead += 31_000;
  const moved = (await bobSees).waiting.find((c: any) => c.id === conversation.id);
  t.like(moved, { groupId: g.id, scopeGroupId: helpers.id, overflowed: true });
  await annLoses;
  t.is((await call(consoles.ann, 'conversation.accept', { conversationId: conversation.id })).error?.code, 'not_in_scope', "now it is the other group's");
  t.like((await listed(helpers.id)).live, { waiting: 1 });
  t.like((await call(consoles.bob, 'conversation.accept', { conversationId: conversation.id })).conversation, { agentId: ids.bob, groupId: g.id });
});

test.serial(
  'TOOLBAR-WAITING-2 every candidate console gets the new list when a visitor queues, leaves or is taken; a non-candidate never lists it',
  async (t) => {
    const g = await group('VIP', [ids.ann, ids.cat]);
    for (const name of ['ann', 'bob', 'cat']) await presence(name, 'online', false);
    const has = (id: number) => (m: any) => m.waiting.some((c: any) => c.id === id);
    const lacks = (id: number) => (m: any) => !m.waiting.some((c: any) => c.id === id);

    const queued = [next(consoles.ann, 'queue.changed', (m) => m.waiting.length > 0), next(consoles.cat, 'queue.changed', (m) => m.waiting.length > 0)];
    const bobPush = next(consoles.bob, 'queue.changed');
    const leaving = await request(g.id);
    const taken = await request(g.id);
    for (const p of queued) t.true(has(leaving.conversation.id)(await p));
    t.true(lacks(leaving.conversation.id)(await bobPush), 'Bob is told the queue changed, without the group’s request');

    const left = [next(consoles.ann, 'queue.changed', lacks(leaving.conversation.id)), next(consoles.cat, 'queue.changed', lacks(leaving.conversation.id))];
    t.true((await call(leaving.socket, 'queue.leave', { conversationId: leaving.conversation.id, leaveMessage: false })).ok);
    for (const m of await Promise.all(left))
      t.deepEqual(
        m.waiting.map((c: any) => c.id),
        [taken.conversation.id],
      );

    const gone = next(consoles.cat, 'queue.changed', lacks(taken.conversation.id));
    t.true((await call(consoles.ann, 'conversation.accept', { conversationId: taken.conversation.id })).ok);
    t.deepEqual((await gone).waiting, [], 'taken by Ann: it leaves Cat’s list');
    t.true((await call(consoles.ann, 'conversation.end', { conversationId: taken.conversation.id })).ok);
  },
);
