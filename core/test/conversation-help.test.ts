import crypto from 'node:crypto';
import test from 'ava';
import type { TestKefu } from '@kefu/core/testing';
import { HelpService } from '../src/conversations/help-service.ts';
import { call, next } from './helpers/sockets.ts';
import { signIn } from './helpers/accounts.ts';
import { closeAll, type CollabKefu, driver, none, online, served, startCollab } from './helpers/collab.ts';

/** 邀请协助 (SPEC CONV-JOIN-34) over real sockets: requests, helpers writing and whispering, leaving, limits, isolation. */
const uuid = () => crypto.randomUUID();
let c: CollabKefu;
let k: TestKefu;

test.before(async () => {
  c = await startCollab();
  k = c.k;
});
test.after.always(() => c?.k.close());

const helpRows = (conversationId: number) =>
  k.server.db('conversation_helpers').where({ conversation_id: conversationId }).orderBy('id').select('agent_id', 'status', 'reason');

test.serial(
  `CONV-JOIN-34 CONV-WHISPER-37 ASSIGN-ELIGIBLE-2 a colleague is asked, accepts, writes to the visitor, whispers and leaves (${driver})`,
  async (t) => {
    const [a, b] = [await online(k, 'ann'), await online(k, 'bob', 'busy')];
    const { v, conv } = await served(k, a);
    await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'My invoice is wrong' });
    const offered = next(b, 'help.offered');
    const inv = await call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob], note: 'billing question' });
    t.is(inv.requests.length, 1);
    t.is(inv.requests[0].status, 'pending');
    const o = await offered;
    t.is(o.request.id, inv.requests[0].id);
    t.is(o.from.nickname, 'ann');
    t.is(o.request.note, 'billing question');
    t.is(o.conversation.id, conv.id);
    const before = await call(b, 'transcript.view', { conversationId: conv.id, afterSeq: 0 });
    t.true(
      before.messages.some((m: any) => m.text === 'My invoice is wrong'),
      'the asked colleague may read the transcript before deciding',
    );
    t.is((await call(b, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'too early' })).error.code, 'not_found');
    const listed = await call(b, 'help.list', {});
    t.deepEqual(
      listed.offers.map((x: any) => x.request.id),
      [inv.requests[0].id],
    );

    const loadBefore = (await call(a, 'transfer.targets', {})).agents.find((x: any) => x.agentId === c.id.bob).load;
    const annTold = next(a, 'help.accepted');
    const notice = next(v.socket, 'message', (m) => m.message.kind === 'system');
    const r = await call(b, 'help.respond', { requestId: inv.requests[0].id, accept: true });
    t.is(r.request.status, 'accepted');
    t.is(r.conversation.id, conv.id);
    t.is(r.conversation.agentId, c.id.ann, 'ann still serves');
    t.is((await annTold).request.agentNickname, 'bob');
    t.is((await notice).message.text, '客服 bob 加入了对话');
    t.is(
      (await call(a, 'transfer.targets', {})).agents.find((x: any) => x.agentId === c.id.bob).load,
      loadBefore + 1,
      'the helped chat counts toward the load',
    );
    t.deepEqual(
      (await call(b, 'help.list', {})).helping.map((x: any) => x.id),
      [conv.id],
    );
    t.deepEqual(
      (await call(a, 'help.members', { conversationId: conv.id })).requests.map((x: any) => [x.agentNickname, x.status]),
      [['bob', 'accepted']],
    );

    // The helper reads everything, writes under their own name, and hears the visitor.
    const synced = await call(b, 'sync', { conversationId: conv.id, afterSeq: 0 });
    t.true(synced.messages.some((m: any) => m.text === 'My invoice is wrong'));
    const visitorSees = next(v.socket, 'message', (m) => m.message.text === 'bob from billing here');
    const annSees = next(a, 'message', (m) => m.message.text === 'bob from billing here');
    const sent = await call(b, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'bob from billing here' });
    t.true(sent.ok, JSON.stringify(sent));
    t.is((await visitorSees).message.senderName, 'bob');
    t.is((await annSees).message.senderName, 'bob');
    const bobHears = next(b, 'message', (m) => m.message.text === 'thanks bob');
    await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'thanks bob' });
    await bobHears;
    const annServes = next(v.socket, 'message', (m) => m.message.text === 'ann here too');
    t.true((await call(a, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'ann here too' })).ok);
    t.is((await annServes).message.senderName, 'ann');

    // A whisper reaches the serving agent, never the visitor.
    const noWhisper = none(v.socket, 'message', (m) => m.message.kind === 'whisper');
    const annWhisper = next(a, 'message', (m) => m.message.kind === 'whisper');
    t.true((await call(b, 'whisper.send', { conversationId: conv.id, clientId: uuid(), text: 'refund it' })).ok);
    t.is((await annWhisper).message.text, 'refund it');
    t.true(await noWhisper, 'the visitor never receives a whisper');

    // 退出协助: out of the room, no more writing; ann is told.
    const annChanged = next(a, 'help.changed', (m) => m.conversationId === conv.id && m.requests.length === 0);
    const left = await call(b, 'help.leave', { conversationId: conv.id });
    t.is(left.request.status, 'left');
    await annChanged;
    const bobQuiet = none(b, 'message', (m) => m.message.conversationId === conv.id);
    await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'hello?' });
    t.true(await bobQuiet, 'the helper left the room');
    t.is((await call(b, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'me again' })).error.code, 'not_found');
    t.is((await call(b, 'help.leave', { conversationId: conv.id })).error.code, 'not_found');
    t.deepEqual(
      (await helpRows(conv.id)).map((x) => x.status),
      ['left'],
    );
    await closeAll(a, b, v.socket);
  },
);

test.serial(`CONV-JOIN-34 CONV-TRANSFER-30 a rejection and a timeout leave the chat to the serving agent (${driver})`, async (t) => {
  const [a, b, cat] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'cat')];
  const { v, conv } = await served(k, a);
  const rejected = next(a, 'help.rejected', (m) => m.request.agentId === c.id.bob);
  const inv = await call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob, c.id.cat] });
  t.is(inv.requests.length, 2);
  const [toBob, toCat] = inv.requests;
  const r = await call(b, 'help.respond', { requestId: toBob.id, accept: false, reason: 'on a call' });
  t.is(r.request.status, 'rejected');
  t.is((await rejected).reason, 'on a call');
  t.is((await call(b, 'help.respond', { requestId: toBob.id, accept: true })).error.code, 'help_closed');

  const timedOut = next(a, 'help.rejected', (m) => m.request.id === toCat.id);
  const catClosed = next(cat, 'help.closed', (m) => m.request.id === toCat.id);
  c.shift(61_000);
  try {
    t.is(await k.server.container.resolve(HelpService).sweep(), 1);
  } finally {
    c.shift(0);
  }
  const ev = await timedOut;
  t.is(ev.reason, 'timeout');
  t.is(ev.request.status, 'expired');
  await catClosed;
  t.is((await call(cat, 'help.respond', { requestId: toCat.id, accept: true })).error.code, 'help_closed');
  t.is((await call(cat, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'late' })).error.code, 'not_found');
  t.is(Number((await k.server.db('conversations').where({ id: conv.id }).first()).agent_id), c.id.ann);
  t.deepEqual(
    (await helpRows(conv.id)).map((x) => [x.status, x.reason]),
    [
      ['rejected', 'on a call'],
      ['expired', 'timeout'],
    ],
  );
  await call(a, 'conversation.end', { conversationId: conv.id });
  await closeAll(a, b, cat, v.socket);
});

test.serial(`CONV-JOIN-34 CONV-TRANSFER-29 at most 3 helpers, eligible colleagues only, clear codes (${driver})`, async (t) => {
  const [a, b, cat, e, mon] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'cat'), await online(k, 'eve'), await online(k, 'mon')];
  const boss = await online(k, 'boss', 'invisible');
  const { v, conv } = await served(k, a);
  const code = async (s: any, event: string, payload: unknown) => (await call(s, event, payload)).error?.code;
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob, c.id.cat, c.id.eve, c.id.mon] }), 'validation_failed', 'four at once');
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [] }), 'validation_failed');
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.ann] }), 'invalid_target');
  t.is(await code(b, 'help.invite', { conversationId: conv.id, agentIds: [c.id.cat] }), 'not_found', 'only the serving agent asks');
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [999999] }), 'not_found');
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.pro] }), 'target_unavailable', 'pro cannot take chats');
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.boss] }), 'target_unavailable', 'an invisible admin is hidden from agents');
  t.is(await k.server.db('conversation_helpers').where({ conversation_id: conv.id }).first(), undefined, 'a refusal stores nothing');

  const two = await call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob, c.id.cat] });
  t.is(two.requests.length, 2);
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob] }), 'help_pending');
  t.true((await call(b, 'help.respond', { requestId: two.requests[0].id, accept: true })).ok);
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob] }), 'already_helping');
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.eve, c.id.mon] }), 'too_many_helpers', 'two open plus two');
  const third = await call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.eve] });
  t.is(third.requests.length, 1);
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.mon] }), 'too_many_helpers', 'three already');
  t.is(await code(mon, 'help.respond', { requestId: third.requests[0].id, accept: true }), 'not_found', 'not asked');
  t.is(await code(b, 'help.members', { conversationId: conv.id }), undefined, 'a helper sees the helpers');
  t.is(await code(e, 'help.members', { conversationId: conv.id }), 'not_found', 'one only asked does not');
  t.is(await code(b, 'help.invite', { conversationId: conv.id, agentIds: [c.id.mon] }), 'not_found', 'a helper cannot ask others');
  t.is(await code(b, 'conversation.end', { conversationId: conv.id }), 'not_found', 'a helper cannot end the chat');
  t.is(await code(b, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.mon }), 'not_found', 'nor transfer it');
  await call(a, 'conversation.end', { conversationId: conv.id });
  await closeAll(a, b, cat, e, mon, boss, v.socket);
});

test.serial(`CONV-JOIN-34 helpers leave automatically when the chat is transferred or ends (${driver})`, async (t) => {
  const [a, b, cat] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'cat')];
  const { v, conv } = await served(k, a);
  const inv = await call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob, c.id.cat] });
  t.true((await call(b, 'help.respond', { requestId: inv.requests[0].id, accept: true })).ok);
  // cat has not answered yet; ann transfers the chat to cat.
  const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.cat });
  const bobOut = next(b, 'help.closed', (m) => m.request.conversationId === conv.id && m.request.status === 'left');
  t.true((await call(cat, 'transfer.respond', { transferId: st.transfer.id, accept: true })).ok);
  t.is((await bobOut).request.reason, 'transferred');
  t.is((await call(b, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'still helping?' })).error.code, 'not_found');
  t.is((await call(cat, 'help.respond', { requestId: inv.requests[1].id, accept: true })).error.code, 'help_closed', 'the open request was withdrawn');
  t.true((await call(cat, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'cat serves now' })).ok);
  t.deepEqual(
    (await helpRows(conv.id)).map((x) => [x.status, x.reason]),
    [
      ['left', 'transferred'],
      ['cancelled', 'transferred'],
    ],
  );

  // cat serves, bob helps, the chat ends.
  const again = await call(cat, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob] });
  t.true((await call(b, 'help.respond', { requestId: again.requests[0].id, accept: true })).ok);
  const bobEnded = next(b, 'help.closed', (m) => m.request.id === again.requests[0].id);
  await call(v.socket, 'chat.end', { conversationId: conv.id });
  t.is((await bobEnded).request.reason, 'conversation_ended');
  t.deepEqual((await call(b, 'help.list', {})).helping, []);
  await closeAll(a, b, cat, v.socket);
});

test.serial(`CONV-JOIN-34 HISTORY-VISIBILITY-5 a colleague who helped finds the chat in history; one who declined does not (${driver})`, async (t) => {
  const [a, b, cat] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'cat')];
  const { v, conv } = await served(k, a);
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'where is my parcel' });
  const inv = await call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob, c.id.cat] });
  t.true((await call(b, 'help.respond', { requestId: inv.requests[0].id, accept: true })).ok);
  t.true((await call(cat, 'help.respond', { requestId: inv.requests[1].id, accept: false })).ok);
  t.true((await call(b, 'help.leave', { conversationId: conv.id })).ok);
  await call(v.socket, 'chat.end', { conversationId: conv.id });
  const [bob, catHttp] = [await signIn(k, 'bob'), await signIn(k, 'cat')];
  const found = (who: typeof bob) => who.get(`/api/history/conversations?conversationId=${conv.id}`);
  t.deepEqual(
    (await found(bob)).body.items.map((x: any) => x.id),
    [conv.id],
  );
  const detail = await bob.get(`/api/history/conversations/${conv.id}`);
  t.is(detail.status, 200);
  t.true(detail.body.messages.some((m: any) => m.text === 'where is my parcel'));
  t.deepEqual((await found(catHttp)).body.items, []);
  t.is((await catHttp.get(`/api/history/conversations/${conv.id}`)).status, 404);
  await closeAll(a, b, cat, v.socket);
});

test.serial(`CONV-JOIN-34 tenant isolation: another company cannot ask, answer, leave or read helpers (${driver})`, async (t) => {
  const [a, b] = [await online(k, 'ann'), await online(k, 'bob')];
  const { v, conv } = await served(k, a);
  const inv = await call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob] });
  const other = await k.createCompany('Other help');
  const s = await online(k, 'admin', 'online', other.publicId);
  const otherAdminId = Number((await k.server.db('agents').where({ company_id: other.id, agent_id: 'admin' }).first('id')).id);
  const code = async (sock: any, event: string, payload: unknown) => (await call(sock, event, payload)).error?.code;
  t.is(await code(s, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob] }), 'not_found');
  t.is(await code(s, 'help.respond', { requestId: inv.requests[0].id, accept: true }), 'not_found');
  t.is(await code(s, 'help.leave', { conversationId: conv.id }), 'not_found');
  t.is(await code(s, 'help.members', { conversationId: conv.id }), 'not_found');
  const theirs = await call(s, 'help.list', {});
  t.deepEqual([theirs.helping, theirs.offers], [[], []]);
  t.is(await code(a, 'help.invite', { conversationId: conv.id, agentIds: [otherAdminId] }), 'not_found', 'no helper from another company');
  t.deepEqual(
    (await helpRows(conv.id)).map((x) => x.status),
    ['pending'],
  );
  await call(a, 'conversation.end', { conversationId: conv.id });
  await closeAll(a, b, s, v.socket);
});

test.serial(`CONV-JOIN-34 two invitations at once cannot pass the limit of 3 together (${driver})`, async (t) => {
  const [a, b, cat, e, mon] = [await online(k, 'ann'), await online(k, 'bob'), await online(k, 'cat'), await online(k, 'eve'), await online(k, 'mon')];
  const { v, conv } = await served(k, a);
  const [one, two] = await Promise.all([
    call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.bob, c.id.cat] }),
    call(a, 'help.invite', { conversationId: conv.id, agentIds: [c.id.eve, c.id.mon] }),
  ]);
  t.deepEqual([one, two].map((r) => r.error?.code ?? 'ok').sort(), ['ok', 'too_many_helpers']);
  t.is((await helpRows(conv.id)).length, 2);
  await call(a, 'conversation.end', { conversationId: conv.id });
  await closeAll(a, b, cat, e, mon, v.socket);
});
