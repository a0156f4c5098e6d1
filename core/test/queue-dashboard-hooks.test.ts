import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

/** The queue dashboard and 指派 (ASSIGN-DASHBOARD-17), and the routing filter contract (ASSIGN-HOOK-14), with real sockets. */
let k: TestKefu;
let admin: TestClient;
let hooks: HookRegistry;
const sockets: Socket[] = [];
const consoles: Record<string, Socket> = {};
const clients: Record<string, TestClient> = {};
const ids: Record<string, number> = {};
const assigned: { conversationId: number; agentId: number; by: string; scope: { groupId: number | null } }[] = [];

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  hooks = k.server.container.resolve(HookRegistry);
  hooks.addAction('conversation.assigned', (p) => void assigned.push(p));
  const adminConsole = await agentSocket(k.url, admin);
  sockets.push(adminConsole);
  await call(adminConsole, 'presence.set', { status: 'away' });
  const people: Record<string, string[]> = {
    ann: ['conversation.accept'],
    bob: ['conversation.accept'],
    cat: [], // may not take chats
    dan: ['assign.manage'], // watches the queue, serves nobody
  };
  for (const [name, permissions] of Object.entries(people)) {
    ids[name] = (await addAgent(admin, name, { permissions })).id;
    clients[name] = await signIn(k, name);
    consoles[name] = await agentSocket(k.url, clients[name]);
    sockets.push(consoles[name]);
  }
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await k?.close();
});

async function presence(name: string, status: string, autoAccept: boolean) {
  const r = await call(consoles[name], 'presence.set', { status, autoAccept });
  if (!r.ok) throw new Error(JSON.stringify(r));
}

async function request(payload: Record<string, unknown> = {}) {
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const r = await call(v.socket, 'chat.request', payload);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.conversation as { id: number; status: string; agentId: number | null };
}

const assignment = (conversationId: number) => assigned.find((a) => a.conversationId === conversationId);
const byOf = (conversationId: number) => assignment(conversationId)?.by;

test.serial('ASSIGN-DASHBOARD-17 the dashboard shows scopes, agents and waiting requests; 指派 connects a request to any agent on duty', async (t) => {
  const g = (await admin.post('/api/groups', { name: '售前', memberIds: [ids.ann] })).body;
  await presence('ann', 'online', false);
  await presence('bob', 'busy', false);
  const first = await request({ groupId: g.id });
  const second = await request();

  t.is((await clients.bob.get('/api/queue/dashboard')).status, 403, 'only assign.manage holders and admins');
  const r = await clients.dan.get('/api/queue/dashboard');
  t.is(r.status, 200, r.text);
  t.deepEqual(
    r.body.waiting.map((w: any) => [w.conversation.id, w.position, w.conversation.scopeGroupId]),
    [
      [first.id, 1, g.id],
      [second.id, 2, null],
    ],
  );
  t.like(
    r.body.scopes.find((s: any) => s.groupId === g.id),
    { name: '售前', waiting: 1, freeAgents: 0 },
  );
  t.like(
    r.body.scopes.find((s: any) => s.groupId === null),
    { waiting: 1 },
  );
  t.like(
    r.body.agents.find((a: any) => a.id === ids.bob),
    { nickname: 'bob', status: 'busy', load: 0, canAccept: true },
  );

  // Bob is not in 售前, yet the dashboard may hand him its request.
  const bobGets = next(consoles.bob, 'conversation.updated', (m) => m.conversation.id === first.id && m.conversation.status === 'active');
  const d = await clients.dan.post('/api/queue/dispatch', { conversationId: first.id, agentId: ids.bob });
  t.is(d.status, 200, d.text);
  t.like(d.body.conversation, { status: 'active', agentId: ids.bob });
  await bobGets;
  t.like(assignment(first.id), { by: 'dispatch', scope: { groupId: g.id } }, "dispatched outside its scope, it still names the request's group");
  t.is((await clients.dan.post('/api/queue/dispatch', { conversationId: first.id, agentId: ids.ann })).body.error.code, 'already_accepted');

  t.is(
    (await clients.dan.post('/api/queue/dispatch', { conversationId: second.id, agentId: ids.cat })).body.error.code,
    'target_unavailable',
    'without conversation.accept',
  );
  await presence('ann', 'away', false);
  t.is((await clients.dan.post('/api/queue/dispatch', { conversationId: second.id, agentId: ids.ann })).body.error.code, 'target_unavailable', 'away');
  const bad = await clients.dan.post('/api/queue/dispatch', { conversationId: 'x', agentId: ids.bob });
  t.is(bad.status, 400);
  t.deepEqual(
    bad.body.error.fields.map((f: any) => f.path),
    ['conversationId'],
  );
  await presence('ann', 'online', false);
  t.like((await call(consoles.ann, 'conversation.accept', { conversationId: second.id })).conversation, { agentId: ids.ann });
  t.like(assignment(second.id), { by: 'manual', scope: { groupId: null } });
  const after = (await clients.dan.get('/api/queue/dashboard')).body;
  t.deepEqual(after.waiting, []);
  t.like(
    after.agents.find((a: any) => a.id === ids.ann),
    { load: 1 },
  );
  for (const [name, id] of [
    ['bob', first.id],
    ['ann', second.id],
  ] as const)
    t.true((await call(consoles[name], 'conversation.end', { conversationId: id })).ok);
});

test.serial(
  'ASSIGN-HOOK-14 a routing handler that throws or takes over 100 ms is skipped; one may narrow but never add an agent; both hooks carry the scope',
  async (t) => {
    await presence('ann', 'online', true);
    await presence('bob', 'online', true);
    const seen: any[] = [];
    const off = [
      hooks.addFilter(
        'visitor.routing',
        () => {
          throw new Error('broken plugin');
        },
        { priority: 1 },
      ),
      // Asks for more time than routing allows; if it were waited for, nobody would be left to serve.
      hooks.addFilter(
        'visitor.routing',
        async (v) => {
          await new Promise((r) => setTimeout(r, 400));
          return { ...v, candidates: [] };
        },
        { priority: 2, timeoutMs: 5000 },
      ),
      hooks.addFilter(
        'visitor.routing',
        (v) => {
          seen.push(v);
          const bob = v.candidates.find((c) => c.agentId === ids.bob)!;
          return { ...v, candidates: [bob, { ...bob, agentId: ids.cat }] };
        },
        { priority: 3 },
      ),
    ];
    try {
      const started = Date.now();
      const conv = await request();
      t.true(Date.now() - started < 3000);
      t.like(conv, { status: 'active', agentId: ids.bob }, 'narrowed to Bob; Cat, added by the handler, is not eligible and is ignored');
      t.is(byOf(conv.id), 'auto');
      const last = seen.at(-1);
      t.deepEqual(last.candidates.map((c: any) => c.agentId).sort(), [ids.ann, ids.bob].sort(), 'handlers get the eligible agents');
      t.like(last, { conversationId: conv.id, mode: 'service', scope: { groupId: null } });
      t.like(last.candidates[0], { load: 0 });
      t.true((await call(consoles.bob, 'conversation.end', { conversationId: conv.id })).ok);

      off.push(hooks.addFilter('visitor.routing', () => ({ stop: true as const, reason: 'robot serves' }), { priority: 0 }));
      const stopped = await request();
      t.is(stopped.status, 'queued', 'a stop leaves the request to the plugin that stopped it');
    } finally {
      for (const f of off) f();
    }
  },
);

test.serial('ASSIGN-DASHBOARD-17 the dashboard lists every agent of the company: one without a console as 离线 with no load', async (t) => {
  const eve = await addAgent(admin, 'eve', { permissions: ['conversation.accept'] });
  const gone = await addAgent(admin, 'gone', { permissions: ['conversation.accept'] });
  t.is((await admin.post(`/api/agents/${gone.id}/disable`)).status, 200);
  const r = await clients.dan.get('/api/queue/dashboard');
  t.is(r.status, 200, r.text);
  t.like(
    r.body.agents.find((a: any) => a.id === eve.id),
    { nickname: 'eve', status: 'offline', load: 0, canAccept: true, lastAssignedAt: null },
  );
  await presence('ann', 'busy', false);
  const after = (await clients.dan.get('/api/queue/dashboard')).body;
  t.like(
    after.agents.find((a: any) => a.id === ids.ann),
    { status: 'busy' },
    'one on a console keeps its own status',
  );
  t.is(after.agents.filter((a: any) => a.id === ids.ann).length, 1, 'listed once');
  t.false(
    r.body.agents.some((a: any) => a.id === gone.id),
    'a disabled account is not on the team',
  );
});
