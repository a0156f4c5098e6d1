import test from 'ava';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { RoutingService } from '../src/conversations/routing-service.ts';
import { AssignmentService } from '../src/conversations/assignment-service.ts';
import { agentSocket, call, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
const ids: Record<string, number> = {};
const settings = (s: object) =>
  k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify(s) });

test.before(async () => {
  k = await startTestServer();
  const admin = await k.login();
  for (const name of ['ann', 'bob', 'cat']) {
    const r = await admin.post('/api/agents', { agentId: name, name, password: 'Pass-word-123', mustChangePassword: false, maxChats: 5 });
    ids[name] = r.body.id;
  }
  // The admin stays away so only the three agents are eligible.
  await k.server
    .db('agent_presence')
    .insert({ agent_id: (await admin.get('/api/auth/me')).body.agent.id, company_id: k.company.id, status: 'away' })
    .onConflict('agent_id')
    .merge();
});
test.after.always(() => k?.close());

/** Gives each agent `load` open conversations and `today` accepted today, straight in the database. */
async function shape(loads: Record<string, { load: number; today: number }>) {
  await k.server.db('conversations').where({ company_id: k.company.id }).update({ status: 'ended', ended_at: new Date() });
  for (const [name, { load, today }] of Object.entries(loads)) {
    for (let i = 0; i < today; i++) {
      const [v] = await k.server
        .db('visitors')
        .insert({ company_id: k.company.id, number: 1000 + Math.floor(Math.random() * 1e6), channel: 'web' })
        .returning('id');
      await k.server
        .db('conversations')
        .insert({ company_id: k.company.id, visitor_id: v.id, status: i < load ? 'active' : 'ended', agent_id: ids[name], accepted_at: new Date() });
    }
  }
}

test.serial('ASSIGN-MODE-5 service mode picks the lowest load ÷ cap, sales mode the fewest today (the manual example)', async (t) => {
  const sockets = await Promise.all(['ann', 'bob', 'cat'].map(async (n) => agentSocket(k.url, await k.login(n, 'Pass-word-123'))));
  // Three eligible agents with cap 5, loads 1, 2, 3 and today's counts 30, 10, 20.
  await shape({ ann: { load: 1, today: 30 }, bob: { load: 2, today: 10 }, cat: { load: 3, today: 20 } });
  const routing = k.server.container.resolve(RoutingService);
  const v = await visitorSocket(k.url, k.company.publicId);
  await settings({ autoAssign: false, mode: 'service' });
  const { conversation } = await call(v.socket, 'chat.request', {});
  const conv = { id: conversation.id, visitor_id: conversation.visitorId, channel: 'web', group_id: null };
  t.is((await routing.choose(k.company.id, conv, await routing.settings(k.company.id)))![0].agentId, ids.ann);
  await settings({ autoAssign: true, mode: 'sales' });
  t.is((await routing.choose(k.company.id, conv, await routing.settings(k.company.id)))![0].agentId, ids.bob);
  await k.server.container.resolve(AssignmentService).assignWaiting(k.company.id);
  t.is(Number((await k.server.db('conversations').where({ id: conversation.id }).first()).agent_id), ids.bob, 'assigned by the sales rule');
  v.socket.close();
  for (const s of sockets) s.close();
});

test.serial('ASSIGN-CAP-6 ASSIGN-ATOMIC-13 automatic assignment never exceeds caps; the rest wait in order', async (t) => {
  const sockets = await Promise.all(['ann', 'bob', 'cat'].map(async (n) => agentSocket(k.url, await k.login(n, 'Pass-word-123'))));
  await shape({});
  await k.server.db('agents').whereIn('id', Object.values(ids)).update({ max_chats: 2 });
  await settings({ autoAssign: true, mode: 'service' });
  const visitors = await Promise.all(Array.from({ length: 9 }, () => visitorSocket(k.url, k.company.publicId)));
  const results = await Promise.all(visitors.map((v) => call(v.socket, 'chat.request', {})));
  t.true(results.every((r) => r.ok));
  const rows = await k.server.db('conversations').where({ company_id: k.company.id }).whereNot('status', 'ended').select('status', 'agent_id', 'id');
  const active = rows.filter((r) => r.status === 'active');
  t.is(active.length, 6, '3 agents × cap 2');
  for (const id of Object.values(ids)) t.is(active.filter((r) => Number(r.agent_id) === id).length, 2);
  t.is(rows.filter((r) => r.status === 'queued').length, 3);
  // Ending one frees a slot: the first waiting request (in queue order) takes it.
  const firstWaiting = rows
    .filter((r) => r.status === 'queued')
    .map((r) => Number(r.id))
    .sort((a, b) => a - b)[0];
  const freed = active[0];
  const owner = sockets[Object.values(ids).indexOf(Number(freed.agent_id))];
  t.true((await call(owner, 'conversation.end', { conversationId: Number(freed.id) })).ok);
  const after = await k.server.db('conversations').where({ id: firstWaiting }).first();
  t.is(after.status, 'active');
  t.is(Number(after.agent_id), Number(freed.agent_id));
  for (const v of visitors) v.socket.close();
  for (const s of sockets) s.close();
});

test.serial('ASSIGN-STICKY-7 a returning visitor gets the agent who served them last, whatever the mode', async (t) => {
  const sockets = await Promise.all(['ann', 'bob', 'cat'].map(async (n) => agentSocket(k.url, await k.login(n, 'Pass-word-123'))));
  await shape({});
  await k.server.db('agents').whereIn('id', Object.values(ids)).update({ max_chats: 5 });
  await settings({ autoAssign: false });
  const v = await visitorSocket(k.url, k.company.publicId);
  const first = await call(v.socket, 'chat.request', {});
  t.true((await call(sockets[2], 'conversation.accept', { conversationId: first.conversation.id })).ok, 'cat served them');
  await call(v.socket, 'chat.end', { conversationId: first.conversation.id });
  // cat is now the busiest today: service and sales would both pick someone else.
  await shape({ cat: { load: 3, today: 9 } });
  await settings({ autoAssign: true, mode: 'sales', sticky: { enabled: true, lookBackDays: 30 } });
  const again = await call(v.socket, 'chat.request', {});
  const row = await k.server.db('conversations').where({ id: again.conversation.id }).first();
  t.is(Number(row.agent_id), ids.cat);
  v.socket.close();
  for (const s of sockets) s.close();
});

test.serial('ASSIGN-POSITION-9 the estimated wait is the median of recent waits, hidden with fewer than 5', async (t) => {
  const { QueueBroadcaster } = await import('../src/conversations/queue-broadcaster.ts');
  const q = k.server.container.resolve(QueueBroadcaster);
  await k.server.db('conversations').where({ company_id: k.company.id }).update({ accepted_at: null });
  t.is(await q.estimatedWaitMinutes(k.company.id), null);
  const now = Date.now();
  for (const waitS of [30, 90, 150, 200, 610]) {
    const [v] = await k.server
      .db('visitors')
      .insert({ company_id: k.company.id, number: 5000000 + waitS, channel: 'web' })
      .returning('id');
    await k.server
      .db('conversations')
      .insert({ company_id: k.company.id, visitor_id: v.id, status: 'ended', created_at: new Date(now - waitS * 1000), accepted_at: new Date(now) });
  }
  t.is(await q.estimatedWaitMinutes(k.company.id), 3, 'median 150 s rounds up to 3 minutes');
});
