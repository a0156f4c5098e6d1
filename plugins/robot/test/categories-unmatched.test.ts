// Categories (ROBOT-CATEGORY-3) and the unmatched-question list with its actions (ROBOT-UNMATCHED-21).
import crypto from 'node:crypto';
import test from 'ava';
import { call, clearEntries, loadKb, robotSays, setAutoAssign, setup, visitorSocket } from './helpers.ts';

test.serial('ROBOT-CATEGORY-3 tree of 3 levels, sibling names unique, 寒暄库 kept, entries need a target before their category goes', async (t) => {
  const { k, admin } = await setup();
  t.teardown(() => k.close());
  const add = (name: string, parentId?: number) => admin.post('/api/p/robot/categories', { name, parentId });
  const a = await add('售后');
  t.is(a.status, 201);
  const b = await add('退换货', a.body.id);
  const c = await add('七天无理由', b.body.id);
  t.is(c.status, 201);

  const deep = await add('第四级', c.body.id);
  t.is(deep.status, 400);
  t.is(deep.body.error.fields[0].code, 'category_too_deep');
  const twin = await add('退换货', a.body.id);
  t.is(twin.body.error.fields[0].code, 'duplicate_name');
  t.is((await add('退换货')).status, 201, 'the same name at another level is fine');
  t.is((await add('')).status, 400);
  t.is((await add('x'.repeat(31))).status, 400);
  t.is((await add('孤儿', 999999)).body.error.fields[0].code, 'unknown_category');

  const cycle = await admin.put(`/api/p/robot/categories/${a.body.id}`, { parentId: c.body.id });
  t.is(cycle.body.error.fields[0].code, 'category_cycle');
  const other = await add('物流');
  const tooDeep = await admin.put(`/api/p/robot/categories/${a.body.id}`, { parentId: other.body.id });
  t.is(tooDeep.body.error.fields[0].code, 'category_too_deep', 'a 3-level branch cannot move one level down');
  t.is((await admin.put(`/api/p/robot/categories/${c.body.id}`, { name: '七天无理由退货' })).status, 200);

  // An entry in the deepest level: deleting the branch needs a target, and the entry lands there.
  const e = await admin.post('/api/p/robot/entries', { question: '拆封了还能七天无理由退货吗', answer: '可以', categoryId: c.body.id });
  const refused = await admin.del(`/api/p/robot/categories/${a.body.id}`);
  t.is(refused.status, 409);
  t.is(refused.body.error.code, 'category_not_empty');
  t.is((await admin.del(`/api/p/robot/categories/${a.body.id}?moveTo=${b.body.id}`)).body.error.fields[0].code, 'unknown_category', 'not into itself');
  t.is((await admin.del(`/api/p/robot/categories/${a.body.id}?moveTo=${other.body.id}`)).status, 204);
  t.is((await admin.get(`/api/p/robot/entries/${e.body.id}`)).body.categoryId, other.body.id);
  const names = (await admin.get('/api/p/robot/categories')).body.categories.map((x: any) => x.name);
  t.false(names.includes('七天无理由退货'), 'sub-categories go with it');
  t.is((await admin.post('/api/p/robot/ask', { text: '拆封了还能七天无理由退货吗' })).body.entry.id, e.body.id, 'the entry still answers');

  const small = (await admin.get('/api/p/robot/categories')).body.categories.find((x: any) => x.kind === 'smalltalk');
  t.is((await admin.del(`/api/p/robot/categories/${small.id}?moveTo=${other.body.id}`)).body.error.code, 'category_protected');
  t.is((await admin.put(`/api/p/robot/categories/${small.id}`, { name: '闲聊' })).status, 200, '寒暄库 can be renamed');
});

test.serial('ROBOT-UNMATCHED-21 unmatched questions: listed by count, added as a phrasing, ignored until asked again', async (t) => {
  const { k, admin } = await setup();
  t.teardown(() => k.close());
  await clearEntries(admin);
  const ids = await loadKb(admin);
  await setAutoAssign(k, true);
  await admin.put('/api/p/robot/settings', { mode: 'first' });

  const v = await visitorSocket(k.url, k.company.publicId);
  const welcome = robotSays(v.socket);
  const conv = (await call(v.socket, 'chat.request', {})).conversation;
  await welcome;
  const ask = async (text: string) => {
    const reply = robotSays(v.socket, (m) => m.clientId?.endsWith(':fallback') || m.text?.includes('抱歉'));
    await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text });
    await reply;
  };
  for (const text of ['火星上能收快递吗', '火星上能收快递吗？', 'zorblax quux']) await ask(text);

  const list = async () => (await admin.get('/api/p/robot/unmatched')).body.unmatched as any[];
  let rows = await list();
  t.deepEqual(
    rows.map((r) => [r.question, r.count]),
    [
      ['火星上能收快递吗？', 2],
      ['zorblax quux', 1],
    ],
    'grouped by normalised text, most asked first',
  );
  t.is(rows[0].conversationId, conv.id);
  t.true(rows[0].firstAt <= rows[0].lastAt);

  // 添加为问法: the question now answers with that entry and leaves the list.
  const mars = rows[0];
  const added = await admin.post(`/api/p/robot/unmatched/${mars.id}/phrasing`, { entryId: ids.get(9) });
  t.is(added.status, 200, added.text);
  t.true(added.body.phrasings.includes('火星上能收快递吗？'));
  t.is((await admin.post('/api/p/robot/ask', { text: '火星上能收快递吗' })).body.entry.id, ids.get(9));
  rows = await list();
  t.deepEqual(
    rows.map((r) => r.question),
    ['zorblax quux'],
  );

  // 忽略: hidden, and back when a visitor asks it again.
  t.is((await admin.post(`/api/p/robot/unmatched/${rows[0].id}/ignore`, {})).status, 200);
  t.deepEqual(await list(), []);
  await ask('zorblax quux');
  rows = await list();
  t.is(rows[0]?.count, 2, 'asked again after the ignore');

  // Removed once a new entry answers it (新建知识 in the console).
  t.is((await admin.del(`/api/p/robot/unmatched/${rows[0].id}`)).status, 204);
  t.deepEqual(await list(), []);
  t.is((await admin.del(`/api/p/robot/unmatched/${rows[0].id}`)).status, 404);
  t.is((await admin.post('/api/p/robot/unmatched/999999/phrasing', { entryId: ids.get(9) })).status, 404);
  t.is((await admin.post(`/api/p/robot/unmatched/1/phrasing`, { entryId: 'x' })).status, 400);
  v.socket.close();
});
