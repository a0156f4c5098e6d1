import crypto from 'node:crypto';
import test from 'ava';
import type { Socket } from 'socket.io-client';
import { signIn } from './helpers/accounts.ts';
import { call } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, online, served, startCollab } from './helpers/collab.ts';

/** Who may evaluate and what awaits evaluation (EVAL-WHO-5, EVAL-PENDING-6, EVAL-BULK-7). */
let c: CollabKefu;

test.before(async () => {
  c = await startCollab();
});
test.after.always(() => c?.k.close());

const say = (v: Socket, conversationId: number, text: string) => call(v, 'message.send', { conversationId, clientId: crypto.randomUUID(), text });
const awaitingIds = async (who: string) =>
  ((await (await signIn(c.k, who)).get('/api/conversations/awaiting-evaluation')).body.items as any[]).map((x) => x.id);
const evaluation = { topic: 'Refund', valid: true, note: null };

test.serial(
  `EVAL-PENDING-6 EVAL-WHO-5 the agent serving at the end gets it to evaluate; everyone who served may evaluate it; chats without a visitor message or older than 30 days never wait (${driver})`,
  async (t) => {
    const k = c.k;
    const [a, b] = [await online(k, 'ann'), await online(k, 'bob')];
    // Served by ann, then bob, who ends it.
    const moved = await served(k, a);
    await say(moved.v.socket, moved.conv.id, 'My order is late');
    const st = await call(a, 'transfer.start', { conversationId: moved.conv.id, toAgentId: c.id.bob });
    t.true((await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: true })).ok);
    t.true((await call(b, 'conversation.end', { conversationId: moved.conv.id })).ok);
    // Ann's chat where the visitor never wrote.
    const silent = await served(k, a);
    t.true((await call(a, 'conversation.end', { conversationId: silent.conv.id })).ok);
    // Ann's chat that ended 31 days ago.
    const old = await served(k, a);
    await say(old.v.socket, old.conv.id, 'hello');
    t.true((await call(a, 'conversation.end', { conversationId: old.conv.id })).ok);
    await k.server
      .db('conversations')
      .where({ id: old.conv.id })
      .update({ ended_at: new Date(Date.now() - 31 * 86_400_000) });
    // Ann's chat evaluated while it ran.
    const early = await served(k, a);
    await say(early.v.socket, early.conv.id, 'hi');
    const ann = await signIn(k, 'ann');
    t.is((await ann.put(`/api/conversations/${early.conv.id}/evaluation`, evaluation)).status, 200, 'an active conversation can be evaluated');
    t.true((await call(a, 'conversation.end', { conversationId: early.conv.id })).ok);

    const bobs = await awaitingIds('bob');
    t.true(bobs.includes(moved.conv.id), 'the agent serving at the end has it');
    const anns = await awaitingIds('ann');
    t.false(anns.includes(moved.conv.id), 'not the agent it was transferred from');
    t.false(anns.includes(silent.conv.id), 'no visitor message: never awaits evaluation');
    t.false(anns.includes(old.conv.id), 'older than 30 days: left the list');
    t.false(anns.includes(early.conv.id), 'evaluated before the end: never enters');
    t.is((await ann.put(`/api/conversations/${old.conv.id}/evaluation`, evaluation)).status, 200, 'the old one can still be evaluated');

    // EVAL-WHO-5: ann served a segment of the transferred chat; cat never served it and holds no history rights.
    t.is((await ann.put(`/api/conversations/${moved.conv.id}/evaluation`, { ...evaluation, note: 'by ann' })).status, 200);
    const cat = await signIn(k, 'cat');
    const refused = await cat.put(`/api/conversations/${moved.conv.id}/evaluation`, evaluation);
    t.is(refused.status, 404);
    const row = await k.server.db('conversations').where({ id: moved.conv.id }).first('eval_note', 'evaluated_by');
    t.is(row.eval_note, 'by ann', 'the refusal changed nothing');
    t.is(Number(row.evaluated_by), c.id.ann);
    t.false((await awaitingIds('bob')).includes(moved.conv.id), 'evaluated by anyone: it leaves the list');
    await closeAll(a, b, moved.v.socket, silent.v.socket, old.v.socket, early.v.socket);
  },
);

test.serial(`EVAL-BULK-7 批量评估: one topic for several conversations; one evaluated meanwhile is skipped with evaluation_changed (${driver})`, async (t) => {
  const k = c.k;
  const [b, e] = [await online(k, 'bob'), await online(k, 'eve')];
  const chats = [];
  for (let i = 0; i < 3; i++) {
    const s = await served(k, b);
    await say(s.v.socket, s.conv.id, `question ${i}`);
    t.true((await call(b, 'conversation.end', { conversationId: s.conv.id })).ok);
    chats.push(s);
  }
  const eves = await served(k, e);
  const bob = await signIn(k, 'bob');
  const ids = chats.map((x) => x.conv.id);
  t.true((await awaitingIds('bob')).filter((id) => ids.includes(id)).length === 3);
  // Meanwhile an admin evaluates the second one.
  t.is((await c.admin.put(`/api/conversations/${ids[1]}/evaluation`, { topic: 'Other', valid: false, note: 'admin' })).status, 200);

  const r = await bob.post('/api/conversations/evaluations', { conversationIds: [...ids, eves.conv.id, 99999999], topic: 'Shipping', valid: true });
  t.is(r.status, 200, r.text);
  t.deepEqual(
    r.body.results.map((x: any) => [x.conversationId, x.ok, x.error]),
    [
      [ids[0], true, null],
      [ids[1], false, 'evaluation_changed'],
      [ids[2], true, null],
      [eves.conv.id, false, 'not_found'],
      [99999999, false, 'not_found'],
    ],
  );
  const rows = await k.server.db('conversations').whereIn('id', ids).orderBy('id').select('topic', 'eval_valid', 'eval_note');
  t.deepEqual(
    rows.map((x: any) => [x.topic, x.eval_valid, x.eval_note]),
    [
      ['Shipping', true, null],
      ['Other', false, 'admin'],
      ['Shipping', true, null],
    ],
  );
  t.is((await k.server.db('conversations').where({ id: eves.conv.id }).first('evaluated_at')).evaluated_at, null, "eve's chat was not touched");
  t.false(
    (await awaitingIds('bob')).some((id) => ids.includes(id)),
    'the list is empty again',
  );

  const tooMany = await bob.post('/api/conversations/evaluations', { conversationIds: Array.from({ length: 101 }, (_, i) => i + 1), topic: 'x', valid: true });
  t.is(tooMany.status, 400);
  t.true(JSON.stringify(tooMany.body.error.fields).includes('conversationIds'), tooMany.text);
  t.is((await bob.post('/api/conversations/evaluations', { conversationIds: [ids[0]], topic: ' ', valid: true })).status, 400);
  await closeAll(b, e, eves.v.socket, ...chats.map((x) => x.v.socket));
});
