import crypto from 'node:crypto';
import test from 'ava';
import knexFactory, { type Knex } from 'knex';
import type { Socket } from 'socket.io-client';
import { TestClient, freePort, freshDatabaseUrl } from '@kefu/core/testing';
import { agentSocket, call, next, visitorSocket } from '../helpers/sockets.ts';
import { TcpProxy, sleep, startNode, startRedis, waitUntil, type KefuNode } from './cluster.ts';

// Two real processes of core/src/main.ts on one PostgreSQL database and one
// Redis (this suite's own redis-server, so it can be restarted), node 2 reaching
// PostgreSQL through a TCP proxy the test cuts to simulate an outage.
// Run with `npm run test:cluster`; not part of `npm test` (ava.config.js excludes it).

process.env.KEFU_TEST_PG ??= 'postgres://root@127.0.0.1:5432/test';
const PASSWORD = 'Cluster-Secret-2026';
const AGENT_PASSWORD = 'Pass-word-123';
const uuid = () => crypto.randomUUID();

let db: Awaited<ReturnType<typeof freshDatabaseUrl>>;
let knex: Knex;
let redis: Awaited<ReturnType<typeof startRedis>>;
let redisPort: number;
let proxy: TcpProxy;
let n1: KefuNode;
let n2: KefuNode;
let publicId: number;
const agentIds: Record<string, number> = {};

async function login(node: KefuNode, agentId: string, password = AGENT_PASSWORD): Promise<TestClient> {
  const c = new TestClient(node.url);
  const r = await c.post('/api/auth/login', { companyId: String(publicId), agentId, password });
  if (r.status !== 200) throw new Error(`login ${agentId} on ${node.name}: ${r.status} ${r.text}`);
  return c;
}

/** The same session, talking to another node. */
function via(node: KefuNode, c: TestClient): TestClient {
  const other = new TestClient(node.url);
  other.cookie = c.cookie;
  return other;
}

const closed = (s: Socket) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what} not within ${ms} ms`)))]);

test.before(async () => {
  db = await freshDatabaseUrl();
  knex = knexFactory({ client: 'pg', connection: db.url!, pool: { min: 0, max: 2 } });
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  const pg = new URL(db.url!);
  proxy = new TcpProxy(await freePort(), { host: pg.hostname, port: Number(pg.port || 5432) });
  await proxy.start();
  const viaProxy = new URL(db.url!);
  viaProxy.port = String(proxy.port);
  const common = { REDIS_URL: redis.url, KEFU_SECRET: 'cluster-test-secret-0123456789abcdef', KEFU_ADMIN_PASSWORD: PASSWORD };
  n1 = await startNode('node1', { ...common, DATABASE_URL: db.url! });
  const [, company] = await n1.waitFor(/Company ID:\s+(\d+)/);
  publicId = Number(company);
  n2 = await startNode('node2', { ...common, DATABASE_URL: viaProxy.toString() });
  const admin = await login(n1, 'admin', PASSWORD);
  for (const id of ['ann', 'bob', 'cat']) {
    const r = await admin.post('/api/agents', { agentId: id, name: id, password: AGENT_PASSWORD, mustChangePassword: false });
    if (r.status !== 201) throw new Error(`create ${id}: ${r.status} ${r.text}`);
    agentIds[id] = r.body.id;
  }
});

test.afterEach.always((t) => {
  if (!t.passed) for (const n of [n1, n2]) if (n) t.log(`--- ${n.name} output (tail) ---\n${n.output().slice(-4000)}`);
});

test.after.always(async () => {
  await Promise.allSettled([n1?.stop(), n2?.stop()]);
  await proxy?.cut();
  await redis?.stop();
  await knex?.destroy();
  await db?.drop();
});

/** A visitor on `vnode` asks for a chat that is auto-assigned to the agent socket (on another node). */
async function openChat(agent: Socket, vnode: KefuNode) {
  const v = await visitorSocket(vnode.url, publicId);
  await call(v.socket, 'page.view', { url: 'https://shop.example/p/1', title: 'Shoes' });
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active', 10_000);
  const req = await call(v.socket, 'chat.request', {});
  if (!req.ok) throw new Error(JSON.stringify(req));
  const { conversation } = await assigned;
  return { v, conversation };
}

/** One message each way, both crossing nodes. */
async function exchange(t: any, agent: Socket, visitor: Socket, conversationId: number, ms = 5000) {
  const cid = uuid();
  const atAgent = next(agent, 'message', (m) => m.message.clientId === cid, ms);
  const sent = await call(visitor, 'message.send', { conversationId, clientId: cid, text: 'visitor says hi' });
  t.true(sent.ok, JSON.stringify(sent));
  t.is((await atAgent).message.seq, sent.message.seq);
  const rid = uuid();
  const atVisitor = next(visitor, 'message', (m) => m.message.clientId === rid, ms);
  const reply = await call(agent, 'message.send', { conversationId, clientId: rid, text: 'agent answers' });
  t.true(reply.ok, JSON.stringify(reply));
  t.is((await atVisitor).message.seq, reply.message.seq);
}

test.serial('a chat across nodes: agent console on node 1, visitor on node 2', async (t) => {
  const agent = await agentSocket(n1.url, await login(n1, 'ann'));
  t.true((await call(agent, 'workbench.snapshot')).ok);
  const { v, conversation } = await openChat(agent, n2);
  t.is(conversation.agentId, agentIds.ann, 'auto-assigned by node 2 to the agent connected to node 1');
  await exchange(t, agent, v.socket, conversation.id);
  const typing = next(agent, 'visitor.typing', (m) => m.conversationId === conversation.id);
  t.true((await call(v.socket, 'typing', { conversationId: conversation.id, text: 'I want a ref' })).ok);
  t.is((await typing).text, 'I want a ref', 'typing preview crosses nodes');
  const ended = next(agent, 'conversation.updated', (m) => m.conversation.status === 'ended');
  t.true((await call(v.socket, 'chat.end', { conversationId: conversation.id })).ok);
  await ended;
  agent.close();
  v.socket.close();
});

/**
 * A push on `s` matching `where` that must come within 1 s of the change being made (acknowledged by
 * node 1), MAIN-LIVE-5; `ms` is how long after the ack it came (0: it came before the ack).
 */
async function arrives<T = any>(s: Socket, event: string, where: (m: T) => boolean, what: string, act: () => Promise<unknown>) {
  let at = 0;
  const pushed = next<T>(s, event, where, 30_000).then((m) => ((at = Date.now()), m));
  await act();
  const made = Date.now();
  const m = await within(pushed, 1000, `${what} (${event})`);
  return { m, ms: Math.max(0, at - made) };
}

test.serial('MAIN-LIVE-5 a change made through node 1 reaches an agent console on node 2 within 1 s (visitor row, queue, accept, status)', async (t) => {
  const ann = await agentSocket(n1.url, await login(n1, 'ann'));
  const bob = await agentSocket(n2.url, await login(n1, 'bob'));
  await call(ann, 'workbench.snapshot');
  await call(bob, 'workbench.snapshot');
  // Nobody takes chats automatically: the request waits in the queue for a hand to accept it.
  t.true((await call(ann, 'presence.set', { status: 'online', autoAccept: false })).ok);
  t.true((await call(bob, 'presence.set', { status: 'online', autoAccept: false })).ok);

  const v = await visitorSocket(n1.url, publicId);
  const row = await arrives(
    bob,
    'visitor.updated',
    (m) => m.visitor.currentUrl === 'https://shop.example/live',
    'visitor row',
    () => call(v.socket, 'page.view', { url: 'https://shop.example/live', title: 'Live' }),
  );
  t.log(`visitor row on node 2 in ${row.ms} ms`);
  t.is(typeof row.m.at, 'number', 'the row push carries its time, to compare with a snapshot version');

  let conversationId = 0;
  const queued = await arrives(
    bob,
    'queue.changed',
    (m) => m.waiting.length > 0,
    'queue',
    async () => {
      conversationId = (await call(v.socket, 'chat.request', {})).conversation.id;
    },
  );
  t.deepEqual(
    queued.m.waiting.map((c: any) => c.id),
    [conversationId],
  );
  t.log(`queued request on node 2 in ${queued.ms} ms`);

  const taken = await arrives(
    bob,
    'queue.changed',
    (m) => !m.waiting.some((c: any) => c.id === conversationId),
    'accept',
    () => call(ann, 'conversation.accept', { conversationId }),
  );
  t.log(`accept on node 1 left the queue on node 2 in ${taken.ms} ms`);

  const status = await arrives(
    bob,
    'presence.changed',
    (m) => m.agentId === agentIds.ann && m.status === 'busy',
    'status',
    () => call(ann, 'presence.set', { status: 'busy', autoAccept: false }),
  );
  t.log(`status change on node 2 in ${status.ms} ms`);
  // A change of bob's own status made on another device (node 1) reaches his console on node 2.
  const otherTab = await agentSocket(n1.url, await login(n1, 'bob'));
  const self = await arrives(
    bob,
    'presence.self',
    (m) => m.status === 'away',
    'own status',
    () => call(otherTab, 'presence.set', { status: 'away', autoAccept: false }),
  );
  t.is(typeof self.m.at, 'number');

  await call(v.socket, 'chat.end', { conversationId });
  t.true((await call(ann, 'presence.set', { status: 'online', autoAccept: true })).ok, 'ann takes chats again for the next tests');
  for (const s of [ann, bob, otherTab, v.socket]) s.close();
});

test.serial(
  'MAIN-LIVE-5 a console cut off while things changed gets one versioned snapshot matching the server and replays missed messages by seq, none lost or doubled',
  async (t) => {
    const annClient = await login(n1, 'ann');
    const ann = await agentSocket(n1.url, annClient);
    t.true((await call(ann, 'presence.set', { status: 'away', autoAccept: false })).ok);
    const bobClient = await login(n1, 'bob');
    let bob = await agentSocket(n2.url, via(n2, bobClient));
    await call(bob, 'workbench.snapshot');
    t.true((await call(bob, 'presence.set', { status: 'online', autoAccept: true })).ok);
    // Bob's phone on node 1 stays connected the whole time (MAIN-TABS-6).
    const phone = await agentSocket(n1.url, await login(n1, 'bob'));
    const { v, conversation } = await openChat(bob, n1);
    t.is(conversation.agentId, agentIds.bob);
    const cid = conversation.id;
    const first = uuid();
    const seen = next(bob, 'message', (m) => m.message.clientId === first);
    t.true((await call(v.socket, 'message.send', { conversationId: cid, clientId: first, text: 'before the cut' })).ok);
    const lastSeen = (await seen).message.seq;
    t.true((await call(phone, 'presence.set', { status: 'online', autoAccept: false })).ok, 'no more automatic chats for bob');

    bob.close();
    const cutAt = Date.now();
    // While bob's console on node 2 is away: three messages, a new request waiting, a status change from his phone.
    const missed: any[] = [];
    for (const text of ['missed 1', 'missed 2', 'missed 3']) {
      const r = await call(v.socket, 'message.send', { conversationId: cid, clientId: uuid(), text });
      t.true(r.ok);
      missed.push(r.message);
    }
    const v2 = await visitorSocket(n1.url, publicId);
    await call(v2.socket, 'page.view', { url: 'https://shop.example/while-away' });
    const waitingId = (await call(v2.socket, 'chat.request', {})).conversation.id;
    t.true((await call(phone, 'presence.set', { status: 'busy', autoAccept: false })).ok);

    bob = await agentSocket(n2.url, via(n2, bobClient));
    const snap = await call(bob, 'workbench.snapshot');
    t.true(snap.ok, JSON.stringify(snap));
    t.true(snap.version >= cutAt, 'the snapshot is versioned after every change made while away');

    // Lists and counters match the server: the database, and a console that never went away.
    const server = await call(phone, 'workbench.snapshot');
    const ids = (list: any[]) => list.map((c) => c.id).sort((a, b) => a - b);
    const queuedNow = await knex('conversations').where({ status: 'queued' }).pluck('id');
    const mineNow = await knex('conversations').where({ status: 'active', agent_id: agentIds.bob }).pluck('id');
    t.deepEqual(
      ids(snap.waiting),
      queuedNow.map(Number).sort((a, b) => a - b),
    );
    t.true(
      snap.waiting.some((c: any) => c.id === waitingId),
      'the request made while away is in the queue',
    );
    t.deepEqual(
      ids(snap.mine),
      mineNow.map(Number).sort((a, b) => a - b),
    );
    t.deepEqual(ids(snap.mine), ids(server.mine));
    t.deepEqual(ids(snap.waiting), ids(server.waiting));
    t.deepEqual(ids(snap.visitors), ids(server.visitors));
    t.true(
      snap.visitors.some((r: any) => r.currentUrl === 'https://shop.example/while-away'),
      'the visitor who came while away is listed',
    );
    t.is(snap.unread[String(cid)], 4, 'every visitor message, none counted twice');
    t.deepEqual(snap.unread, server.unread);
    const presence = await knex('agent_presence').where({ agent_id: agentIds.bob }).first('status');
    t.is(snap.status, presence.status);
    t.is(snap.status, 'busy', 'the status set on the phone meanwhile');
    t.is(snap.mine.find((c: any) => c.id === cid).lastSeq, missed.at(-1).seq);

    // Replay by seq: exactly what was missed, in order, once.
    const replay = await call(bob, 'sync', { conversationId: cid, afterSeq: lastSeen });
    t.deepEqual(
      replay.messages.map((m: any) => [m.seq, m.text]),
      missed.map((m) => [m.seq, m.text]),
    );
    const stored = await knex('messages').where({ conversation_id: cid }).where('seq', '>', lastSeen).orderBy('seq').pluck('seq');
    t.deepEqual(
      replay.messages.map((m: any) => m.seq),
      stored.map(Number),
      'nothing stored is left out',
    );

    // And live again: the next change through node 1 reaches the new socket on node 2.
    const back = next(bob, 'message', (m) => m.message.text === 'after the reconnect', 1000);
    await call(v.socket, 'message.send', { conversationId: cid, clientId: uuid(), text: 'after the reconnect' });
    t.is((await back).message.seq, missed.at(-1).seq + 1);

    await call(v.socket, 'chat.end', { conversationId: cid });
    await call(v2.socket, 'chat.end', { conversationId: waitingId });
    t.true((await call(phone, 'presence.set', { status: 'away', autoAccept: false })).ok, 'bob takes no chats in the next tests');
    t.true((await call(ann, 'presence.set', { status: 'online', autoAccept: true })).ok);
    for (const s of [ann, bob, phone, v.socket, v2.socket]) s.close();
  },
);

test.serial('enabling a plugin on node 1 is seen on node 2 at once (HTTP gate and plugins.changed push)', async (t) => {
  const admin1 = await login(n1, 'admin', PASSWORD);
  const admin2 = via(n2, admin1);
  const console2 = await agentSocket(n2.url, admin2);
  await call(console2, 'workbench.snapshot');
  const before = await admin2.get('/api/p/otp/status');
  t.is(before.status, 404);
  t.is(before.body.error.code, 'plugin_disabled');
  const pushed = next(console2, 'plugins.changed', (m) => m.plugins.includes('otp'));
  t.is((await admin1.post('/api/plugins/otp/enable', {})).status, 200);
  const ms = await waitUntil('otp status 200 on node 2', async () => (await admin2.get('/api/p/otp/status')).status === 200, 5000, 20);
  t.log(`node 2 serves the plugin ${ms} ms after the enable answered`);
  await pushed;
  const gone = next(console2, 'plugins.changed', (m) => !m.plugins.includes('otp'));
  t.is((await admin1.post('/api/plugins/otp/disable', {})).status, 200);
  await waitUntil('otp 404 on node 2', async () => (await admin2.get('/api/p/otp/status')).status === 404, 5000, 20);
  await gone;
  console2.close();
});

test.serial('ending a session on node 1 closes its socket on node 2 within 1 s (logout and disable)', async (t) => {
  const ann = await login(n1, 'ann');
  const s = await agentSocket(n2.url, ann);
  await call(s, 'workbench.snapshot');
  const cookie = ann.cookie;
  const ended = next(s, 'session.ended', () => true, 1000);
  const gone = closed(s);
  let t0 = Date.now();
  t.is((await ann.post('/api/auth/logout')).status, 204);
  t.is((await ended).reason, 'signed_out');
  await within(gone, 1000 - (Date.now() - t0), 'socket close after logout');
  t.log(`logout → socket closed on node 2 in ${Date.now() - t0} ms`);
  await t.throwsAsync(agentSocket(n2.url, Object.assign(new TestClient(n2.url), { cookie })), { message: 'unauthenticated' });

  const admin = await login(n1, 'admin', PASSWORD);
  const bob = await login(n1, 'bob');
  const sb = await agentSocket(n2.url, bob);
  await call(sb, 'workbench.snapshot');
  const bobGone = closed(sb);
  t0 = Date.now();
  t.is((await admin.post(`/api/agents/${agentIds.bob}/disable`)).status, 200);
  await within(bobGone, 1000 - (Date.now() - t0), 'socket close after disable');
  t.log(`disable → socket closed on node 2 in ${Date.now() - t0} ms`);
  t.is((await admin.post(`/api/agents/${agentIds.bob}/enable`)).status, 200);
});

test.serial('PostgreSQL unreachable from node 2: clean 503 database_unavailable, no crash; back when it returns', async (t) => {
  const admin2 = await login(n2, 'admin', PASSWORD);
  const v = await visitorSocket(n2.url, publicId);
  t.is((await admin2.get('/api/auth/me')).status, 200);
  await proxy.cut();
  for (const p of ['/api/auth/me', '/api/agents', '/api/company']) {
    const r = await admin2.get(p);
    t.is(r.status, 503, `${p}: ${r.text}`);
    t.is(r.body?.error?.code, 'database_unavailable');
  }
  const login2 = await new TestClient(n2.url).post('/api/auth/login', { companyId: String(publicId), agentId: 'admin', password: PASSWORD });
  t.is(login2.status, 503, login2.text);
  const ready = await fetch(n2.url + '/readyz');
  t.is(ready.status, 503);
  t.is((await ready.json()).checks.database, 'down');
  t.is((await fetch(n2.url + '/healthz')).status, 200, 'the process is up');
  const ack = await call(v.socket, 'page.view', { url: 'https://shop.example/down' });
  t.is(ack.error?.code, 'database_unavailable', JSON.stringify(ack));
  t.is((await fetch(n1.url + '/readyz')).status, 200, 'node 1 (direct connection) stays ready');
  t.true(n2.alive());

  await proxy.start();
  const ms = await waitUntil('node 2 answers again', async () => (await admin2.get('/api/auth/me')).status === 200, 15_000, 100);
  t.log(`node 2 recovered ${ms} ms after PostgreSQL came back`);
  t.true((await call(v.socket, 'page.view', { url: 'https://shop.example/up' })).ok);
  t.is((await fetch(n2.url + '/readyz')).status, 200);
  t.false(/"status":500|unhandled error|socket handler failed|uncaught/i.test(n2.output()), 'no 500 and no handler failure logged');
  v.socket.close();
});

test.serial('Redis restarted: chat across nodes resumes', async (t) => {
  const agent = await agentSocket(n1.url, await login(n1, 'ann'));
  await call(agent, 'workbench.snapshot');
  const { v, conversation } = await openChat(agent, n2);
  await exchange(t, agent, v.socket, conversation.id);

  await redis.stop();
  const during = await call(v.socket, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: 'while redis is down' });
  t.true(during.ok, 'a send while Redis is down is still stored and acknowledged');
  await sleep(1000);
  redis = await startRedis(redisPort);
  const ms = await waitUntil('both nodes ready', async () => (await fetch(n1.url + '/readyz')).ok && (await fetch(n2.url + '/readyz')).ok, 20_000, 100);
  t.log(`nodes ready ${ms} ms after Redis restarted`);
  // The adapters re-subscribe on their own; give them a bounded time, then chat must flow both ways.
  const resumed = await waitUntil(
    'a message to cross nodes again',
    async () => {
      // Each node's subscriber comes back on its own: probe both directions.
      const cid = uuid();
      const atAgent = next(agent, 'message', (m) => m.message.clientId === cid, 1000);
      await call(v.socket, 'message.send', { conversationId: conversation.id, clientId: cid, text: 'probe' });
      const rid = uuid();
      const atVisitor = next(v.socket, 'message', (m) => m.message.clientId === rid, 1000);
      await call(agent, 'message.send', { conversationId: conversation.id, clientId: rid, text: 'probe reply' });
      return Promise.all([atAgent, atVisitor]).then(
        () => true,
        () => false,
      );
    },
    20_000,
    0,
  );
  t.log(`cross-node messages flow again ${resumed} ms after the nodes were ready`);
  await exchange(t, agent, v.socket, conversation.id);
  const missed = await call(agent, 'sync', { conversationId: conversation.id, afterSeq: 0 });
  t.true(
    missed.messages.some((m: any) => m.clientId === during.message.clientId),
    'what was sent during the outage is in the replay',
  );
  await call(v.socket, 'chat.end', { conversationId: conversation.id });
  agent.close();
  v.socket.close();
});

test.serial('node 2 SIGKILLed mid-conversation: the visitor resumes on node 1, nothing acknowledged lost, nothing stored twice, presence right', async (t) => {
  const agent = await agentSocket(n1.url, await login(n1, 'ann'));
  await call(agent, 'workbench.snapshot');
  const cat = await agentSocket(n2.url, await login(n1, 'cat'));
  t.true((await call(cat, 'presence.set', { status: 'online', autoAccept: false })).ok);
  const { v, conversation } = await openChat(agent, n2);
  t.is(conversation.agentId, agentIds.ann);
  const cid = conversation.id;
  const ids = Array.from({ length: 10 }, () => uuid());
  const text = (i: number) => `message ${i}`;
  const acked = new Map<string, any>();
  for (let i = 0; i < 4; i++) {
    const r = await call(v.socket, 'message.send', { conversationId: cid, clientId: ids[i], text: text(i) });
    t.true(r.ok);
    acked.set(ids[i], r.message);
  }
  // Six more in flight, then the node dies under them.
  const inFlight = ids.slice(4).map((id, j) =>
    v.socket
      .timeout(3000)
      .emitWithAck('message.send', { conversationId: cid, clientId: id, text: text(4 + j) })
      .then(
        (r: any) => r.ok && acked.set(id, r.message),
        () => undefined,
      ),
  );
  n2.child.kill('SIGKILL');
  const killedAt = new Date();
  await n2.exited;
  await Promise.all(inFlight);
  t.log(`${acked.size} of 10 acknowledged before the kill`);

  const back = await visitorSocket(n1.url, publicId, v.token);
  t.is(back.conversation?.id, cid, 'the kept token finds the open conversation on node 1');
  for (let i = 0; i < ids.length; i++) {
    const r = await call(back.socket, 'message.send', { conversationId: cid, clientId: ids[i], text: text(i) });
    t.true(r.ok, JSON.stringify(r));
    const before = acked.get(ids[i]);
    if (before) t.deepEqual([r.message.id, r.message.seq], [before.id, before.seq], 'a resend of an acknowledged message returns the stored one');
  }
  const rows = await knex('messages').where({ conversation_id: cid }).orderBy('seq').select('client_id', 'seq', 'text');
  const mine = rows.filter((r) => ids.includes(r.client_id));
  t.is(mine.length, 10, 'each client id stored exactly once');
  t.is(new Set(mine.map((r) => r.client_id)).size, 10);
  t.deepEqual(
    rows.map((r) => Number(r.seq)),
    rows.map((_, i) => i + 1),
    'seqs are unique and contiguous',
  );
  // Each client id carries its own text. (Pipelined sends of one socket are handled concurrently, so the
  // six in flight may be stored in any order among themselves; the four acknowledged ones come first.)
  t.deepEqual(mine.map((r) => [r.client_id, r.text]).sort(), ids.map((id, i) => [id, text(i)]).sort());
  t.deepEqual(
    mine.slice(0, 4).map((r) => r.client_id),
    ids.slice(0, 4),
    'the acknowledged ones keep their place',
  );

  const replay = await call(agent, 'sync', { conversationId: cid, afterSeq: 0 });
  t.deepEqual(
    replay.messages.filter((m: any) => ids.includes(m.clientId)).map((m: any) => m.clientId),
    mine.map((r) => r.client_id),
    'the agent replays exactly what is stored',
  );
  const atVisitor = next(back.socket, 'message', (m) => m.message.senderKind === 'agent');
  t.true((await call(agent, 'message.send', { conversationId: cid, clientId: uuid(), text: 'still here' })).ok);
  t.is((await atVisitor).message.text, 'still here');

  // Presence: ann (node 1) stays present; cat (console on the dead node) stops beating and expires within the TTL.
  const presence = (name: string) => knex('agent_presence').where({ agent_id: agentIds[name] }).first('status', 'heartbeat_at');
  const catRow = await presence('cat');
  t.true(!catRow.heartbeat_at || new Date(catRow.heartbeat_at) <= killedAt, 'no heartbeat from the dead node');
  const fresh = (r: any) => !!r?.heartbeat_at && Date.now() - new Date(r.heartbeat_at).getTime() < 30_000;
  const expired = await waitUntil('cat to expire', async () => !fresh(await presence('cat')), 45_000, 500);
  t.log(`cat's presence expired ${expired} ms after the check (TTL 30 s)`);
  const annRow = await presence('ann');
  t.is(annRow.status, 'online');
  t.true(fresh(annRow), 'the agent on the surviving node is still present');
  t.true((await call(agent, 'workbench.snapshot')).ok);
  for (const s of [agent, cat, back.socket]) s.close();
});
