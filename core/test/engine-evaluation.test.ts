import crypto from 'node:crypto';
import test from 'ava';
import type { Socket } from 'socket.io-client';
import { signIn } from './helpers/accounts.ts';
import { call, next } from './helpers/sockets.ts';
import { addAgent } from './helpers/accounts.ts';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
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
const evaluation = { topic: '售后服务', valid: true, note: null, version: 0 };

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
  t.is((await c.admin.put(`/api/conversations/${ids[1]}/evaluation`, { topic: '其他', valid: false, note: 'admin', version: 0 })).status, 200);

  const r = await bob.post('/api/conversations/evaluations', { conversationIds: [...ids, eves.conv.id, 99999999], topic: '技术支持', valid: true });
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
      ['技术支持', true, null],
      ['其他', false, 'admin'],
      ['技术支持', true, null],
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

test.serial(
  `HISTORY-EVALUATE-8 EVAL-FORM-1 EVAL-WHO-5 二次评估: versioned changes with 修改记录, topics from the list, history.evaluate, the editable window (${driver})`,
  async (t) => {
    const k = c.k;
    const fired: any[] = [];
    k.server.container.resolve(HookRegistry).addAction('conversation.evaluated', (p) => void fired.push(p));
    const a = await online(k, 'ann');
    const chat = await served(k, a);
    await say(chat.v.socket, chat.conv.id, 'Where is my parcel?');
    t.true((await call(a, 'conversation.end', { conversationId: chat.conv.id })).ok);
    const ann = await signIn(k, 'ann');
    const url = `/api/conversations/${chat.conv.id}/evaluation`;
    const first = { topic: '售后服务', valid: true, valuable: true, note: '包裹丢失', version: 0 };

    // The form only offers the company's live topics; a summary is at most 1,000 characters.
    const temp = (await c.admin.post('/api/topics', { name: '临时' })).body;
    t.is((await c.admin.del(`/api/topics/${temp.id}`)).status < 300, true);
    const deleted = await ann.put(url, { ...first, topic: '临时' });
    t.is(deleted.status, 400);
    t.like(deleted.body.error.fields[0], { path: 'topic', code: 'topic_deleted' });
    t.like((await ann.put(url, { ...first, topic: 'Refund' })).body.error.fields[0], { path: 'topic', code: 'unknown_topic' });
    t.is((await ann.put(url, { ...first, note: 'x'.repeat(1001) })).status, 400);
    t.is((await ann.put(url, { ...first, rating: 5 })).status, 400, "the visitor's rating is not part of the form");

    // Another console hears of the change (without its content) while ann saves.
    const watcher = await online(k, 'boss');
    const heard = next(watcher, 'conversation.evaluated', (m) => m.conversationId === chat.conv.id);
    const saved = await ann.put(url, { ...first, note: 'x'.repeat(1000) });
    t.is(saved.status, 200, saved.text);
    t.like(saved.body.evaluation, { topic: '售后服务', valid: true, valuable: true, version: 1, evaluatedBy: c.id.ann, locked: false });
    t.deepEqual(await heard, { conversationId: chat.conv.id, version: 1 });
    t.like(fired.at(-1), { conversationId: chat.conv.id, agentId: c.id.ann, version: 1, topic: '售后服务', valid: true, valuable: true });

    // A holder of history.viewAll without history.evaluate reads it but may not change it; with it, they may.
    await addAgent(c.admin, 'viewer', { permissions: ['history.viewAll'] });
    const reader = await signIn(k, 'viewer');
    t.is((await reader.get(url)).status, 200);
    const refused = await reader.put(url, { ...first, version: 1 });
    t.is(refused.status, 403);
    t.is(refused.body.error.code, 'forbidden');
    const auditorId = (await addAgent(c.admin, 'auditor', { permissions: ['history.viewAll', 'history.evaluate'] })).id;
    const auditor = await signIn(k, 'auditor');
    const second = await auditor.put(url, { topic: '投诉建议', valid: false, valuable: false, note: '改为投诉', version: 1 });
    t.is(second.status, 200, second.text);
    t.is(second.body.evaluation.version, 2);

    // ann's form still holds version 1: her save is refused with the current values instead of overwriting.
    const late = await ann.put(url, { ...first, version: 1 });
    t.is(late.status, 409);
    t.is(late.body.error.code, 'evaluation_changed');
    t.like(late.body.error.current, { topic: '投诉建议', valid: false, valuable: false, note: '改为投诉', version: 2 });

    // 修改记录: who, when, old and new values, oldest first; someone who cannot see it gets 404.
    const changes = (await ann.get(url)).body.changes;
    t.deepEqual(
      changes.map((x: any) => [x.version, x.agent.id, x.old?.topic ?? null, x.new.topic, x.new.valuable]),
      [
        [1, c.id.ann, null, '售后服务', true],
        [2, auditorId, '售后服务', '投诉建议', false],
      ],
    );
    t.truthy(Date.parse(changes[1].at));
    t.is((await (await signIn(k, 'cat')).get(url)).status, 404);

    // HISTORY-LOCK-9: past the editable window nobody can change it, not even an admin.
    await k.server
      .db('conversations')
      .where({ id: chat.conv.id })
      .update({ ended_at: new Date(Date.now() - 400 * 86_400_000) });
    const archived = await c.admin.put(url, { ...first, version: 2 });
    t.is(archived.status, 409);
    t.is(archived.body.error.code, 'conversation_archived');
    t.true((await ann.get(url)).body.evaluation.locked);
    t.is((await k.server.db('conversations').where({ id: chat.conv.id }).first('eval_version')).eval_version, 2, 'the refusals changed nothing');
    await closeAll(a, watcher, chat.v.socket);
  },
);

test.serial(`EVAL-SHOW-10 history lists and filters the valuable flag and the visitor's rating as stored (${driver})`, async (t) => {
  const k = c.k;
  const a = await online(k, 'ann');
  const rated = await served(k, a);
  const plain = await served(k, a);
  for (const x of [rated, plain]) {
    await say(x.v.socket, x.conv.id, 'hello');
    t.true((await call(a, 'message.send', { conversationId: x.conv.id, clientId: crypto.randomUUID(), text: 'Hi, how can I help?' })).ok);
  }
  const ann = await signIn(k, 'ann');
  // Evaluated while it runs (EVAL-LIVE-2's server side), rated 4 then changed to 5 by the visitor.
  t.is((await ann.put(`/api/conversations/${rated.conv.id}/evaluation`, { topic: '售前咨询', valuable: true, note: null, version: 0 })).status, 200);
  for (const score of [4, 5]) t.true((await call(rated.v.socket, 'rating.submit', { conversationId: rated.conv.id, clientId: crypto.randomUUID(), score })).ok);

  const ids = async (query: Record<string, string>) =>
    ((await ann.get(`/api/history/conversations?${new URLSearchParams(query)}`)).body.items as any[])
      .map((x) => x.id)
      .filter((id) => id === rated.conv.id || id === plain.conv.id);
  t.deepEqual(await ids({ evaluation: 'valuable' }), [rated.conv.id]);
  t.deepEqual(await ids({ rating: '5' }), [rated.conv.id]);
  t.deepEqual(await ids({ rating: '4' }), [], 'the latest rating counts');
  t.deepEqual(await ids({ rating: 'none' }), [plain.conv.id]);
  const row = (await ann.get(`/api/history/conversations?conversationId=${rated.conv.id}`)).body.items[0];
  t.like(row, { topic: '售前咨询', evaluation: 'valid', valuable: true, rating: 5, status: 'active' });
  const detail = (await ann.get(`/api/history/conversations/${rated.conv.id}`)).body.conversation;
  t.like(detail, { valuable: true, rating: 5 });
  t.is((await ann.get('/api/history/conversations?rating=6')).status, 400);
  await closeAll(a, rated.v.socket, plain.v.socket);
});
