import test from 'ava';
import { AssignmentService } from '../src/conversations/assignment-service.ts';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { AGENT_PASSWORD, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, online, sleep, startCollab } from './helpers/collab.ts';

/** The status switch and what each status means (TOOLBAR §2.1). */
let c: CollabKefu;
const statusChanges: any[] = [];

test.before(async () => {
  c = await startCollab();
  c.k.server.container.resolve(HookRegistry).addAction('agent.statusChanged', (p) => void statusChanges.push(p));
});
test.after.always(() => c?.k.close());

const autoAssign = (on: boolean) =>
  c.k.server
    .db('companies')
    .where({ id: c.k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: on }) });
const statusOf = async (agentId: number) => (await c.k.server.db('agent_presence').where({ agent_id: agentId }).first('status')).status;
const stateOf = async (conversationId: number) => c.k.server.db('conversations').where({ id: conversationId }).first('status', 'agent_id');

test.serial(`TOOLBAR-STATUS-8 a status change reaches the agent's other tabs and colleagues; refusals name their code (${driver})`, async (t) => {
  const k = c.k;
  const ann1 = await online(k, 'ann');
  const ann2 = await agentSocket(k.url, await signIn(k, 'ann'));
  const bob = await online(k, 'bob');
  statusChanges.length = 0;
  const otherTab = next(ann2, 'presence.self', (m) => m.status === 'busy');
  const colleague = next(bob, 'presence.changed', (m) => m.agentId === c.id.ann && m.status === 'busy');
  const r = await call(ann1, 'presence.set', { status: 'busy' });
  t.is(r.status, 'busy');
  t.is((await otherTab).status, 'busy');
  await colleague;
  t.like(
    statusChanges.find((p) => p.agentId === c.id.ann),
    { status: 'busy', reason: 'manual' },
  );
  t.is((await call(ann1, 'workbench.snapshot', {})).status, 'busy');

  const invisible = await call(ann1, 'presence.set', { status: 'invisible' });
  t.is(invisible.error.code, 'forbidden', 'only admins may be invisible');
  const pro = await online(k, 'pro', 'away');
  t.is((await call(pro, 'presence.set', { status: 'online' })).error.code, 'status_not_allowed');
  t.is((await call(pro, 'presence.set', { status: 'busy' })).error.code, 'status_not_allowed');
  t.is((await call(ann1, 'presence.set', { status: 'sleeping' })).error.code, 'validation_failed');
  t.is(await statusOf(c.id.ann), 'busy', 'the refusals changed nothing');
  await closeAll(ann1, ann2, bob, pro);
});

test.serial(`TOOLBAR-NOACCEPT-13 an agent without the right to take chats is always away and never gets a chat (${driver})`, async (t) => {
  const k = c.k;
  await autoAssign(true);
  const bob = await online(k, 'bob', 'away');
  const seen = next(bob, 'presence.changed', (m) => m.agentId === c.id.pro);
  const pro = await agentSocket(k.url, await signIn(k, 'pro', AGENT_PASSWORD));
  t.is((await seen).status, 'away', 'colleagues see them away from the start');
  t.is((await call(pro, 'workbench.snapshot', {})).status, 'away');
  t.is(await statusOf(c.id.pro), 'away');
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  await sleep(300);
  t.like(await stateOf(req.conversation.id), { status: 'queued', agent_id: null }, 'no automatic assignment');
  t.is((await call(pro, 'conversation.accept', { conversationId: req.conversation.id })).error.code, 'forbidden');
  await call(v.socket, 'chat.end', { conversationId: req.conversation.id });
  await autoAssign(false);
  await closeAll(bob, pro, v.socket);
});

test.serial(`TOOLBAR-AWAY-11 TOOLBAR-BUSY-10 away keeps current chats but takes no new one; busy still accepts from the queue (${driver})`, async (t) => {
  const k = c.k;
  const ann = await online(k, 'ann');
  const v1 = await visitorSocket(k.url, k.company.publicId);
  const first = await call(v1.socket, 'chat.request', {});
  t.true((await call(ann, 'conversation.accept', { conversationId: first.conversation.id })).ok);
  await call(ann, 'presence.set', { status: 'away' });
  const v2 = await visitorSocket(k.url, k.company.publicId);
  const second = await call(v2.socket, 'chat.request', {});
  t.is((await call(ann, 'conversation.accept', { conversationId: second.conversation.id })).error.code, 'agent_away');
  t.like(await stateOf(second.conversation.id), { status: 'queued', agent_id: null });
  const reply = await call(ann, 'message.send', { conversationId: first.conversation.id, clientId: crypto.randomUUID(), text: 'still with you' });
  t.true(reply.ok, 'an away agent keeps serving current chats');
  await call(ann, 'presence.set', { status: 'busy' });
  t.true((await call(ann, 'conversation.accept', { conversationId: second.conversation.id })).ok, 'busy agents may accept from the queue');
  for (const [v, id] of [
    [v1, first.conversation.id],
    [v2, second.conversation.id],
  ] as const)
    await call(v.socket, 'chat.end', { conversationId: id });
  await closeAll(ann, v1.socket, v2.socket);
});

test.serial(
  `TOOLBAR-INVISIBLE-12 TOOLBAR-AUTOACCEPT-17 invisible admins and agents with 自动接入 off get no automatic assignment but may accept (${driver})`,
  async (t) => {
    const k = c.k;
    await autoAssign(true);
    const bob = await online(k, 'bob', 'away');
    const looksOffline = next(bob, 'presence.changed', (m) => m.agentId === c.id.boss && m.status === 'offline');
    const boss = await online(k, 'boss', 'invisible');
    await looksOffline;
    const ann = await online(k, 'ann');
    t.true((await call(ann, 'presence.set', { status: 'online', autoAccept: false })).ok);
    const v = await visitorSocket(k.url, k.company.publicId);
    const req = await call(v.socket, 'chat.request', {});
    await sleep(300);
    t.like(await stateOf(req.conversation.id), { status: 'queued', agent_id: null }, 'neither the invisible admin nor ann (自动接入 off) got it');
    t.true((await call(boss, 'conversation.accept', { conversationId: req.conversation.id })).ok, 'an invisible admin may accept from the queue');

    // Switching 自动接入 back on takes the next waiting chat at once.
    const v2 = await visitorSocket(k.url, k.company.publicId);
    const req2 = await call(v2.socket, 'chat.request', {});
    await sleep(200);
    t.is((await stateOf(req2.conversation.id)).status, 'queued');
    const given = next(ann, 'conversation.updated', (m) => m.conversation.id === req2.conversation.id && m.conversation.status === 'active');
    t.true((await call(ann, 'presence.set', { status: 'online', autoAccept: true })).ok);
    t.is((await given).conversation.agentId, c.id.ann);
    t.true(await none(bob, 'presence.changed', (m) => m.agentId === c.id.boss && m.status === 'invisible'), 'never revealed as invisible to an agent');
    await autoAssign(false);
    await closeAll(bob, boss, ann, v.socket, v2.socket);
  },
);

test.serial(
  `TOOLBAR-STATUSLOG-15 every status change is logged with old and new status, reason, time and node; a lapsed offer logs no_response (${driver})`,
  async (t) => {
    const k = c.k;
    const logOf = async () =>
      (
        await k.server.db('agent_status_log').where({ agent_id: c.id.eve }).orderBy('id').select('old_status', 'new_status', 'reason', 'node', 'created_at')
      ).map((r: any) => [r.old_status, r.new_status, r.reason]);
    const eve = await online(k, 'eve', 'busy');
    await call(eve, 'presence.set', { status: 'away' });
    await call(eve, 'presence.set', { status: 'away', autoAccept: false });
    await call(eve, 'presence.set', { status: 'online', autoAccept: true });
    t.deepEqual((await logOf()).slice(-3), [
      ['online', 'busy', 'manual'],
      ['busy', 'away', 'manual'],
      ['away', 'online', 'manual'],
    ]);
    const row = await k.server.db('agent_status_log').where({ agent_id: c.id.eve }).orderBy('id', 'desc').first();
    t.truthy(row.node);
    t.true(Math.abs(new Date(row.created_at).getTime() - Date.now()) < 10_000);

    await k.server
      .db('companies')
      .where({ id: k.company.id })
      .update({ chat_settings: JSON.stringify({ autoAssign: true, confirm: { enabled: true, seconds: 10 } }) });
    const v = await visitorSocket(k.url, k.company.publicId);
    const offered = next(eve, 'conversation.offered');
    await call(v.socket, 'chat.request', {});
    await offered;
    c.shift(11_000);
    try {
      await k.server.container.resolve(AssignmentService).expireOffers();
    } finally {
      c.shift(0);
    }
    t.deepEqual((await logOf()).at(-1), ['online', 'away', 'no_response']);
    await autoAssign(false);
    await closeAll(eve, v.socket);
  },
);
