import test from 'ava';
import type { Socket } from 'socket.io-client';
import { addAgent, AGENT_PASSWORD, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, online, served, startCollab } from './helpers/collab.ts';

/** Conversations left behind by an agent (MENU-EXITCHATS-7) and the ways an agent leaves. */
let c: CollabKefu;

test.before(async () => {
  c = await startCollab();
});
test.after.always(() => c?.k.close());

const TRANSFERRING = '正在为您转接其他客服,请稍候';
/** The row with its ids as numbers (PostgreSQL answers bigints as strings, the embedded database as numbers). */
async function rowOf(id: number) {
  const r = await c.k.server.db('conversations').where({ id }).first('status', 'agent_id', 'queue_class', 'left_agent_id', 'left_due_at', 'end_reason');
  const num = (x: unknown) => (x == null ? null : Number(x));
  return { ...r, agent_id: num(r.agent_id), left_agent_id: num(r.left_agent_id) };
}
/** Each test has its own agent, so no session of an earlier test counts as still at a console. */
let n = 0;
async function newAgent() {
  const agentId = `leaver${++n}`;
  const a = await addAgent(c.admin, agentId, { permissions: ['conversation.accept'] });
  const client = await signIn(c.k, agentId, AGENT_PASSWORD);
  const s = await agentSocket(c.k.url, client);
  await call(s, 'presence.set', { status: 'online' });
  return { id: a.id, agentId, client, socket: s };
}
const transferringLine = (v: Socket, conversationId: number) =>
  next(v, 'message', (m) => m.message.conversationId === conversationId && m.message.kind === 'system' && m.message.payload?.event === 'agent_left');
/** Waits, without a fixed sleep, until the database shows what the timers did. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test.serial(
  `MENU-EXITCHATS-7 ASSIGN-QUEUE-8 退出 returns an ongoing chat to the head of the queue; the visitor is told and the next agent gets the whole transcript (${driver})`,
  async (t) => {
    const k = c.k;
    c.shift(0);
    // A visitor already waiting: the returned chat still goes ahead of them (class 1 before class 3).
    const early = await visitorSocket(k.url, k.company.publicId);
    const earlyReq = await call(early.socket, 'chat.request', {});
    const leaver = await newAgent();
    const { v, conv } = await served(k, leaver.socket);
    await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'before the agent left' });
    await call(leaver.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'let me check' });
    const bob = await online(k, 'bob');

    const line = transferringLine(v.socket, conv.id);
    const queued = next(v.socket, 'conversation.updated', (m) => m.conversation.id === conv.id && m.conversation.status === 'queued');
    const order = next(bob, 'queue.changed', (m) => m.waiting.some((w: any) => w.id === conv.id));
    t.is((await leaver.client.post('/api/auth/logout')).status, 204);
    t.is((await line).message.text, TRANSFERRING, 'the visitor is told in their language');
    await queued;
    t.deepEqual(
      (await order).waiting.map((w: any) => w.id),
      [conv.id, earlyReq.conversation.id],
      'the returned chat is first, before a request made earlier',
    );
    t.like(await rowOf(conv.id), { status: 'queued', agent_id: null, queue_class: 1, left_agent_id: leaver.id });

    // Nothing the visitor writes while waiting is lost.
    t.true((await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'are you there?' })).ok);
    t.true((await call(bob, 'conversation.accept', { conversationId: conv.id })).ok);
    const sync = await call(bob, 'sync', { conversationId: conv.id, afterSeq: 0 });
    t.deepEqual(
      sync.messages.filter((m: any) => m.kind === 'text' || m.kind === 'system').map((m: any) => m.text),
      ['before the agent left', 'let me check', TRANSFERRING, 'are you there?'],
    );
    t.like(await rowOf(conv.id), { status: 'active', agent_id: c.id.bob });
    // It stays with bob when the grace runs out: the deadline only ends chats still waiting. (The deadline is
    // moved rather than the clock, which would also make bob's own heartbeat look lost.)
    await k.server
      .db('conversations')
      .where({ id: conv.id })
      .update({ left_due_at: new Date(Date.now() - 1000) });
    await until(
      () => rowOf(conv.id),
      (r) => r.left_due_at === null,
    );
    t.like(await rowOf(conv.id), { status: 'active', agent_id: c.id.bob });
    await call(v.socket, 'chat.end', { conversationId: conv.id });
    await call(early.socket, 'chat.end', { conversationId: earlyReq.conversation.id });
    await closeAll(bob, v.socket, early.socket);
  },
);

test.serial(`MENU-EXITCHATS-7 a chat nobody takes within 60 s ends agent_left, with the visitor told first (${driver})`, async (t) => {
  const k = c.k;
  c.shift(0);
  const leaver = await newAgent();
  const { v, conv } = await served(k, leaver.socket);
  const line = transferringLine(v.socket, conv.id);
  await leaver.client.post('/api/auth/logout');
  await line;
  c.shift(30_000);
  t.true(await none(v.socket, 'conversation.updated', (m) => m.conversation.id === conv.id, 1500), 'still waiting half-way through the grace');
  const ended = next(v.socket, 'conversation.updated', (m) => m.conversation.id === conv.id && m.conversation.status === 'ended', 10_000);
  c.shift(61_000);
  t.is((await ended).conversation.endReason, 'agent_left');
  t.like(await rowOf(conv.id), { status: 'ended', end_reason: 'agent_left', left_due_at: null });
  c.shift(0);
  await closeAll(v.socket);
});

test.serial(
  `MENU-EXITCHATS-7 ASSIGN-QUEUE-8 with automatic assignment the returned chat goes to a free agent ahead of older requests (${driver})`,
  async (t) => {
    const k = c.k;
    c.shift(0);
    const leaver = await newAgent();
    const { v, conv } = await served(k, leaver.socket);
    const setAuto = (on: boolean) =>
      k.server
        .db('companies')
        .where({ id: k.company.id })
        .update({ chat_settings: JSON.stringify({ autoAssign: on }) });
    // An older request waits because nobody is free; eve comes online with room for one chat only.
    const early = await visitorSocket(k.url, k.company.publicId);
    const earlyReq = await call(early.socket, 'chat.request', {});
    const eve = await online(k, 'eve', 'away');
    await k.server.db('agents').where({ id: c.id.eve }).update({ max_chats: 1 });
    await setAuto(true);
    await call(eve, 'presence.set', { status: 'online', autoAccept: false });
    const given = next(eve, 'conversation.updated', (m) => m.conversation.status === 'active' && m.conversation.agentId === c.id.eve);
    await leaver.client.post('/api/auth/logout');
    await call(eve, 'presence.set', { status: 'online', autoAccept: true });
    t.is((await given).conversation.id, conv.id, 'the returned chat, not the older request');
    t.like(await rowOf(earlyReq.conversation.id), { status: 'queued' });
    await setAuto(false);
    await k.server.db('agents').where({ id: c.id.eve }).update({ max_chats: null });
    await call(v.socket, 'chat.end', { conversationId: conv.id });
    await call(early.socket, 'chat.end', { conversationId: earlyReq.conversation.id });
    await closeAll(eve, v.socket, early.socket);
  },
);

test.serial(
  `MAIN-PRESENCE-7 MENU-EXITCHATS-7 a reload changes nothing; presence lost past 30 s returns the chat, and the agent back within 60 s gets it again (${driver})`,
  async (t) => {
    const k = c.k;
    c.shift(0);
    const leaver = await newAgent();
    const { v, conv } = await served(k, leaver.socket);

    // A reload: the console closes and comes back on the same session 25 s later, within the bound; 50 s after the
    // close (25 s after the last heartbeat) nothing has moved.
    await closeAll(leaver.socket);
    c.shift(25_000);
    const reloaded = await agentSocket(k.url, leaver.client);
    c.shift(50_000);
    t.true(await none(v.socket, 'message', (m) => m.message.payload?.event === 'agent_left', 2500), 'no transfer after a reload');
    t.like(await rowOf(conv.id), { status: 'active', agent_id: leaver.id });

    // The tab is gone (closing counts as lost presence, not 退出): nothing for 30 s, then back to routing.
    c.shift(0);
    await closeAll(reloaded);
    t.true(await none(v.socket, 'message', (m) => m.message.payload?.event === 'agent_left', 1500), 'nothing within the presence bound');
    const line = transferringLine(v.socket, conv.id);
    c.shift(31_000);
    await line;
    t.like(await rowOf(conv.id), { status: 'queued', agent_id: null, queue_class: 1 });
    t.is(Number((await k.server.db('sessions').where({ agent_id: leaver.id }).whereNull('ended_at').count('* as n').first())!.n), 1, 'the session lives on');

    // Back 40 s later (inside the 60 s): the chat is theirs again, with the visitor shown who serves them.
    c.shift(71_000);
    const back = next(v.socket, 'conversation.updated', (m) => m.conversation.id === conv.id && m.conversation.status === 'active');
    const again = await agentSocket(k.url, leaver.client);
    t.is((await back).conversation.agentId, leaver.id);
    const snap = await call(again, 'workbench.snapshot', {});
    t.true(
      snap.mine.some((x: any) => x.id === conv.id),
      'it is in the returning agent’s workbench',
    );
    t.like(await rowOf(conv.id), { status: 'active', agent_id: leaver.id, left_agent_id: null, left_due_at: null });
    c.shift(0);
    await call(v.socket, 'chat.end', { conversationId: conv.id });
    await closeAll(again, v.socket);
  },
);

test.serial(
  `AGENT-DISABLE-6 MENU-EXITCHATS-7 disabling returns the agent's chats to routing without keeping them for the agent; its leave-messages become unassigned (${driver})`,
  async (t) => {
    const k = c.k;
    c.shift(0);
    const leaver = await newAgent();
    const { v, conv } = await served(k, leaver.socket);
    const [lm] = await k.server.db('leave_messages').insert({ company_id: k.company.id, content: 'call me back', handler_id: leaver.id }).returning('id');
    const line = transferringLine(v.socket, conv.id);
    t.is((await c.admin.post(`/api/agents/${leaver.id}/disable`)).status, 200);
    await line;
    t.like(await rowOf(conv.id), { status: 'queued', agent_id: null, queue_class: 1, left_agent_id: null });
    t.is((await k.server.db('leave_messages').where({ id: lm.id }).first('handler_id')).handler_id, null);
    // Another agent still takes it over from the head of the queue.
    const bob = await online(k, 'bob');
    t.true((await call(bob, 'conversation.accept', { conversationId: conv.id })).ok);
    await call(v.socket, 'chat.end', { conversationId: conv.id });
    await closeAll(bob, v.socket);
  },
);

test.serial(
  `AGENT-SESSIONS-20 TOOLBAR-FORCE-16 强制下线 of an agent's last session returns their chats like 退出; a sign-out with another console still open does not (${driver})`,
  async (t) => {
    const k = c.k;
    c.shift(0);
    const leaver = await newAgent();
    const { v, conv } = await served(k, leaver.socket);
    // A second console elsewhere: signing out of the first one leaves the chat with the agent.
    const other = await signIn(k, leaver.agentId, AGENT_PASSWORD, { ip: '198.51.100.7' });
    const otherSocket = await agentSocket(k.url, other);
    await leaver.client.post('/api/auth/logout');
    t.true(await none(v.socket, 'message', (m) => m.message.payload?.event === 'agent_left', 800));
    t.like(await rowOf(conv.id), { status: 'active', agent_id: leaver.id });

    const line = transferringLine(v.socket, conv.id);
    const r = await c.admin.post(`/api/agents/${leaver.id}/sessions/end`);
    t.is(r.status, 200, r.text);
    await line;
    t.like(await rowOf(conv.id), { status: 'queued', queue_class: 1, left_agent_id: leaver.id });
    await call(v.socket, 'chat.end', { conversationId: conv.id });
    await closeAll(otherSocket, v.socket);
  },
);

test.serial(
  `TOOLBAR-FORCE-16 an admin sets a signed-in colleague to 离开 with a note: logged as forced and audited, chats stay; refusals name their code (${driver})`,
  async (t) => {
    const k = c.k;
    c.shift(0);
    const leaver = await newAgent();
    const { v, conv } = await served(k, leaver.socket);
    const told = next(leaver.socket, 'presence.self', (m) => m.reason === 'forced');
    const r = await c.admin.post(`/api/agents/${leaver.id}/away`, { note: 'Team meeting in 5 minutes' });
    t.is(r.status, 200, r.text);
    t.like(await told, { status: 'away', note: 'Team meeting in 5 minutes' });
    const log = await k.server.db('agent_status_log').where({ agent_id: leaver.id }).orderBy('id', 'desc').first('new_status', 'reason');
    t.like(log, { new_status: 'away', reason: 'forced' });
    const audit = await k.server.db('audit_log').where({ action: 'agent.forceAway', target: leaver.agentId }).first('new_value');
    t.truthy(audit, 'the change is in the audit log');
    t.like(await rowOf(conv.id), { status: 'active', agent_id: leaver.id }, 'an away agent keeps current chats (TOOLBAR-AWAY-11)');

    const bob = await signIn(k, 'bob');
    t.is((await bob.post(`/api/agents/${leaver.id}/away`, {})).body.error?.code, 'forbidden', 'the admin role itself, no permission grants it');
    const boss = await signIn(k, 'boss');
    t.is((await boss.post(`/api/agents/${c.id.admin}/away`, {})).body.error?.code, 'primary_admin_protected');
    t.is((await c.admin.post(`/api/agents/${c.id.admin}/away`, {})).body.error?.code, 'cannot_modify_self');
    t.is((await c.admin.post(`/api/agents/${c.id.cat}/away`, {})).body.error?.code, 'agent_offline', 'only a signed-in agent');
    const bad = await c.admin.post(`/api/agents/${leaver.id}/away`, { note: 'x'.repeat(201) });
    t.is(bad.status, 400);
    t.is(bad.body.error.code, 'validation_failed');
    await call(v.socket, 'chat.end', { conversationId: conv.id });
    await closeAll(leaver.socket, v.socket);
  },
);
