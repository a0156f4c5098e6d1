import crypto from 'node:crypto';
import test from 'ava';
import { call, next } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, online, startCollab } from './helpers/collab.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { pdfBytes, upload } from './helpers/uploads.ts';

/** Group and ad-hoc chats in internal chat (SPEC INTERNAL-GROUPCHAT-7, GROUP-ADD-3), with real console sockets. */
let c: CollabKefu;
const uuid = () => crypto.randomUUID();
const say = (s: any, threadId: number, text: string) => call(s, 'internal.send', { threadId, clientId: uuid(), text });
const texts = (h: any) => h.messages.map((m: any) => m.text);

test.before(async () => {
  c = await startCollab();
});
test.after.always(() => c?.k.close());

test.serial(`GROUP-ADD-3 INTERNAL-GROUPCHAT-7 a group's chat is created with it and its members follow the group (${driver})`, async (t) => {
  const [a, b, cat] = [await online(c.k, 'ann'), await online(c.k, 'bob'), await online(c.k, 'cat')];
  // Sales (bob + cat) existed before: its chat is there for both, not for ann.
  const sales = (await call(b, 'internal.threads')).threads.find((x: any) => x.groupId === c.salesGroup);
  t.like(sales, { kind: 'group', name: 'Sales', memberIds: [c.id.bob, c.id.cat].sort((x, y) => x - y) });
  t.false((await call(a, 'internal.threads')).threads.some((x: any) => x.groupId === c.salesGroup));

  const annTold = next(a, 'internal.threadChanged');
  const created = await c.admin.post('/api/groups', { name: 'Support', memberIds: [c.id.ann, c.id.bob] });
  t.is(created.status, 201);
  const support = (await call(a, 'internal.threads')).threads.find((x: any) => x.groupId === created.body.id);
  t.like(support, { kind: 'group', name: 'Support', memberIds: [c.id.ann, c.id.bob], canManage: false });
  t.is((await annTold).threadId, support.id, "a member's console learns of the new chat without reloading");

  const bobGets = next(b, 'internal.message', (m) => m.message.text === 'before cat');
  t.true((await say(a, support.id, 'before cat')).ok);
  t.is((await bobGets).message.threadId, support.id);
  t.like(
    (await call(b, 'internal.unread')).threads.find((x: any) => x.threadId === support.id),
    { count: 1, mentioned: false },
  );
  t.is((await say(cat, support.id, 'not a member')).error.code, 'not_found', 'a non-member cannot post');
  t.is((await call(cat, 'internal.history', { threadId: support.id })).error.code, 'not_found');

  // cat joins (the whole member list is saved again): sees what follows only; bob keeps everything.
  const catTold = next(cat, 'internal.threadChanged', (m) => m.threadId === support.id);
  t.is((await c.admin.patch(`/api/groups/${created.body.id}`, { memberIds: [c.id.ann, c.id.bob, c.id.cat] })).status, 200);
  await catTold;
  const catGets = next(cat, 'internal.message', (m) => m.message.text === 'after cat');
  await say(a, support.id, 'after cat');
  await catGets;
  t.deepEqual(texts(await call(cat, 'internal.history', { threadId: support.id })), ['after cat'], 'a new member sees messages from when they joined');
  t.deepEqual(texts(await call(b, 'internal.history', { threadId: support.id })), ['before cat', 'after cat'], 'saving the group keeps the others');
  t.is((await call(cat, 'internal.unread')).threads.find((x: any) => x.threadId === support.id).count, 1);

  // bob is removed through his own agent record: he loses the chat at once.
  const bobAgent = (await c.admin.get(`/api/agents/${c.id.bob}`)).body;
  const bobTold = next(b, 'internal.threadRemoved', (m) => m.threadId === support.id);
  const upd = await c.admin.patch(`/api/agents/${c.id.bob}`, { version: bobAgent.version, groupIds: [c.salesGroup] });
  t.is(upd.status, 200, JSON.stringify(upd.body));
  t.is((await bobTold).reason, 'removed', "the removed member's console drops the chat at once");
  t.is((await call(b, 'internal.history', { threadId: support.id })).error.code, 'not_found');
  t.is((await say(b, support.id, 'still here?')).error.code, 'not_found');
  t.false((await call(b, 'internal.threads')).threads.some((x: any) => x.id === support.id));
  const bobMissed = none(b, 'internal.message', (m) => m.message.threadId === support.id, 400);
  await say(a, support.id, 'bob is gone');
  t.true(await bobMissed, 'a removed member receives nothing more');
  t.is((await call(b, 'internal.thread.leave', { threadId: sales.id })).error.code, 'group_chat', "a group's chat cannot be left");

  // Removed through the group's member list: told the same way.
  const catOut = next(cat, 'internal.threadRemoved', (m) => m.threadId === support.id);
  t.is((await c.admin.patch(`/api/groups/${created.body.id}`, { memberIds: [c.id.ann] })).status, 200);
  t.is((await catOut).reason, 'removed');

  // Deleting the group deletes its chat.
  const dissolved = next(a, 'internal.threadRemoved', (m) => m.threadId === support.id);
  t.is((await c.admin.del(`/api/groups/${created.body.id}`)).status, 204);
  t.is((await dissolved).reason, 'dissolved');
  t.is((await call(a, 'internal.history', { threadId: support.id })).error.code, 'not_found');
  await closeAll(a, b, cat);
});

test.serial(`INTERNAL-GROUPCHAT-7 ad-hoc chats: 3–50 members, creator and admins manage, anyone leaves, removed members refused (${driver})`, async (t) => {
  const [a, b, cat, boss, eve] = [
    await online(c.k, 'ann'),
    await online(c.k, 'bob'),
    await online(c.k, 'cat'),
    await online(c.k, 'boss'),
    await online(c.k, 'eve'),
  ];
  t.like((await call(a, 'internal.thread.create', { name: 'two', memberIds: [c.id.bob] })).error, { code: 'validation_failed' });
  t.is((await call(a, 'internal.thread.create', { name: ' ', memberIds: [c.id.bob, c.id.cat] })).error.code, 'validation_failed');
  t.is((await call(a, 'internal.thread.create', { name: 'x'.repeat(31), memberIds: [c.id.bob, c.id.cat] })).error.code, 'validation_failed');
  const catTold = next(cat, 'internal.threadChanged');
  const made = await call(a, 'internal.thread.create', { name: 'Launch', memberIds: [c.id.bob, c.id.cat, c.id.boss] });
  t.true(made.ok, JSON.stringify(made));
  const id = made.thread.id;
  t.like(made.thread, { kind: 'adhoc', name: 'Launch', creatorId: c.id.ann, canManage: true, canMentionAll: true });
  t.is((await catTold).threadId, id);
  t.like((await call(cat, 'internal.thread', { threadId: id })).thread, { canManage: false, canMentionAll: false });

  t.is((await call(cat, 'internal.thread.rename', { threadId: id, name: 'Mine' })).error.code, 'chat_manage_forbidden');
  t.is((await call(cat, 'internal.thread.addMembers', { threadId: id, memberIds: [c.id.eve] })).error.code, 'chat_manage_forbidden');
  t.is((await call(cat, 'internal.thread.dissolve', { threadId: id })).error.code, 'chat_manage_forbidden');
  t.is((await call(boss, 'internal.thread.rename', { threadId: id, name: 'Launch 2' })).thread.name, 'Launch 2', 'an admin member may rename');
  await say(a, id, 'before eve');
  const [annC, bobC, catC, eveC] = [await signIn(c.k, 'ann'), await signIn(c.k, 'bob'), await signIn(c.k, 'cat'), await signIn(c.k, 'eve')];
  const get = (url: string, client: any) => fetch(c.k.url + url, { headers: { cookie: client.cookie ?? '' } });
  const pdf = await upload(c.k.url, '/api/files', { file: { bytes: pdfBytes(), name: 'plan.pdf' } }, annC);
  const doc = (await call(a, 'internal.send', { threadId: id, clientId: uuid(), fileKey: pdf.body.file.key })).message;
  t.is((await get(doc.file.url, bobC)).status, 200, 'a member opens a file of the chat');
  const added = await call(a, 'internal.thread.addMembers', { threadId: id, memberIds: [c.id.eve] });
  t.true(added.thread.memberIds.includes(c.id.eve));
  await say(b, id, 'after eve');
  t.deepEqual(texts(await call(eve, 'internal.history', { threadId: id })), ['after eve']);
  t.is((await get(doc.file.url, eveC)).status, 404, 'nor a file sent before they joined');

  const catGone = next(cat, 'internal.threadRemoved');
  t.true((await call(a, 'internal.thread.removeMember', { threadId: id, agentId: c.id.cat })).ok);
  t.like(await catGone, { threadId: id, reason: 'removed' });
  t.is((await say(cat, id, 'hello?')).error.code, 'not_found', 'a removed member is refused');
  t.is((await call(cat, 'internal.history', { threadId: id })).error.code, 'not_found');
  t.is((await get(doc.file.url, catC)).status, 404, "nor the chat's files");
  t.true((await call(eve, 'internal.thread.leave', { threadId: id })).ok, 'any member may leave');
  t.is((await say(eve, id, 'back?')).error.code, 'not_found');

  const bobTold = next(b, 'internal.threadRemoved');
  t.true((await call(a, 'internal.thread.dissolve', { threadId: id })).ok);
  t.like(await bobTold, { threadId: id, reason: 'dissolved' });
  t.is(Number((await c.k.server.db('internal_messages').where({ thread_id: id }).count('* as n').first())!.n), 0, 'its messages go with it');
  t.is((await get(doc.file.url, annC)).status, 404, 'and its files');
  await closeAll(a, b, cat, boss, eve);
});

test.serial(`INTERNAL-GROUPCHAT-7 at most 50 members and 200 ad-hoc chats per agent (409 chat_limit) (${driver})`, async (t) => {
  const a = await online(c.k, 'ann');
  const many = Array.from({ length: 50 }, (_, i) => 100_000 + i);
  t.like((await call(a, 'internal.thread.create', { name: 'big', memberIds: many })).error, { code: 'validation_failed' }, '51 with the creator');
  const db = c.k.server.db;
  const rows = await db('internal_threads')
    .insert(Array.from({ length: 200 }, (_, i) => ({ company_id: c.k.company.id, kind: 'adhoc', name: `filler ${i}`, creator_id: c.id.pro })))
    .returning('id');
  await db('internal_thread_members').insert(rows.map((r: any) => ({ company_id: c.k.company.id, thread_id: r.id, agent_id: c.id.cat })));
  try {
    const full = await call(a, 'internal.thread.create', { name: 'one more', memberIds: [c.id.bob, c.id.cat] });
    t.is(full.error.code, 'chat_limit');
    t.deepEqual(full.error.agentIds, [c.id.cat]);
    const ok = await call(a, 'internal.thread.create', { name: 'without cat', memberIds: [c.id.bob, c.id.eve] });
    t.true(ok.ok);
    t.is((await call(a, 'internal.thread.addMembers', { threadId: ok.thread.id, memberIds: [c.id.cat] })).error.code, 'chat_limit');
  } finally {
    await db('internal_threads')
      .whereIn(
        'id',
        rows.map((r: any) => r.id),
      )
      .delete();
  }
  await closeAll(a);
});

test.serial(
  `INTERNAL-GROUPCHAT-7 @nickname notifies even a muted member; @所有人 only for the creator, admins and, in a group's chat, groups.manage (${driver})`,
  async (t) => {
    const gm = await addAgent(c.admin, 'gm', { permissions: ['groups.manage'] });
    await c.admin.patch(`/api/groups/${c.salesGroup}`, { memberIds: [c.id.bob, c.id.cat, gm.id] });
    const [a, b, cat, g] = [await online(c.k, 'ann'), await online(c.k, 'bob'), await online(c.k, 'cat'), await online(c.k, 'gm', 'away')];
    const chat = (await call(a, 'internal.thread.create', { name: 'Mentions', memberIds: [c.id.bob, c.id.cat] })).thread;
    t.false((await call(b, 'internal.thread.mute', { threadId: chat.id, muted: true })).thread.canMentionAll);
    t.true((await call(b, 'internal.thread', { threadId: chat.id })).thread.muted);

    const plain = none(b, 'internal.mentioned', () => true, 400);
    await say(a, chat.id, 'no names here, @bobby');
    t.true(await plain, 'a muted member is not notified without a mention (and @bobby is not @bob)');
    const named = next(b, 'internal.mentioned');
    const catQuiet = none(cat, 'internal.mentioned', () => true, 400);
    const sent = await say(a, chat.id, '@bob 看一下这个');
    t.deepEqual(sent.message.mentions, [c.id.bob]);
    t.like(await named, { threadId: chat.id, message: { id: sent.message.id } });
    t.true(await catQuiet);
    t.like(
      (await call(b, 'internal.unread')).threads.find((x: any) => x.threadId === chat.id),
      { count: 2, mentioned: true },
    );
    t.true((await call(b, 'internal.read', { threadId: chat.id })).ok);
    t.like((await call(b, 'internal.unread')).threads.find((x: any) => x.threadId === chat.id) ?? { count: 0 }, { count: 0 });

    const refused = await say(b, chat.id, '@所有人 meeting now');
    t.is(refused.error.code, 'mention_all_forbidden');
    const everyone = next(b, 'internal.mentioned', (m) => m.message.mentionAll);
    t.true((await say(a, chat.id, '@所有人 meeting now')).ok, 'the creator may');
    await everyone;

    const sales = (await call(b, 'internal.threads')).threads.find((x: any) => x.groupId === c.salesGroup);
    t.is((await say(b, sales.id, '@所有人 hi')).error.code, 'mention_all_forbidden');
    t.true((await say(g, sales.id, '@所有人 hi')).ok, 'a groups.manage holder may in a group chat');
    await closeAll(a, b, cat, g);
  },
);

test.serial(`INTERNAL-GROUPCHAT-7 chats are company-scoped: another company cannot see, post or add across (${driver})`, async (t) => {
  const a = await online(c.k, 'ann');
  const chat = (await call(a, 'internal.thread.create', { name: 'Ours', memberIds: [c.id.bob, c.id.cat] })).thread;
  const other = await c.k.createCompany('Other');
  const x = await online(c.k, 'admin', 'online', other.publicId);
  t.is((await call(x, 'internal.history', { threadId: chat.id })).error.code, 'not_found');
  t.is((await say(x, chat.id, 'hi')).error.code, 'not_found');
  t.is((await call(x, 'internal.thread.leave', { threadId: chat.id })).error.code, 'not_found');
  t.deepEqual((await call(x, 'internal.threads')).threads, []);
  const theirAdmin = Number((await c.k.server.db('agents').where({ company_id: other.id, agent_id: 'admin' }).first('id')).id);
  t.is((await call(a, 'internal.thread.create', { name: 'Across', memberIds: [c.id.bob, theirAdmin] })).error.code, 'not_found');
  t.is((await call(a, 'internal.thread.addMembers', { threadId: chat.id, memberIds: [theirAdmin] })).error.code, 'not_found');
  await closeAll(a, x);
});
