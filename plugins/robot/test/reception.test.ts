// Reception modes end to end with socket.io clients (ROBOT-MODE-12, HANDOVER-13, ENABLE-1, SAFETY-24).
import crypto from 'node:crypto';
import test from 'ava';
import { AGENT_PASSWORD, agentSocket, call, clearEntries, createAgent, loadKb, next, robotSays, setAutoAssign, setup, visitorSocket } from './helpers.ts';

const uuid = () => crypto.randomUUID();

async function world(mode: 'off' | 'when_no_agent' | 'first') {
  const s = await setup();
  await clearEntries(s.admin);
  const ids = await loadKb(s.admin);
  await setAutoAssign(s.k, true);
  const r = await s.admin.put('/api/p/robot/settings', { mode, directThreshold: 0.6, listThreshold: 0.3 });
  if (r.status !== 200) throw new Error(r.text);
  return { ...s, ids };
}

test.serial('ROBOT-MODE-12 when_no_agent: nobody online → the robot greets, answers, lists, falls back; never answers itself', async (t) => {
  const { k, admin, ids } = await world('when_no_agent');
  t.teardown(() => k.close());
  const v = await visitorSocket(k.url, k.company.publicId);
  const welcome = robotSays(v.socket);
  const req = await call(v.socket, 'chat.request', {});
  const conv = req.conversation;
  t.is(conv.status, 'queued');
  const w = await welcome;
  t.is(w.kind, 'card');
  t.is(w.senderName, '智能客服');
  t.deepEqual(w.payload.buttons.at(-1), { label: '转人工', action: 'robot.handover' });

  // Not in the agents' waiting list while the robot serves it.
  const row = await k.server.db('conversations').where({ id: conv.id }).first();
  t.is(row.served_by_plugin, 'robot');

  const answer = robotSays(v.socket);
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: '怎么申请退款' });
  const a = await answer;
  t.is(a.kind, 'text');
  t.regex(a.text, /申请退款/);

  const unknown = robotSays(v.socket, (m) => m.text.includes('抱歉'));
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'zxqv wobble frimp' });
  const fb = await unknown;
  t.is(fb.payload.buttons[0].action, 'robot.handover');

  const stats = await admin.get('/api/p/robot/stats');
  t.true(
    stats.body.entries.some((e: any) => e.id === ids.get(14) && e.hits >= 1),
    'hit counted',
  );
  const unmatched = await admin.get('/api/p/robot/unmatched');
  t.true(unmatched.body.unmatched.some((u: any) => u.question === 'zxqv wobble frimp'));

  // Only one robot message per visitor message: count plugin messages vs visitor messages.
  await new Promise((r) => setTimeout(r, 300));
  const msgs = await k.server.db('messages').where({ conversation_id: conv.id }).orderBy('seq');
  const robot = msgs.filter((m: any) => m.sender_kind === 'plugin');
  t.is(robot.length, 4, 'welcome + answer + its related-questions card + fallback, no loops');
  const visitorIds = new Set(msgs.filter((m: any) => m.sender_kind === 'visitor').map((m: any) => String(m.id)));
  for (const m of robot.slice(1)) t.true(visitorIds.has(m.client_id.split(':')[1]), 'every robot answer is keyed by a visitor message');
  v.socket.close();
});

test.serial('ROBOT-MODE-12 when_no_agent: an agent online → the agent gets the visitor, the robot stays silent', async (t) => {
  const { k, admin } = await world('when_no_agent');
  t.teardown(() => k.close());
  await createAgent(admin, 'ann');
  const ann = await agentSocket(k.url, await k.login('ann', AGENT_PASSWORD));
  const v = await visitorSocket(k.url, k.company.publicId);
  const assigned = next(ann, 'conversation.updated', (m) => m.conversation.status === 'active');
  const req = await call(v.socket, 'chat.request', {});
  await assigned;
  await call(v.socket, 'message.send', { conversationId: req.conversation.id, clientId: uuid(), text: '怎么申请退款' });
  await new Promise((r) => setTimeout(r, 500));
  t.is((await k.server.db('messages').where({ conversation_id: req.conversation.id, sender_kind: 'plugin' })).length, 0);
  ann.close();
  v.socket.close();
});

test.serial('ROBOT-HANDOVER-13 robot first: keyword hands over to the queue; the agent sees the transcript', async (t) => {
  const { k, admin } = await world('first');
  t.teardown(() => k.close());
  await createAgent(admin, 'ann');
  const ann = await agentSocket(k.url, await k.login('ann', AGENT_PASSWORD));
  const v = await visitorSocket(k.url, k.company.publicId);
  const welcome = robotSays(v.socket);
  const req = await call(v.socket, 'chat.request', {});
  await welcome;
  t.is((await k.server.db('conversations').where({ id: req.conversation.id }).first()).status, 'queued', 'the robot keeps it from the online agent');

  const answer = robotSays(v.socket);
  await call(v.socket, 'message.send', { conversationId: req.conversation.id, clientId: uuid(), text: 'how do I track my order' });
  t.regex((await answer).text, /Track/);

  const assigned = next(ann, 'conversation.updated', (m) => m.conversation.id === req.conversation.id && m.conversation.status === 'active');
  await call(v.socket, 'message.send', { conversationId: req.conversation.id, clientId: uuid(), text: '转人工' });
  await assigned;
  const sync = await call(ann, 'conversation.sync', { conversationId: req.conversation.id, afterSeq: 0 }).catch(() => null);
  const msgs = sync?.messages ?? (await k.server.db('messages').where({ conversation_id: req.conversation.id }).orderBy('seq'));
  t.true(msgs.length >= 5, 'welcome, question, answer, keyword, hand-over text: one transcript');

  // From now on the robot is silent.
  await call(v.socket, 'message.send', { conversationId: req.conversation.id, clientId: uuid(), text: '怎么申请退款' });
  await new Promise((r) => setTimeout(r, 400));
  const after = await k.server.db('messages').where({ conversation_id: req.conversation.id }).orderBy('seq');
  t.not(after.at(-1).sender_kind, 'plugin');
  const stats = await admin.get('/api/p/robot/stats');
  t.is(stats.body.totals.handovers, 1);
  t.is(stats.body.handoverRate, 1);
  ann.close();
  v.socket.close();
});

test.serial('ROBOT-ENABLE-1 plugin disabled mid-conversation: the visitor is queued for agents at once', async (t) => {
  const { k, admin } = await world('first');
  t.teardown(() => k.close());
  await createAgent(admin, 'ann');
  const ann = await agentSocket(k.url, await k.login('ann', AGENT_PASSWORD));
  const v = await visitorSocket(k.url, k.company.publicId);
  const welcome = robotSays(v.socket);
  const req = await call(v.socket, 'chat.request', {});
  await welcome;
  const assigned = next(ann, 'conversation.updated', (m) => m.conversation.id === req.conversation.id && m.conversation.status === 'active');
  t.is((await admin.post('/api/plugins/robot/disable')).status, 200);
  await assigned;
  t.is((await k.server.db('conversations').where({ id: req.conversation.id }).first()).served_by_plugin, null);
  await call(v.socket, 'message.send', { conversationId: req.conversation.id, clientId: uuid(), text: '怎么申请退款' });
  await new Promise((r) => setTimeout(r, 400));
  t.is((await k.server.db('messages').where({ conversation_id: req.conversation.id, sender_kind: 'plugin' })).length, 1, 'only the welcome');
  ann.close();
  v.socket.close();
});

test.serial('ROBOT-ENABLE-1 without an agent the disabled robot leaves the visitor in the normal queue (waiting list)', async (t) => {
  const { k, admin } = await world('first');
  t.teardown(() => k.close());
  const v = await visitorSocket(k.url, k.company.publicId);
  const welcome = robotSays(v.socket);
  const req = await call(v.socket, 'chat.request', {});
  await welcome;
  const position = next(v.socket, 'queue.position', (m) => m.conversationId === req.conversation.id);
  t.is((await admin.post('/api/plugins/robot/disable')).status, 200);
  t.is((await position).position, 1, 'back in the queue');
  v.socket.close();
});
