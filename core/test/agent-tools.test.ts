import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';

/** Canned replies and common links: scopes, groups, permissions, search, shortcuts, isolation (SPEC CHATSET, WORKBENCH). */
let k: TestKefu;
let admin: TestClient;
let ann: TestClient;
let bob: TestClient;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  await addAgent(admin, 'ann');
  await addAgent(admin, 'bob');
  ann = await signIn(k, 'ann');
  bob = await signIn(k, 'bob');
});
test.after.always(() => k?.close());

const fieldsOf = (r: { body: any }) => Object.fromEntries((r.body.error?.fields ?? []).map((f: any) => [f.path, f.code]));

test.serial('CHATSET-CANNED-7: each scope starts with the groups 欢迎语, 常用语, 结束语', async (t) => {
  const company = await ann.get('/api/agent-tools/canned/groups?scope=company');
  t.is(company.status, 200);
  t.deepEqual(
    company.body.items.map((g: any) => [g.name, g.builtin, g.scope]),
    [
      ['欢迎语', 'welcome', 'company'],
      ['常用语', 'common', 'company'],
      ['结束语', 'closing', 'company'],
    ],
  );
  const personal = await ann.get('/api/agent-tools/canned/groups?scope=personal');
  t.deepEqual(
    personal.body.items.map((g: any) => g.scope),
    ['personal', 'personal', 'personal'],
  );
  t.not(personal.body.items[0].id, company.body.items[0].id);
  // A second look seeds nothing more.
  t.is((await ann.get('/api/agent-tools/canned/groups?scope=company')).body.items.length, 3);
  t.is((await k.server.db('agent_tool_groups').where({ company_id: k.company.id, kind: 'canned' }).whereNull('agent_id')).length, 3);
});

test.serial('CHATSET-PERMS-14: company canned replies need canned.manage; every agent reads them and edits only their own', async (t) => {
  const created = await admin.post('/api/agent-tools/canned', { scope: 'company', title: 'Hello', content: '您好,{visitor},我是{agent}', shortcut: '/hi' });
  t.is(created.status, 201);
  t.like(created.body, { scope: 'company', title: 'Hello', shortcut: 'hi' });

  const refused = await ann.post('/api/agent-tools/canned', { scope: 'company', content: 'Not mine to add' });
  t.is(refused.status, 403);
  t.like(refused.body.error, { code: 'forbidden', permission: 'canned.manage' });
  t.is((await ann.patch(`/api/agent-tools/canned/${created.body.id}`, { content: 'changed' })).status, 403);
  t.is((await ann.del(`/api/agent-tools/canned/${created.body.id}`)).status, 403);

  const mine = await ann.post('/api/agent-tools/canned', { scope: 'personal', content: 'Ann says hi', shortcut: 'hi' });
  t.is(mine.status, 201, 'the same code in another scope is allowed');
  const tree = await ann.get('/api/agent-tools/canned/tree');
  t.false(tree.body.canEditCompany);
  t.deepEqual(tree.body.items.map((x: any) => x.content).sort(), ['Ann says hi', '您好,{visitor},我是{agent}']);
  t.is(tree.body.groups.length, 6);
  // Bob sees the company entry but not Ann's.
  t.deepEqual(
    (await bob.get('/api/agent-tools/canned/tree')).body.items.map((x: any) => x.content),
    ['您好,{visitor},我是{agent}'],
  );
});

test.serial("CHATSET-CANNED-7: agent X cannot read, change or delete agent Y's personal entries", async (t) => {
  const mine = await ann.post('/api/agent-tools/canned', { scope: 'personal', content: 'Private note' });
  const id = mine.body.id;
  t.is((await bob.patch(`/api/agent-tools/canned/${id}`, { content: 'hijacked' })).status, 404);
  t.is((await bob.del(`/api/agent-tools/canned/${id}`)).status, 404);
  t.is((await admin.del(`/api/agent-tools/canned/${id}`)).status, 404, 'not even an admin');
  t.false((await bob.get('/api/agent-tools/canned?scope=personal&q=Private')).body.items.length > 0);
  const annGroups = (await ann.get('/api/agent-tools/canned/groups?scope=personal')).body.items;
  t.is((await bob.patch(`/api/agent-tools/canned/groups/${annGroups[0].id}`, { name: 'Mine now' })).status, 404);
  t.is((await bob.post('/api/agent-tools/canned', { scope: 'personal', groupId: annGroups[0].id, content: 'x' })).status, 409);
  t.is((await k.server.db('canned_replies').where({ id }).first()).content, 'Private note');
});

test.serial('CHATSET-CANNED-7: bad input answers 400 with one entry per field', async (t) => {
  const r = await ann.post('/api/agent-tools/canned', { scope: 'team', title: 'x'.repeat(31), content: '   ', shortcut: '/no spaces', extra: 1 });
  t.is(r.status, 400);
  t.is(r.body.error.code, 'validation_failed');
  t.like(fieldsOf(r), { scope: 'invalid_value', title: 'too_big', content: 'too_small', shortcut: 'invalid_shortcut', extra: 'unknown_field' });
  const long = await ann.post('/api/agent-tools/canned', { scope: 'personal', content: '字'.repeat(2001) });
  t.like(fieldsOf(long), { content: 'too_big' });
  t.is((await ann.post('/api/agent-tools/canned', { scope: 'personal', content: '字'.repeat(2000) })).status, 201, '2,000 Chinese characters fit');
  t.is((await ann.patch('/api/agent-tools/canned/abc', { content: 'x' })).status, 400);
  t.is((await ann.get('/api/agent-tools/canned?scope=personal&pageSize=30')).status, 400);
});

test.serial('CHATSET-CANNED-7: a shortcut is unique within its scope', async (t) => {
  const again = await admin.post('/api/agent-tools/canned', { scope: 'company', content: 'Another hello', shortcut: 'HI' });
  t.is(again.status, 409);
  t.is(again.body.error.code, 'shortcut_taken');
  t.deepEqual(fieldsOf(again), { shortcut: 'shortcut_taken' });
});

test.serial('CHATSET-CANNEDUSE-8: `/` suggestions match shortcut, title and content; a personal code wins over the company one', async (t) => {
  await admin.post('/api/agent-tools/canned', { scope: 'company', title: 'Refunds', content: 'Refunds take 3 days', shortcut: 'refund' });
  const hi = await ann.get('/api/agent-tools/canned/suggest?q=hi');
  t.is(hi.status, 200);
  t.is(hi.body.items[0].content, 'Ann says hi', "Ann's /hi hides the company /hi");
  t.false(hi.body.items.some((x: any) => x.content.startsWith('您好')));
  t.true((await bob.get('/api/agent-tools/canned/suggest?q=hi')).body.items.some((x: any) => x.content.startsWith('您好')));
  const byContent = await ann.get('/api/agent-tools/canned/suggest?q=3%20days');
  t.deepEqual(
    byContent.body.items.map((x: any) => x.shortcut),
    ['refund'],
  );
});

test.serial('WORKBENCH-CANNED-3: search is server-side and paginated, case-insensitive, in groups', async (t) => {
  const groups = (await admin.get('/api/agent-tools/canned/groups?scope=company')).body.items;
  const closing = groups.find((g: any) => g.builtin === 'closing').id;
  for (let i = 1; i <= 23; i++) {
    const r = await admin.post('/api/agent-tools/canned', { scope: 'company', groupId: closing, content: `Goodbye number ${i}` });
    t.is(r.status, 201);
  }
  const page1 = await ann.get(`/api/agent-tools/canned?scope=company&q=GOODBYE&groupId=${closing}`);
  t.is(page1.body.total, 23);
  t.is(page1.body.items.length, 20);
  t.is(page1.body.items[0].content, 'Goodbye number 1', 'in their order');
  const page2 = await ann.get(`/api/agent-tools/canned?scope=company&q=goodbye&page=2`);
  t.is(page2.body.items.length, 3);
  t.is((await ann.get('/api/agent-tools/canned?scope=company&q=100%25')).body.total, 0, '% is matched literally');
  // Drag ordering: the last becomes first.
  const ids = (await admin.get(`/api/agent-tools/canned?scope=company&groupId=${closing}&pageSize=50`)).body.items.map((x: any) => x.id);
  t.is((await admin.put('/api/agent-tools/canned/order', { scope: 'company', groupId: closing, ids: [ids.at(-1), ...ids.slice(0, -1)] })).status, 204);
  t.is((await ann.get(`/api/agent-tools/canned?scope=company&groupId=${closing}`)).body.items[0].content, 'Goodbye number 23');
  t.is((await ann.put('/api/agent-tools/canned/order', { scope: 'company', groupId: closing, ids })).status, 403);
});

test.serial('CHATSET-CANNED-7: groups are added, renamed, ordered and deleted only when empty', async (t) => {
  const g = await ann.post('/api/agent-tools/canned/groups', { scope: 'personal', name: '售后' });
  t.is(g.status, 201);
  t.is((await ann.post('/api/agent-tools/canned/groups', { scope: 'personal', name: '售后' })).body.error.code, 'group_exists');
  t.is((await ann.post('/api/agent-tools/canned/groups', { scope: 'company', name: 'Team' })).status, 403);
  t.like(fieldsOf(await ann.post('/api/agent-tools/canned/groups', { scope: 'personal', name: '名'.repeat(21) })), { name: 'too_big' });
  const renamed = await ann.patch(`/api/agent-tools/canned/groups/${g.body.id}`, { name: '售后服务' });
  t.like(renamed.body, { name: '售后服务', builtin: null });
  const entry = await ann.post('/api/agent-tools/canned', { scope: 'personal', groupId: g.body.id, content: 'Warranty is one year' });
  const blocked = await ann.del(`/api/agent-tools/canned/groups/${g.body.id}`);
  t.is(blocked.status, 409);
  t.is(blocked.body.error.code, 'group_not_empty');
  // Moving the entry out empties the group.
  const first = (await ann.get('/api/agent-tools/canned/groups?scope=personal')).body.items[0];
  t.is((await ann.patch(`/api/agent-tools/canned/${entry.body.id}`, { groupId: first.id })).body.groupId, first.id);
  t.is((await ann.del(`/api/agent-tools/canned/groups/${g.body.id}`)).status, 204);
  const order = (await ann.get('/api/agent-tools/canned/groups?scope=personal')).body.items.map((x: any) => x.id);
  const reordered = await ann.put('/api/agent-tools/canned/groups/order', { scope: 'personal', ids: [...order].reverse() });
  t.deepEqual(
    reordered.body.items.map((x: any) => x.id),
    [...order].reverse(),
  );
});

test.serial('CHATSET-LINKS-12: links need http or https; company links need links.manage', async (t) => {
  for (const url of ['javascript:alert(1)', 'ftp://files.example.com/a', 'not a url', `https://example.com/${'a'.repeat(2048)}`]) {
    const r = await ann.post('/api/agent-tools/links', { scope: 'personal', title: 'Bad', url });
    t.is(r.status, 400, url.slice(0, 30));
    t.true(['invalid_url', 'too_big'].includes(fieldsOf(r).url));
  }
  t.deepEqual(fieldsOf(await ann.post('/api/agent-tools/links', { scope: 'personal', title: '', url: 'https://example.com' })), { title: 'too_small' });
  const denied = await ann.post('/api/agent-tools/links', { scope: 'company', title: 'Prices', url: 'https://example.com/prices' });
  t.like(denied.body.error, { code: 'forbidden', permission: 'links.manage' });
  const ok = await admin.post('/api/agent-tools/links', { scope: 'company', title: 'Prices', url: 'https://example.com/prices' });
  t.is(ok.status, 201);
  t.like(ok.body, { scope: 'company', title: 'Prices', url: 'https://example.com/prices' });
  const groups = (await ann.get('/api/agent-tools/links/groups?scope=company')).body.items;
  t.deepEqual(
    groups.map((g: any) => g.builtin),
    ['general'],
  );
  t.is((await ann.get('/api/agent-tools/links?scope=company&q=PRICES')).body.total, 1);
});

test.serial('WORKBENCH-CANNED-3: the stamp changes when a colleague changes a list the agent sees', async (t) => {
  const before = (await bob.get('/api/agent-tools/stamp')).body.stamp;
  await ann.post('/api/agent-tools/canned', { scope: 'personal', content: 'Only Ann sees this' });
  t.is((await bob.get('/api/agent-tools/stamp')).body.stamp, before, "Ann's personal list is not Bob's");
  const c = await admin.post('/api/agent-tools/links', { scope: 'company', title: 'Docs', url: 'https://example.com/docs' });
  const changed = (await bob.get('/api/agent-tools/stamp')).body.stamp;
  t.not(changed, before);
  await admin.del(`/api/agent-tools/links/${c.body.id}`);
  t.not((await bob.get('/api/agent-tools/stamp')).body.stamp, changed);
});

test.serial('CHATSET-CANNED-7: another company can neither see nor change these lists', async (t) => {
  const other = await k.createCompany('Other Co');
  const b = await k.login('admin', undefined, other.publicId);
  const a = (await admin.get('/api/agent-tools/canned?scope=company')).body.items[0];
  const tree = await b.get('/api/agent-tools/canned/tree');
  t.deepEqual(tree.body.items, []);
  t.is(tree.body.groups.length, 6, 'its own built-in groups');
  t.is((await b.patch(`/api/agent-tools/canned/${a.id}`, { content: 'taken over' })).status, 404);
  t.is((await b.del(`/api/agent-tools/canned/${a.id}`)).status, 404);
  t.is((await b.patch(`/api/agent-tools/canned/groups/${a.groupId}`, { name: 'taken' })).status, 404);
  t.is((await b.post('/api/agent-tools/canned', { scope: 'company', groupId: a.groupId, content: 'into A' })).status, 409);
  t.is((await b.get('/api/agent-tools/canned/suggest?q=hi')).body.items.length, 0);
  t.is((await admin.get('/api/agent-tools/canned?scope=company')).body.items[0].content, a.content);
});
