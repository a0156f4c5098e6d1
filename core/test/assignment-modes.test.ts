import test from 'ava';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { RoutingService } from '../src/conversations/routing-service.ts';
import { AssignmentService } from '../src/conversations/assignment-service.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

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
  t.is((await routing.choose(k.company.id, conv, await routing.settings(k.company.id)))!.candidates[0].agentId, ids.ann);
  await settings({ autoAssign: true, mode: 'sales' });
  t.is((await routing.choose(k.company.id, conv, await routing.settings(k.company.id)))!.candidates[0].agentId, ids.bob);
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

test.serial('ASSIGN-STICKY-7 the request waits for a full previous agent, then goes to anyone eligible', async (t) => {
  const sockets = await Promise.all(['ann', 'bob', 'cat'].map(async (n) => agentSocket(k.url, await k.login(n, 'Pass-word-123'))));
  await shape({});
  await k.server.db('agents').whereIn('id', Object.values(ids)).update({ max_chats: 1 });
  await settings({ autoAssign: false });
  const v = await visitorSocket(k.url, k.company.publicId);
  const first = await call(v.socket, 'chat.request', {});
  t.true((await call(sockets[2], 'conversation.accept', { conversationId: first.conversation.id })).ok);
  await call(v.socket, 'chat.end', { conversationId: first.conversation.id });
  // cat is full now (cap 1) but on duty.
  await shape({ cat: { load: 1, today: 1 } });
  await settings({ autoAssign: true, sticky: { enabled: true, lookBackDays: 30, waitSeconds: 300 } });
  const again = await call(v.socket, 'chat.request', {});
  const row = () => k.server.db('conversations').where({ id: again.conversation.id }).first();
  t.is((await row()).status, 'queued', 'ann and bob are free, yet the request waits for cat');
  const assigned = next(sockets[2], 'conversation.updated', (m) => m.conversation.id === again.conversation.id && m.conversation.status === 'active');
  const other = await k.server.db('conversations').where({ agent_id: ids.cat, status: 'active' }).first('id');
  await k.server.db('conversations').where({ id: other.id }).update({ status: 'ended', ended_at: new Date() });
  await k.server.container.resolve(AssignmentService).assignWaiting(k.company.id);
  await assigned;
  t.is(Number((await row()).agent_id), ids.cat, 'cat takes it as soon as a slot frees');

  // With no wait left, a full previous agent does not hold the request up.
  await call(v.socket, 'chat.end', { conversationId: again.conversation.id });
  await shape({ cat: { load: 1, today: 1 } });
  await settings({ autoAssign: true, sticky: { enabled: true, lookBackDays: 30, waitSeconds: 0 } });
  const third = await call(v.socket, 'chat.request', {});
  const placed = await k.server.db('conversations').where({ id: third.conversation.id }).first();
  t.is(placed.status, 'active');
  t.not(Number(placed.agent_id), ids.cat);
  v.socket.close();
  for (const s of sockets) s.close();
});

test.serial('ASSIGN-CONNECT-15 with 需要客服确认 an assignment is an offer; a silent agent turns away and the next one gets it', async (t) => {
  const sockets = await Promise.all(['ann', 'bob'].map(async (n) => agentSocket(k.url, await k.login(n, 'Pass-word-123'))));
  await shape({});
  await k.server.db('agents').whereIn('id', Object.values(ids)).update({ max_chats: 5 });
  await settings({ autoAssign: true, mode: 'service', confirm: { enabled: true, seconds: 10 } });
  const offers = sockets.map((s) => next(s, 'conversation.offered'));
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  const firstOffer = await Promise.race(offers);
  t.is(firstOffer.conversation.id, req.conversation.id);
  const row = () => k.server.db('conversations').where({ id: req.conversation.id }).first();
  const offeredTo = Number((await row()).offered_agent_id);
  t.is((await row()).status, 'queued', 'not connected until the agent confirms');
  const silent = sockets[[ids.ann, ids.bob].indexOf(offeredTo)];
  const other = sockets[1 - [ids.ann, ids.bob].indexOf(offeredTo)];

  // Time runs out (the sweep runs every 5 s; here it is called directly after the deadline).
  await k.server
    .db('conversations')
    .where({ id: req.conversation.id })
    .update({ offer_expires_at: new Date(Date.now() - 1000) });
  const away = next(silent, 'presence.self');
  const expired = next(silent, 'conversation.offerExpired');
  const reoffer = next(other, 'conversation.offered');
  await k.server.container.resolve(AssignmentService).expireOffers();
  t.is((await expired).conversationId, req.conversation.id);
  t.like(await away, { status: 'away', reason: 'no_response' });
  t.is((await reoffer).conversation.id, req.conversation.id, 'the next candidate is offered the same request');

  const connected = next(v.socket, 'conversation.updated', (m) => m.conversation.status === 'active');
  const ok = await call(other, 'conversation.accept', { conversationId: req.conversation.id });
  t.true(ok.ok);
  t.is((await connected).conversation.agentId, Number((await row()).agent_id));
  t.is((await row()).offered_agent_id, null);
  await settings({ autoAssign: true });
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
