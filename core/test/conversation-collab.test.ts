import crypto from 'node:crypto';
import test from 'ava';
import { startTestServer, type TestKefu, type TestClient } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { InvitationService } from '../src/conversations/invitation-service.ts';
import { TransferService } from '../src/conversations/transfer-service.ts';
import { addAgent } from './helpers/accounts.ts';
import { call, next, visitorSocket } from './helpers/sockets.ts';
import { closeAll, collect, none, online, served, snapshot, visitorIdOf } from './helpers/collab.ts';

const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';
const uuid = () => crypto.randomUUID();
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
let k: TestKefu;
let admin: TestClient;
const id: Record<string, number> = {};
let salesGroup: number;
let assigned: any[] = [];

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  id.admin = Number((await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'admin' }).first('id')).id);
  for (const a of ['ann', 'bob', 'cat']) id[a] = (await addAgent(admin, a)).id;
  id.mon = (await addAgent(admin, 'mon', { permissions: ['conversation.accept', 'conversation.monitor'] })).id;
  id.boss = (await addAgent(admin, 'boss', { role: 'admin' })).id;
  id.eve = (await addAgent(admin, 'eve', { permissions: ['conversation.accept'] })).id;
  id.pro = (await addAgent(admin, 'pro', { permissions: ['visitor.proactive'] })).id;
  salesGroup = (await admin.post('/api/groups', { name: 'Sales', memberIds: [id.bob, id.cat] })).body.id;
  k.server.container.resolve(HookRegistry).addAction('conversation.assigned', (p) => void assigned.push(p));
});
test.after.always(() => k?.close());

test.serial(`CONV-TRANSFER-28 CONV-TRANSFER-30 CONV-TRANSFER-31 CONV-TRANSFER-33 a transfer is offered, read and accepted (${driver})`, async (t) => {
  const [a, b] = [await online(k, 'ann'), await online(k, 'bob', 'busy')];
  const { v, conv } = await served(k, a);
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'Where is order 42?' });
  const offered = next(b, 'transfer.offered');
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob, note: 'VIP customer' });
  t.is(st.transfer.status, 'pending');
  const o = await offered;
  t.is(o.transfer.id, st.transfer.id);
  t.is(o.from.nickname, 'ann');
  t.is(o.transfer.note, 'VIP customer');
  t.is(o.conversation.id, conv.id);
  const transcript = await call(b, 'transcript.view', { conversationId: conv.id, afterSeq: 0 });
  t.true(transcript.messages.some((m: any) => m.text === 'Where is order 42?'), 'the receiver reads the transcript before deciding');
  t.is((await call(b, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'too early' })).error.code, 'not_found');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob })).error.code, 'transfer_pending');

  assigned = [];
  const annSees = next(a, 'conversation.updated', (m) => m.conversation.agentId === id.bob);
  const senderTold = next(a, 'transfer.accepted');
  const line = next(v.socket, 'message', (m) => m.message.kind === 'system');
  const header = next(v.socket, 'conversation.updated', (m) => m.conversation.agentId === id.bob);
  const r = await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: true });
  t.is(r.transfer.status, 'accepted');
  t.is(r.conversation.agentId, id.bob);
  t.is(r.conversation.agentNickname, 'bob');
  await Promise.all([annSees, senderTold]);
  t.is((await line).message.text, '已为您转接至客服 bob');
  t.is((await header).conversation.agentNickname, 'bob');
  t.deepEqual(assigned.filter((p) => p.conversationId === conv.id).map((p) => [p.by, p.agentId]), [['transfer', id.bob]]);
  const row = await k.server.db('transfers').where({ id: st.transfer.id }).first();
  t.is(row.status, 'accepted');
  t.is(Number(row.answered_by), id.bob);
  t.truthy(row.responded_at);
  t.is(Number((await k.server.db('conversations').where({ id: conv.id }).first()).agent_id), id.bob);

  const annQuiet = none(a, 'message', (m) => m.message.conversationId === conv.id);
  const bobGets = next(b, 'message', (m) => m.message.text === 'still there?');
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'still there?' });
  await bobGets;
  t.true(await annQuiet, 'the sender left the room');
  t.true((await call(b, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'bob here' })).ok);
  t.is((await call(a, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'me again' })).error.code, 'not_found');
  await closeAll(a, b, v.socket);
});

test.serial(`CONV-TRANSFER-30 a rejection, a withdrawal and a timeout leave the chat with the sender (${driver})`, async (t) => {
  const [a, b] = [await online(k, 'ann'), await online(k, 'bob')];
  const { v, conv } = await served(k, a);
  const rejected = next(a, 'transfer.rejected');
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob });
  const r = await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: false, reason: 'on a call' });
  t.is(r.transfer.status, 'rejected');
  t.is((await rejected).reason, 'on a call');

  const withdrawn = next(b, 'transfer.closed', (m) => m.transfer.status === 'cancelled');
  const st2 = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob });
  t.is((await call(a, 'transfer.cancel', { transferId: st2.transfer.id })).transfer.status, 'cancelled');
  await withdrawn;
  t.is((await call(b, 'transfer.respond', { transferId: st2.transfer.id, accept: true })).error.code, 'transfer_closed');

  const st3 = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob });
  const timedOut = next(a, 'transfer.rejected', (m) => m.transfer.id === st3.transfer.id);
  offset = 61_000;
  try {
    await k.server.container.resolve(TransferService).sweep();
  } finally {
    offset = 0;
  }
  const ev = await timedOut;
  t.is(ev.reason, 'timeout');
  t.is(ev.transfer.status, 'expired');
  t.is((await call(b, 'transfer.respond', { transferId: st3.transfer.id, accept: true })).error.code, 'transfer_closed');
  t.is(Number((await k.server.db('conversations').where({ id: conv.id }).first()).agent_id), id.ann);
  t.deepEqual((await k.server.db('transfers').where({ conversation_id: conv.id }).orderBy('id').select('status')).map((x) => x.status), ['rejected', 'cancelled', 'expired']);
  await closeAll(a, b, v.socket);
});

test.serial(`CONV-TRANSFER-28 no transfer when the agent is the only one online; an offline or away target is refused (${driver})`, async (t) => {
  await k.server.db('agent_presence').update({ heartbeat_at: null });
  const a = await online(k, 'ann');
  const { v, conv } = await served(k, a);
  const before = await snapshot(k);
  t.deepEqual((await call(a, 'transfer.targets', {})).agents, []);
  const alone = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob });
  t.is(alone.error.code, 'no_transfer_target');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toGroupId: salesGroup })).error.code, 'no_transfer_target');
  const b = await online(k, 'bob');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.cat })).error.code, 'target_unavailable', 'cat is offline');
  const m = await online(k, 'mon', 'away');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.mon })).error.code, 'target_unavailable', 'mon is away');
  t.deepEqual(await snapshot(k), before, 'nothing stored, nobody moved');
  await closeAll(a, b, m, v.socket);
});

test.serial(`CONV-TRANSFER-29 an invisible admin is hidden from agents and offered by admins (${driver})`, async (t) => {
  const [a, b, boss, adm] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'boss', 'invisible'), await online(k, 'admin')];
  const { v, conv } = await served(k, a);
  const targets = await call(a, 'transfer.targets', {});
  t.true(targets.agents.some((x: any) => x.agentId === id.bob));
  t.false(targets.agents.some((x: any) => x.agentId === id.boss));
  const hidden = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.boss });
  const offline = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.cat });
  t.deepEqual(hidden, offline, 'refused exactly as an offline agent');
  t.is(hidden.error.code, 'target_unavailable');
  t.is(await k.server.db('transfers').where({ conversation_id: conv.id }).first(), undefined);

  const mine = await served(k, adm);
  t.true((await call(adm, 'transfer.targets', {})).agents.some((x: any) => x.agentId === id.boss && x.status === 'invisible'));
  const offered = next(boss, 'transfer.offered');
  const st = await call(adm, 'transfer.start', { conversationId: mine.conv.id, toAgentId: id.boss });
  t.is((await offered).transfer.id, st.transfer.id);
  t.is((await call(boss, 'transfer.respond', { transferId: st.transfer.id, accept: true })).conversation.agentId, id.boss);
  await closeAll(a, b, boss, adm, v.socket, mine.v.socket);
});

test.serial(`CONV-TRANSFER-32 a transfer to a group: the first to accept wins (${driver})`, async (t) => {
  const [a, b, c] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'cat')];
  const { v, conv } = await served(k, a);
  const offers = [next(b, 'transfer.offered'), next(c, 'transfer.offered')];
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toGroupId: salesGroup });
  t.is(st.transfer.toGroupId, salesGroup);
  await Promise.all(offers);
  const answers = await Promise.all([call(b, 'transfer.respond', { transferId: st.transfer.id, accept: true }), call(c, 'transfer.respond', { transferId: st.transfer.id, accept: true })]);
  const [won, lost] = [answers.filter((x) => x.ok), answers.filter((x) => x.error)];
  t.is(won.length, 1);
  t.is(lost[0].error.code, 'already_accepted');
  t.is(lost[0].error.agentId, won[0].conversation.agentId);
  t.is(Number((await k.server.db('conversations').where({ id: conv.id }).first()).agent_id), won[0].conversation.agentId);
  await closeAll(a, b, c, v.socket);
});

test.serial(`CONV-MONITOR-35 CONV-MONITOR-36 CONV-WHISPER-37 a monitor follows live chats; the visitor never gets a whisper (${driver})`, async (t) => {
  const [a, m] = [await online(k, 'ann'), await online(k, 'mon')];
  const one = await served(k, a);
  const seenByVisitor = collect(one.v.socket, 'message');
  const started = await call(m, 'monitor.start', { agentId: id.ann });
  t.is(started.monitor.watchedAgentId, id.ann);
  t.true(started.conversations.some((c: any) => c.id === one.conv.id));
  const live = next(m, 'message', (x) => x.message.text === 'hello?');
  const typing = next(m, 'visitor.typing', (x) => x.conversationId === one.conv.id);
  await call(one.v.socket, 'message.send', { conversationId: one.conv.id, clientId: uuid(), text: 'hello?' });
  await call(one.v.socket, 'typing', { conversationId: one.conv.id, text: 'I wan' });
  await Promise.all([live, typing]);

  const followed = next(m, 'monitor.conversation');
  const two = await served(k, a);
  t.is((await followed).conversation.id, two.conv.id, 'a new conversation of the agent is followed');
  const live2 = next(m, 'message', (x) => x.message.text === 'second chat');
  await call(two.v.socket, 'message.send', { conversationId: two.conv.id, clientId: uuid(), text: 'second chat' });
  await live2;

  const annGets = next(a, 'message', (x) => x.message.kind === 'whisper');
  const w = await call(m, 'whisper.send', { conversationId: one.conv.id, clientId: uuid(), text: 'offer the coupon' });
  t.is(w.message.kind, 'whisper');
  t.is((await annGets).message.text, 'offer the coupon');
  t.true((await call(a, 'whisper.send', { conversationId: one.conv.id, clientId: uuid(), text: 'ok, will do' })).ok);
  const reply = next(one.v.socket, 'message', (x) => x.message.text === 'Here is a coupon');
  await call(a, 'message.send', { conversationId: one.conv.id, clientId: uuid(), text: 'Here is a coupon' });
  await reply;
  t.false(seenByVisitor.some((x) => x.message.kind === 'whisper'), 'no whisper on the visitor socket');
  t.false((await call(one.v.socket, 'sync', { conversationId: one.conv.id, afterSeq: 0 })).messages.some((x: any) => x.kind === 'whisper'));
  t.is((await call(m, 'transcript.view', { conversationId: one.conv.id, afterSeq: 0 })).messages.filter((x: any) => x.kind === 'whisper').length, 2);
  t.is(await k.server.db('conversation_reads').where({ agent_id: id.mon }).first(), undefined, 'monitoring marks nothing read');

  t.deepEqual((await call(m, 'monitor.list', {})).monitors.map((x: any) => x.watchedAgentId), [id.ann]);
  t.deepEqual((await call(m, 'monitor.stop', {})).stopped, [id.ann]);
  const quiet = none(m, 'message');
  await call(one.v.socket, 'message.send', { conversationId: one.conv.id, clientId: uuid(), text: 'after stop' });
  t.true(await quiet, 'no more messages after stopping');
  t.is((await call(m, 'whisper.send', { conversationId: one.conv.id, clientId: uuid(), text: 'x' })).error.code, 'not_found');
  t.deepEqual((await k.server.db('audit_log').where({ actor_agent_id: id.mon }).orderBy('id').select('action')).map((x) => x.action), ['monitor.start', 'monitor.stop']);
  await closeAll(a, m, one.v.socket, two.v.socket);
});

test.serial(`CONV-MONITOR-35 who may monitor whom: refusals change nothing (${driver})`, async (t) => {
  const [m, a, adm] = [await online(k, 'mon'), await online(k, 'ann'), await online(k, 'admin')];
  const before = await snapshot(k);
  t.is((await call(m, 'monitor.start', { agentId: id.boss })).error.code, 'forbidden', 'an admin only by admins');
  t.is((await call(m, 'monitor.start', { agentId: id.mon })).error.code, 'forbidden', 'not oneself');
  t.is((await call(a, 'monitor.start', { agentId: id.bob })).error.code, 'forbidden', 'without conversation.monitor');
  t.is((await call(m, 'monitor.start', { agentId: 999999 })).error.code, 'not_found');
  t.deepEqual(await snapshot(k), before);
  t.true((await call(adm, 'monitor.start', { agentId: id.boss })).ok);
  t.deepEqual((await call(adm, 'monitor.stop', { agentId: id.boss })).stopped, [id.boss]);
  await closeAll(m, a, adm);
});

test.serial(`CONV-TAKEOVER-38 a monitor takes a chat over (${driver})`, async (t) => {
  const [a, m] = [await online(k, 'ann'), await online(k, 'mon')];
  const { v, conv } = await served(k, a);
  t.is((await call(m, 'conversation.takeover', { conversationId: conv.id })).error.code, 'not_found', 'only while monitoring');
  await call(m, 'monitor.start', { agentId: id.ann });
  await call(m, 'presence.set', { status: 'away' });
  t.is((await call(m, 'conversation.takeover', { conversationId: conv.id })).error.code, 'agent_unavailable');
  await call(m, 'presence.set', { status: 'online' });
  assigned = [];
  const annSees = next(a, 'conversation.updated', (x) => x.conversation.agentId === id.mon);
  const line = next(v.socket, 'message', (x) => x.message.kind === 'system');
  const r = await call(m, 'conversation.takeover', { conversationId: conv.id });
  t.is(r.conversation.agentId, id.mon);
  await annSees;
  t.is((await line).message.payload.event, 'takeover');
  t.deepEqual(assigned.map((p) => [p.by, p.agentId]), [['takeover', id.mon]]);
  const annQuiet = none(a, 'message', (x) => x.message.conversationId === conv.id);
  const monGets = next(m, 'message', (x) => x.message.text === 'who is this?');
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'who is this?' });
  await monGets;
  t.true(await annQuiet, 'the previous agent left the room');
  t.true((await call(m, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'A supervisor' })).ok);
  t.truthy(await k.server.db('audit_log').where({ actor_agent_id: id.mon, action: 'conversation.takeover' }).first());
  await call(m, 'monitor.stop', {});
  await closeAll(a, m, v.socket);
});

test.serial(`VISITOR-INVITE-9 INVITE-ACCEPT-8 invitations: pending, declined, cooldown, accepted, expired (${driver})`, async (t) => {
  const [a, b] = [await online(k, 'ann'), await online(k, 'bob')];
  const v1 = await visitorSocket(k.url, k.company.publicId);
  const v1Id = await visitorIdOf(k, v1.visitorNumber);
  const shown = next(v1.socket, 'invitation');
  const inv = await call(a, 'visitor.invite', { visitorId: v1Id, text: 'Can I help you choose?' });
  t.is(inv.invitation.status, 'pending');
  t.deepEqual((await shown).invitation, { id: inv.invitation.id, agentNickname: 'ann', text: 'Can I help you choose?' });
  const dup = await call(b, 'visitor.invite', { visitorId: v1Id });
  t.is(dup.error.code, 'invitation_pending');
  t.is(dup.error.agentId, id.ann);
  const answered = next(a, 'invitation.answered');
  t.deepEqual(await call(v1.socket, 'invitation.respond', { invitationId: inv.invitation.id, accept: false }), { ok: true, conversation: null });
  t.is((await answered).invitation.status, 'declined');
  t.is((await call(a, 'visitor.invite', { visitorId: v1Id })).error.code, 'invitation_cooldown');

  const v2 = await visitorSocket(k.url, k.company.publicId);
  const v2Id = await visitorIdOf(k, v2.visitorNumber);
  const inv2 = await call(a, 'visitor.invite', { visitorId: v2Id });
  t.is((await call(v1.socket, 'invitation.respond', { invitationId: inv2.invitation.id, accept: true })).error.code, 'not_found', "not another visitor's");
  const opened = next(a, 'conversation.updated', (x) => x.conversation.visitorId === v2Id);
  const ok = await call(v2.socket, 'invitation.respond', { invitationId: inv2.invitation.id, accept: true });
  t.is(ok.conversation.initiator, 'invitation');
  t.is(ok.conversation.status, 'active');
  t.is(ok.conversation.agentId, id.ann, 'goes first to the inviter');
  await opened;
  t.is(Number((await k.server.db('invitations').where({ id: inv2.invitation.id }).first()).conversation_id), ok.conversation.id);
  t.is((await call(b, 'visitor.invite', { visitorId: v2Id })).error.code, 'visitor_busy');
  t.is((await call(v2.socket, 'invitation.respond', { invitationId: inv2.invitation.id, accept: true })).error.code, 'invitation_closed');

  const v3 = await visitorSocket(k.url, k.company.publicId);
  const v3Id = await visitorIdOf(k, v3.visitorNumber);
  const inv3 = await call(b, 'visitor.invite', { visitorId: v3Id });
  const gone = next(v3.socket, 'invitation.closed');
  offset = 21_000;
  try {
    await k.server.container.resolve(InvitationService).sweep();
  } finally {
    offset = 0;
  }
  t.is((await gone).invitationId, inv3.invitation.id);
  t.is((await call(v3.socket, 'invitation.respond', { invitationId: inv3.invitation.id, accept: true })).error.code, 'invitation_closed');
  await closeAll(v3.socket);
  await k.server.db('visitors').where({ id: v3Id }).update({ last_seen_at: new Date(Date.now() - 120_000) });
  t.is((await call(b, 'visitor.invite', { visitorId: v3Id })).error.code, 'visitor_offline');
  await call(a, 'presence.set', { status: 'away' });
  t.is((await call(a, 'visitor.invite', { visitorId: v1Id })).error.code, 'agent_unavailable');
  await closeAll(a, b, v1.socket, v2.socket);
});

test.serial(`VISITOR-PROACTIVE-10 VISITOR-PROACTIVE-11 a proactive chat opens at once, served by the agent (${driver})`, async (t) => {
  const [a, b, e, p] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'eve'), await online(k, 'pro', 'away')];
  const v = await visitorSocket(k.url, k.company.publicId);
  const vId = await visitorIdOf(k, v.visitorNumber);
  assigned = [];
  const pushed = next(v.socket, 'proactive.open');
  const r = await call(a, 'visitor.proactive', { visitorId: vId, text: 'Hi! Looking for a size?' });
  t.is(r.conversation.status, 'active');
  t.is(r.conversation.initiator, 'proactive');
  t.is(r.conversation.agentId, id.ann);
  t.is(r.message.text, 'Hi! Looking for a size?');
  const open = await pushed;
  t.is(open.conversation.id, r.conversation.id);
  t.is(open.agent.nickname, 'ann');
  t.is(open.message.text, 'Hi! Looking for a size?');
  t.deepEqual(assigned.map((x) => [x.by, x.agentId]), [['manual', id.ann]]);
  const annGets = next(a, 'message', (x) => x.message.text === 'Yes, 42');
  await call(v.socket, 'message.send', { conversationId: r.conversation.id, clientId: uuid(), text: 'Yes, 42' });
  await annGets;
  t.is((await k.server.db('invitations').where({ conversation_id: r.conversation.id }).first()).status, 'accepted');
  const before = await snapshot(k);
  t.is((await call(b, 'visitor.proactive', { visitorId: vId })).error.code, 'visitor_busy');
  t.is((await call(e, 'visitor.proactive', { visitorId: vId })).error.code, 'forbidden', 'without visitor.proactive');
  t.is((await call(p, 'visitor.proactive', { visitorId: vId })).error.code, 'forbidden', 'without conversation.accept');
  t.deepEqual(await snapshot(k), before);
  await closeAll(a, b, e, p, v.socket);
});

test.serial(`every refusal acks a clear code and changes nothing (${driver})`, async (t) => {
  const [a, b, e] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'eve')];
  const { v, conv } = await served(k, a);
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob });
  const before = await snapshot(k);
  const code = async (s: any, event: string, payload: unknown) => (await call(s, event, payload)).error?.code;
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob, toGroupId: salesGroup }), 'validation_failed');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id }), 'validation_failed');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob, note: 'x'.repeat(201) }), 'validation_failed');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.ann }), 'invalid_target');
  t.is(await code(b, 'transfer.start', { conversationId: conv.id, toAgentId: id.cat }), 'not_found', 'only the serving agent');
  t.is(await code(e, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob }), 'forbidden', 'without conversation.transfer');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: 999999 }), 'not_found');
  t.is(await code(a, 'transfer.respond', { transferId: st.transfer.id, accept: true }), 'not_found', 'not offered to the sender');
  t.is(await code(b, 'transfer.cancel', { transferId: st.transfer.id }), 'not_found', 'only the sender withdraws');
  t.is(await code(e, 'transcript.view', { conversationId: conv.id }), 'not_found');
  t.is(await code(b, 'whisper.send', { conversationId: conv.id, clientId: uuid(), text: 'psst' }), 'not_found');
  t.is(await code(e, 'conversation.takeover', { conversationId: conv.id }), 'not_found');
  t.is(await code(a, 'visitor.invite', { visitorId: 999999 }), 'not_found');
  t.is(await code(a, 'monitor.stop', { agentId: 'x' }), 'validation_failed');
  t.is(await code(v.socket, 'invitation.respond', { invitationId: 999999, accept: true }), 'not_found');
  t.is(await code(v.socket, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob }), 'unknown_event', 'a visitor cannot send agent events');
  t.deepEqual(await snapshot(k), before);
  await call(a, 'transfer.cancel', { transferId: st.transfer.id });
  await closeAll(a, b, e, v.socket);
});

test.serial(`tenant isolation: company B cannot transfer, monitor, whisper, take over or invite into company A (${driver})`, async (t) => {
  const [a, bb] = [await online(k, 'ann'), await online(k, 'bob')];
  const { v, conv } = await served(k, a);
  const vId = await visitorIdOf(k, v.visitorNumber);
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: id.bob });
  const other = await k.createCompany('Other');
  const s = await online(k, 'admin', 'online', other.publicId);
  const otherAdminId = Number((await k.server.db('agents').where({ company_id: other.id, agent_id: 'admin' }).first('id')).id);
  const otherGroup = Number((await k.server.db('groups').insert({ company_id: other.id, name: 'B team' }).returning('id'))[0].id);
  const otherVisitor = await visitorSocket(k.url, other.publicId);
  const before = await snapshot(k);
  const code = async (sock: any, event: string, payload: unknown) => (await call(sock, event, payload)).error?.code;
  t.is(await code(s, 'transfer.start', { conversationId: conv.id, toAgentId: otherAdminId }), 'not_found');
  t.is(await code(s, 'transfer.respond', { transferId: st.transfer.id, accept: true }), 'not_found');
  t.is(await code(s, 'transfer.cancel', { transferId: st.transfer.id }), 'not_found');
  t.is(await code(s, 'transcript.view', { conversationId: conv.id }), 'not_found');
  t.is(await code(s, 'monitor.start', { agentId: id.ann }), 'not_found');
  t.is(await code(s, 'whisper.send', { conversationId: conv.id, clientId: uuid(), text: 'hi' }), 'not_found');
  t.is(await code(s, 'conversation.takeover', { conversationId: conv.id }), 'not_found');
  t.is(await code(s, 'visitor.invite', { visitorId: vId }), 'not_found');
  t.is(await code(s, 'visitor.proactive', { visitorId: vId }), 'not_found');
  t.false((await call(s, 'transfer.targets', {})).agents.some((x: any) => [id.ann, id.bob].includes(x.agentId)));
  t.deepEqual(await snapshot(k), before);
  await call(a, 'transfer.cancel', { transferId: st.transfer.id });
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: otherAdminId }), 'not_found', 'no target in another company');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toGroupId: otherGroup }), 'not_found');
  const v2 = await visitorSocket(k.url, k.company.publicId);
  const inv = await call(a, 'visitor.invite', { visitorId: await visitorIdOf(k, v2.visitorNumber) });
  t.is(await code(otherVisitor.socket, 'invitation.respond', { invitationId: inv.invitation.id, accept: true }), 'not_found');
  t.is((await k.server.db('invitations').where({ id: inv.invitation.id }).first()).status, 'pending');
  await closeAll(a, bb, s, v.socket, v2.socket, otherVisitor.socket);
});
