import crypto from 'node:crypto';
import test from 'ava';
import type { TestKefu } from '@kefu/core/testing';
import { TransferService } from '../src/conversations/transfer-service.ts';
import { call, next, visitorSocket } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, online, served, snapshot, startCollab, visitorIdOf } from './helpers/collab.ts';

/** Agent actions (SPEC §2.1): transfers, every refusal, tenant isolation. Monitor, takeover and invitations: conversation-collab-monitor.test.ts. */
const uuid = () => crypto.randomUUID();
let c: CollabKefu;
let k: TestKefu;

test.before(async () => {
  c = await startCollab();
  k = c.k;
});
test.after.always(() => c?.k.close());

test.serial(`CONV-TRANSFER-28 CONV-TRANSFER-30 CONV-TRANSFER-31 CONV-TRANSFER-33 a transfer is offered, read and accepted (${driver})`, async (t) => {
  const [a, b] = [await online(k, 'ann'), await online(k, 'bob', 'busy')];
  const { v, conv } = await served(k, a);
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'Where is order 42?' });
  const offered = next(b, 'transfer.offered');
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob, note: 'VIP customer' });
  t.is(st.transfer.status, 'pending');
  const o = await offered;
  t.is(o.transfer.id, st.transfer.id);
  t.is(o.from.nickname, 'ann');
  t.is(o.transfer.note, 'VIP customer');
  t.is(o.conversation.id, conv.id);
  const transcript = await call(b, 'transcript.view', { conversationId: conv.id, afterSeq: 0 });
  t.true(
    transcript.messages.some((m: any) => m.text === 'Where is order 42?'),
    'the receiver reads the transcript before deciding',
  );
  t.is((await call(b, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'too early' })).error.code, 'not_found');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob })).error.code, 'transfer_pending');

  c.assigned.length = 0;
  const annSees = next(a, 'conversation.updated', (m) => m.conversation.agentId === c.id.bob);
  const senderTold = next(a, 'transfer.accepted');
  const line = next(v.socket, 'message', (m) => m.message.kind === 'system');
  const header = next(v.socket, 'conversation.updated', (m) => m.conversation.agentId === c.id.bob);
  const r = await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: true });
  t.is(r.transfer.status, 'accepted');
  t.is(r.conversation.agentId, c.id.bob);
  t.is(r.conversation.agentNickname, 'bob');
  await Promise.all([annSees, senderTold]);
  t.is((await line).message.text, '已为您转接至客服 bob');
  t.is((await header).conversation.agentNickname, 'bob');
  t.deepEqual(
    c.assigned.filter((p) => p.conversationId === conv.id).map((p) => [p.by, p.agentId]),
    [['transfer', c.id.bob]],
  );
  const row = await k.server.db('transfers').where({ id: st.transfer.id }).first();
  t.is(row.status, 'accepted');
  t.is(Number(row.answered_by), c.id.bob);
  t.truthy(row.responded_at);
  t.is(Number((await k.server.db('conversations').where({ id: conv.id }).first()).agent_id), c.id.bob);

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
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
  const r = await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: false, reason: 'on a call' });
  t.is(r.transfer.status, 'rejected');
  t.is((await rejected).reason, 'on a call');

  const withdrawn = next(b, 'transfer.closed', (m) => m.transfer.status === 'cancelled');
  const st2 = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
  t.is((await call(a, 'transfer.cancel', { transferId: st2.transfer.id })).transfer.status, 'cancelled');
  await withdrawn;
  t.is((await call(b, 'transfer.respond', { transferId: st2.transfer.id, accept: true })).error.code, 'transfer_closed');

  const st3 = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
  const timedOut = next(a, 'transfer.rejected', (m) => m.transfer.id === st3.transfer.id);
  c.shift(61_000);
  try {
    await k.server.container.resolve(TransferService).sweep();
  } finally {
    c.shift(0);
  }
  const ev = await timedOut;
  t.is(ev.reason, 'timeout');
  t.is(ev.transfer.status, 'expired');
  t.is((await call(b, 'transfer.respond', { transferId: st3.transfer.id, accept: true })).error.code, 'transfer_closed');
  t.is(Number((await k.server.db('conversations').where({ id: conv.id }).first()).agent_id), c.id.ann);
  t.deepEqual(
    (await k.server.db('transfers').where({ conversation_id: conv.id }).orderBy('id').select('status')).map((x) => x.status),
    ['rejected', 'cancelled', 'expired'],
  );
  await closeAll(a, b, v.socket);
});

test.serial(`CONV-TRANSFER-28 no transfer when the agent is the only one online; an offline or away target is refused (${driver})`, async (t) => {
  await k.server.db('agent_presence').update({ heartbeat_at: null });
  const a = await online(k, 'ann');
  const { v, conv } = await served(k, a);
  const before = await snapshot(k);
  t.deepEqual((await call(a, 'transfer.targets', {})).agents, []);
  const alone = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
  t.is(alone.error.code, 'no_transfer_target');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toGroupId: c.salesGroup })).error.code, 'no_transfer_target');
  const b = await online(k, 'bob');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.cat })).error.code, 'target_unavailable', 'cat is offline');
  const m = await online(k, 'mon', 'away');
  t.is((await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.mon })).error.code, 'target_unavailable', 'mon is away');
  t.deepEqual(await snapshot(k), before, 'nothing stored, nobody moved');
  await closeAll(a, b, m, v.socket);
});

test.serial(`CONV-TRANSFER-29 an invisible admin is hidden from agents and offered by admins (${driver})`, async (t) => {
  const [a, b, boss, adm] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'boss', 'invisible'), await online(k, 'admin')];
  const { v, conv } = await served(k, a);
  const targets = await call(a, 'transfer.targets', {});
  t.true(targets.agents.some((x: any) => x.agentId === c.id.bob));
  t.false(targets.agents.some((x: any) => x.agentId === c.id.boss));
  const hidden = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.boss });
  const offline = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.cat });
  t.deepEqual(hidden, offline, 'refused exactly as an offline agent');
  t.is(hidden.error.code, 'target_unavailable');
  t.is(await k.server.db('transfers').where({ conversation_id: conv.id }).first(), undefined);

  const mine = await served(k, adm);
  t.true((await call(adm, 'transfer.targets', {})).agents.some((x: any) => x.agentId === c.id.boss && x.status === 'invisible'));
  const offered = next(boss, 'transfer.offered');
  const st = await call(adm, 'transfer.start', { conversationId: mine.conv.id, toAgentId: c.id.boss });
  t.is((await offered).transfer.id, st.transfer.id);
  t.is((await call(boss, 'transfer.respond', { transferId: st.transfer.id, accept: true })).conversation.agentId, c.id.boss);
  await closeAll(a, b, boss, adm, v.socket, mine.v.socket);
});

test.serial(`CONV-TRANSFER-32 a transfer to a group: the first to accept wins (${driver})`, async (t) => {
  const [a, b, cat] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'cat')];
  const { v, conv } = await served(k, a);
  const offers = [next(b, 'transfer.offered'), next(cat, 'transfer.offered')];
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toGroupId: c.salesGroup });
  t.is(st.transfer.toGroupId, c.salesGroup);
  await Promise.all(offers);
  const answers = await Promise.all([
    call(b, 'transfer.respond', { transferId: st.transfer.id, accept: true }),
    call(cat, 'transfer.respond', { transferId: st.transfer.id, accept: true }),
  ]);
  const [won, lost] = [answers.filter((x) => x.ok), answers.filter((x) => x.error)];
  t.is(won.length, 1);
  t.is(lost[0].error.code, 'already_accepted');
  t.is(lost[0].error.agentId, won[0].conversation.agentId);
  t.is(Number((await k.server.db('conversations').where({ id: conv.id }).first()).agent_id), won[0].conversation.agentId);
  await closeAll(a, b, cat, v.socket);
});

test.serial(`every refusal acks a clear code and changes nothing (${driver})`, async (t) => {
  const [a, b, e] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'eve')];
  const { v, conv } = await served(k, a);
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
  const before = await snapshot(k);
  const code = async (s: any, event: string, payload: unknown) => (await call(s, event, payload)).error?.code;
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob, toGroupId: c.salesGroup }), 'validation_failed');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id }), 'validation_failed');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob, note: 'x'.repeat(201) }), 'validation_failed');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.ann }), 'invalid_target');
  t.is(await code(b, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.cat }), 'not_found', 'only the serving agent');
  t.is(await code(e, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob }), 'forbidden', 'without conversation.transfer');
  t.is(await code(a, 'transfer.start', { conversationId: conv.id, toAgentId: 999999 }), 'not_found');
  t.is(await code(a, 'transfer.respond', { transferId: st.transfer.id, accept: true }), 'not_found', 'not offered to the sender');
  t.is(await code(b, 'transfer.cancel', { transferId: st.transfer.id }), 'not_found', 'only the sender withdraws');
  t.is(await code(e, 'transcript.view', { conversationId: conv.id }), 'not_found');
  t.is(await code(b, 'whisper.send', { conversationId: conv.id, clientId: uuid(), text: 'psst' }), 'not_found');
  t.is(await code(e, 'conversation.takeover', { conversationId: conv.id }), 'not_found');
  t.is(await code(a, 'visitor.invite', { visitorId: 999999 }), 'not_found');
  t.is(await code(a, 'monitor.stop', { agentId: 'x' }), 'validation_failed');
  t.is(await code(v.socket, 'invitation.respond', { invitationId: 999999, accept: true }), 'not_found');
  t.is(await code(v.socket, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob }), 'unknown_event', 'a visitor cannot send agent events');
  t.deepEqual(await snapshot(k), before);
  await call(a, 'transfer.cancel', { transferId: st.transfer.id });
  await closeAll(a, b, e, v.socket);
});

test.serial(`tenant isolation: company B cannot transfer, monitor, whisper, take over or invite into company A (${driver})`, async (t) => {
  const [a, bb] = [await online(k, 'ann'), await online(k, 'bob')];
  const { v, conv } = await served(k, a);
  const vId = await visitorIdOf(k, v.visitorNumber);
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
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
  t.is(await code(s, 'monitor.start', { agentId: c.id.ann }), 'not_found');
  t.is(await code(s, 'whisper.send', { conversationId: conv.id, clientId: uuid(), text: 'hi' }), 'not_found');
  t.is(await code(s, 'conversation.takeover', { conversationId: conv.id }), 'not_found');
  t.is(await code(s, 'visitor.invite', { visitorId: vId }), 'not_found');
  t.is(await code(s, 'visitor.proactive', { visitorId: vId }), 'not_found');
  t.false((await call(s, 'transfer.targets', {})).agents.some((x: any) => [c.id.ann, c.id.bob].includes(x.agentId)));
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
