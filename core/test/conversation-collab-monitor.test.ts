import crypto from 'node:crypto';
import test from 'ava';
import type { TestKefu } from '@kefu/core/testing';
import { InvitationService } from '../src/conversations/invitation-service.ts';
import { call, next, visitorSocket } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, collect, driver, none, online, served, sleep, snapshot, startCollab, visitorIdOf } from './helpers/collab.ts';

/** Agent actions (SPEC §2.1): monitoring, whispers, takeover, invitations and proactive chat. Transfers: conversation-collab.test.ts. */
const uuid = () => crypto.randomUUID();
let c: CollabKefu;
let k: TestKefu;

test.before(async () => {
  c = await startCollab();
  k = c.k;
});
test.after.always(() => c?.k.close());

test.serial(`CONV-MONITOR-35 CONV-MONITOR-36 CONV-WHISPER-37 a monitor follows live chats; the visitor never gets a whisper (${driver})`, async (t) => {
  const [a, m] = [await online(k, 'ann'), await online(k, 'mon')];
  const one = await served(k, a);
  const seenByVisitor = collect(one.v.socket, 'message');
  const started = await call(m, 'monitor.start', { agentId: c.id.ann });
  t.is(started.monitor.watchedAgentId, c.id.ann);
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
  t.false(
    seenByVisitor.some((x) => x.message.kind === 'whisper'),
    'no whisper on the visitor socket',
  );
  t.false((await call(one.v.socket, 'sync', { conversationId: one.conv.id, afterSeq: 0 })).messages.some((x: any) => x.kind === 'whisper'));
  t.is((await call(m, 'transcript.view', { conversationId: one.conv.id, afterSeq: 0 })).messages.filter((x: any) => x.kind === 'whisper').length, 2);
  t.is(await k.server.db('conversation_reads').where({ agent_id: c.id.mon }).first(), undefined, 'monitoring marks nothing read');

  t.deepEqual(
    (await call(m, 'monitor.list', {})).monitors.map((x: any) => x.watchedAgentId),
    [c.id.ann],
  );
  t.deepEqual((await call(m, 'monitor.stop', {})).stopped, [c.id.ann]);
  const quiet = none(m, 'message');
  await call(one.v.socket, 'message.send', { conversationId: one.conv.id, clientId: uuid(), text: 'after stop' });
  t.true(await quiet, 'no more messages after stopping');
  t.is((await call(m, 'whisper.send', { conversationId: one.conv.id, clientId: uuid(), text: 'x' })).error.code, 'not_found');
  t.deepEqual(
    (await k.server.db('audit_log').where({ actor_agent_id: c.id.mon }).orderBy('id').select('action')).map((x) => x.action),
    ['monitor.start', 'monitor.stop'],
  );
  await closeAll(a, m, one.v.socket, two.v.socket);
});

test.serial(`CONV-MONITOR-35 who may monitor whom: refusals change nothing (${driver})`, async (t) => {
  const [m, a, adm] = [await online(k, 'mon'), await online(k, 'ann'), await online(k, 'admin')];
  const before = await snapshot(k);
  t.is((await call(m, 'monitor.start', { agentId: c.id.boss })).error.code, 'forbidden', 'an admin only by admins');
  t.is((await call(m, 'monitor.start', { agentId: c.id.mon })).error.code, 'forbidden', 'not oneself');
  t.is((await call(a, 'monitor.start', { agentId: c.id.bob })).error.code, 'forbidden', 'without conversation.monitor');
  t.is((await call(m, 'monitor.start', { agentId: 999999 })).error.code, 'not_found');
  t.deepEqual(await snapshot(k), before);
  t.true((await call(adm, 'monitor.start', { agentId: c.id.boss })).ok);
  t.deepEqual((await call(adm, 'monitor.stop', { agentId: c.id.boss })).stopped, [c.id.boss]);
  await closeAll(m, a, adm);
});

test.serial(`CONV-TAKEOVER-38 a monitor takes a chat over (${driver})`, async (t) => {
  const [a, m] = [await online(k, 'ann'), await online(k, 'mon')];
  const { v, conv } = await served(k, a);
  t.is((await call(m, 'conversation.takeover', { conversationId: conv.id })).error.code, 'not_found', 'only while monitoring');
  await call(m, 'monitor.start', { agentId: c.id.ann });
  await call(m, 'presence.set', { status: 'away' });
  t.is((await call(m, 'conversation.takeover', { conversationId: conv.id })).error.code, 'agent_unavailable');
  await call(m, 'presence.set', { status: 'online' });
  c.assigned.length = 0;
  const annSees = next(a, 'conversation.updated', (x) => x.conversation.agentId === c.id.mon);
  const line = next(v.socket, 'message', (x) => x.message.kind === 'system');
  const r = await call(m, 'conversation.takeover', { conversationId: conv.id });
  t.is(r.conversation.agentId, c.id.mon);
  await annSees;
  t.is((await line).message.payload.event, 'takeover');
  t.deepEqual(
    c.assigned.map((p) => [p.by, p.agentId]),
    [['takeover', c.id.mon]],
  );
  const annQuiet = none(a, 'message', (x) => x.message.conversationId === conv.id);
  const monGets = next(m, 'message', (x) => x.message.text === 'who is this?');
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'who is this?' });
  await monGets;
  t.true(await annQuiet, 'the previous agent left the room');
  t.true((await call(m, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'A supervisor' })).ok);
  t.truthy(await k.server.db('audit_log').where({ actor_agent_id: c.id.mon, action: 'conversation.takeover' }).first());
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
  // The agent's own text, with the company's title and buttons in the visitor's language (none known: the company default, INVITE-TEXT-5).
  t.deepEqual((await shown).invitation, {
    id: inv.invitation.id,
    agentNickname: 'ann',
    // Avatars are off: no picture and name block (INVITE-STYLE-6).
    agent: null,
    text: 'Can I help you choose?',
    title: '在线咨询',
    accept: '接受',
    decline: '以后再说',
    auto: false,
    mode: 'center',
    displaySeconds: 20,
  });
  const dup = await call(b, 'visitor.invite', { visitorId: v1Id });
  t.is(dup.error.code, 'invitation_pending');
  t.is(dup.error.agentId, c.id.ann);
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
  t.is(ok.conversation.agentId, c.id.ann, 'goes first to the inviter');
  await opened;
  t.is(Number((await k.server.db('invitations').where({ id: inv2.invitation.id }).first()).conversation_id), ok.conversation.id);
  t.is((await call(b, 'visitor.invite', { visitorId: v2Id })).error.code, 'visitor_busy');
  t.is((await call(v2.socket, 'invitation.respond', { invitationId: inv2.invitation.id, accept: true })).error.code, 'invitation_closed');

  const v3 = await visitorSocket(k.url, k.company.publicId);
  const v3Id = await visitorIdOf(k, v3.visitorNumber);
  const inv3 = await call(b, 'visitor.invite', { visitorId: v3Id });
  const gone = next(v3.socket, 'invitation.closed');
  c.shift(21_000);
  try {
    await k.server.container.resolve(InvitationService).sweep();
  } finally {
    c.shift(0);
  }
  t.is((await gone).invitationId, inv3.invitation.id);
  t.is((await call(v3.socket, 'invitation.respond', { invitationId: inv3.invitation.id, accept: true })).error.code, 'invitation_closed');
  await closeAll(v3.socket);
  await k.server
    .db('visitors')
    .where({ id: v3Id })
    .update({ last_seen_at: new Date(Date.now() - 120_000) });
  t.is((await call(b, 'visitor.invite', { visitorId: v3Id })).error.code, 'visitor_offline');
  await call(a, 'presence.set', { status: 'away' });
  t.is((await call(a, 'visitor.invite', { visitorId: v1Id })).error.code, 'agent_away');
  await closeAll(a, b, v1.socket, v2.socket);
});

test.serial(`VISITOR-PROACTIVE-10 VISITOR-PROACTIVE-11 a proactive chat opens at once, served by the agent (${driver})`, async (t) => {
  const [a, b, e, p] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'eve'), await online(k, 'pro', 'away')];
  const v = await visitorSocket(k.url, k.company.publicId);
  const vId = await visitorIdOf(k, v.visitorNumber);
  c.assigned.length = 0;
  const pushed = next(v.socket, 'proactive.open');
  const r = await call(a, 'visitor.proactive', { visitorId: vId, text: 'Hi! Looking for a size?' });
  t.is(r.conversation.status, 'active');
  t.is(r.conversation.initiator, 'proactive');
  t.is(r.conversation.agentId, c.id.ann);
  t.is(r.message.text, 'Hi! Looking for a size?');
  const open = await pushed;
  t.is(open.conversation.id, r.conversation.id);
  t.is(open.agent.nickname, 'ann');
  t.is(open.message.text, 'Hi! Looking for a size?');
  t.deepEqual(
    c.assigned.map((x) => [x.by, x.agentId]),
    [['manual', c.id.ann]],
  );
  const annGets = next(a, 'message', (x) => x.message.text === 'Yes, 42');
  await call(v.socket, 'message.send', { conversationId: r.conversation.id, clientId: uuid(), text: 'Yes, 42' });
  await annGets;
  // message.created runs after the ack: poll briefly.
  const status = async () => (await k.server.db('invitations').where({ conversation_id: r.conversation.id }).first()).status;
  for (let i = 0; i < 40 && (await status()) === 'pending'; i++) await sleep(50);
  t.is(await status(), 'accepted', 'accepted once the visitor writes');
  const before = await snapshot(k);
  t.is((await call(b, 'visitor.proactive', { visitorId: vId })).error.code, 'visitor_busy');
  t.is((await call(e, 'visitor.proactive', { visitorId: vId })).error.code, 'forbidden', 'without visitor.proactive');
  t.is((await call(p, 'visitor.proactive', { visitorId: vId })).error.code, 'forbidden', 'without conversation.accept');
  t.deepEqual(await snapshot(k), before);
  await closeAll(a, b, e, p, v.socket);
});
