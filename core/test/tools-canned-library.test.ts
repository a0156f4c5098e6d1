import test from 'ava';
import ExcelJS from 'exceljs';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { parseCsv } from '../src/infra/table-files.ts';
import { addAgent, signIn } from './helpers/accounts.ts';

/** Canned replies as whole lists: versions, drafts, export and import (SPEC CHATSET §10.1.2). */
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

const base = '/api/agent-tools/canned';
const contents = (list: { entries: { content: string }[] }) => list.entries.map((e) => e.content);

/** Sends a file as the request body, the way the console's import button does. */
async function upload(c: TestClient, query: string, data: Buffer, type = 'text/csv') {
  const r = await fetch(`${k.url}${base}/import?${query}`, {
    method: 'POST',
    headers: { origin: k.url, cookie: c.cookie, 'content-type': type },
    body: new Uint8Array(data),
  });
  return { status: r.status, body: await r.json() };
}
async function download(c: TestClient, query: string) {
  const r = await fetch(`${k.url}${base}/export?${query}`, { headers: { origin: k.url, cookie: c.cookie } });
  return { status: r.status, type: r.headers.get('content-type'), data: Buffer.from(await r.arrayBuffer()) };
}

test.serial(
  'CHATSET-CANNEDHISTORY-9: every save of a scope is a version with time, author and entry count; loading one and saving it is a new version',
  async (t) => {
    const first = await admin.post(base, { scope: 'company', content: '您好,请问有什么可以帮您?', shortcut: '/hi' });
    t.is(first.status, 201);
    await admin.post(base, { scope: 'company', content: '感谢您的咨询,再见!' });
    await admin.patch(`${base}/${first.body.id}`, { content: '您好!' });

    const versions = await admin.get(`${base}/versions?scope=company`);
    t.is(versions.status, 200);
    t.deepEqual(
      versions.body.items.map((v: any) => v.entryCount),
      [2, 2, 1],
    );
    const me = (await admin.get('/api/auth/me')).body;
    t.deepEqual(new Set(versions.body.items.map((v: any) => v.author.id)), new Set([me.agent?.id ?? me.id]));
    t.truthy(Date.parse(versions.body.items[0].createdAt));

    // The oldest version holds the list as it was then; loading it changes nothing yet.
    const oldest = await admin.get(`${base}/versions/${versions.body.items[2].id}?scope=company`);
    t.deepEqual(contents(oldest.body.list), ['您好,请问有什么可以帮您?']);
    t.deepEqual(contents((await admin.get(`${base}/versions/${versions.body.items[0].id}?scope=company`)).body.list), ['您好!', '感谢您的咨询,再见!']);
    t.is((await admin.get(`${base}/tree`)).body.items.filter((i: any) => i.scope === 'company').length, 2);

    const restored = await admin.put(`${base}/list`, { scope: 'company', ...oldest.body.list });
    t.is(restored.status, 200);
    t.deepEqual(contents(restored.body), ['您好,请问有什么可以帮您?']);
    const after = await admin.get(`${base}/versions?scope=company`);
    t.is(after.body.items.length, 4, 'publishing the loaded version added one; the newer ones are still there');
    t.deepEqual(
      (await admin.get(`${base}/tree`)).body.items.filter((i: any) => i.scope === 'company').map((i: any) => [i.content, i.shortcut]),
      [['您好,请问有什么可以帮您?', 'hi']],
    );

    // Personal lists keep their own versions, seen only by their agent; the company's need canned.manage.
    await ann.post(base, { scope: 'personal', content: 'Ann 的常用语' });
    t.deepEqual(
      (await ann.get(`${base}/versions?scope=personal`)).body.items.map((v: any) => v.entryCount),
      [1],
    );
    t.deepEqual((await bob.get(`${base}/versions?scope=personal`)).body.items, []);
    t.is((await ann.get(`${base}/versions?scope=company`)).status, 403);
    t.is((await bob.get(`${base}/versions/${after.body.items[0].id}?scope=personal`)).status, 404);
  },
);

test.serial('CHATSET-CANNEDHISTORY-9: only the last 50 versions are kept', async (t) => {
  for (let i = 0; i < 52; i++) await bob.post(base, { scope: 'personal', content: `第 ${i} 条` });
  const versions = await bob.get(`${base}/versions?scope=personal`);
  t.is(versions.body.items.length, 50);
  t.is(versions.body.items[0].entryCount, 52);
  t.is(versions.body.items[49].entryCount, 3);
});

test.serial('CHATSET-CANNEDDRAFT-10: a draft is kept aside, shows who saved it, survives a new sign-in and goes when the list is published', async (t) => {
  t.deepEqual((await admin.get(`${base}/draft?scope=company`)).body, { draft: null });
  const list = { groups: ['结束语', '欢迎语'], entries: [{ group: '结束语', title: '再见', content: '祝您生活愉快!', shortcut: '/bye' }] };
  const saved = await admin.put(`${base}/draft`, { scope: 'company', ...list });
  t.is(saved.status, 200);
  t.is(saved.body.draft.savedBy.name.length > 0, true);
  t.truthy(Date.parse(saved.body.draft.savedAt));
  t.is((await admin.get(`${base}/tree`)).body.items.filter((i: any) => i.scope === 'company').length, 1, 'not published');

  // The next draft overwrites; another session of the same company sees it too.
  await admin.put(`${base}/draft`, { scope: 'company', ...list, entries: [...list.entries, { group: '欢迎语', content: '欢迎光临' }] });
  const other = await k.login();
  const loaded = await other.get(`${base}/draft?scope=company`);
  t.deepEqual(contents(loaded.body.draft.list), ['祝您生活愉快!', '欢迎光临']);
  t.is(loaded.body.draft.list.entries[0].shortcut, 'bye');

  const published = await other.put(`${base}/list`, { scope: 'company', ...loaded.body.draft.list });
  t.deepEqual(contents(published.body), ['祝您生活愉快!', '欢迎光临'], 'groups follow the list: 结束语 before 欢迎语');
  t.deepEqual(published.body.groups.slice(0, 2), ['结束语', '欢迎语']);
  t.deepEqual((await admin.get(`${base}/draft?scope=company`)).body, { draft: null });

  t.is((await ann.put(`${base}/draft`, { scope: 'company', ...list })).status, 403);
  const bad = await admin.put(`${base}/list`, {
    scope: 'company',
    entries: [
      { group: '欢迎语', content: 'a', shortcut: 'x' },
      { group: '欢迎语', content: 'b', shortcut: '/X' },
      { group: '', content: '' },
    ],
  });
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.fields.map((f: any) => f.path).sort(), ['entries.2.content', 'entries.2.group']);
  const twice = await admin.put(`${base}/list`, {
    scope: 'company',
    entries: [
      { group: '欢迎语', content: 'a', shortcut: 'x' },
      { group: '欢迎语', content: 'b', shortcut: '/X' },
    ],
  });
  t.is(twice.status, 400);
  t.deepEqual(twice.body.error.fields, [{ path: 'entries.1.shortcut', code: 'shortcut_taken', message: '/X is used twice' }]);
});

test.serial('CHATSET-CANNEDIO-11: an exported XLSX or CSV imports back unchanged, formulas stay text', async (t) => {
  const list = {
    groups: ['欢迎语', '常用语', '结束语'],
    entries: [
      { group: '欢迎语', title: '问候', content: '您好,我是{agent}', shortcut: 'hi' },
      { group: '欢迎语', title: null, content: '=HYPERLINK("http://evil")', shortcut: null },
      { group: '常用语', title: '退款', content: '退款将在 3 个工作日内到账,\n请留意 "短信" 通知。', shortcut: 'tk' },
      { group: '结束语', title: null, content: '再见', shortcut: null },
    ],
  };
  t.is((await admin.put(`${base}/list`, { scope: 'company', ...list })).status, 200);
  for (const format of ['xlsx', 'csv'] as const) {
    const file = await download(ann, `scope=company&format=${format}`);
    t.is(file.status, 200, 'every agent may export the company list');
    if (format === 'xlsx') {
      t.regex(file.type ?? '', /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file.data as never);
      const rows = wb.worksheets[0].getSheetValues().slice(1) as unknown[][];
      t.deepEqual(rows[0].slice(1), ['分组', '标题', '内容', '快捷码', '排序']);
      t.deepEqual(rows[1].slice(1), ['欢迎语', '问候', '您好,我是{agent}', '/hi', 1]);
      t.is(rows[2][3], `'=HYPERLINK("http://evil")`, 'written as text, not a formula');
    } else {
      const rows = parseCsv(file.data.toString('utf8'));
      t.deepEqual(rows[3], ['常用语', '退款', '退款将在 3 个工作日内到账,\n请留意 "短信" 通知。', '/tk', '1']);
    }
    const before = await admin.get(`${base}/versions?scope=company`);
    const result = await upload(admin, `scope=company&format=${format}&mode=replace`, file.data);
    t.deepEqual(result.body, { added: 4, skipped: 0, rejected: [] });
    const now = (await admin.get(`${base}/versions?scope=company`)).body.items;
    t.is(now.length, before.body.items.length + 2, 'the list before the replace is kept as a version, the import is one more');
    const current = await admin.get(`${base}/versions/${now[0].id}?scope=company`);
    t.deepEqual(current.body.list.entries, list.entries, `${format} round trip`);
  }
});

test.serial('CHATSET-CANNEDIO-11: 追加 skips rows equal in group and content and reports every rejected row with its number and reason', async (t) => {
  const csv = [
    '分组,标题,内容,快捷码,排序',
    '欢迎语,,再来一条欢迎,,2',
    '常用语,退款,"退款将在 3 个工作日内到账,\n请留意 ""短信"" 通知。",,1', // equal to an entry: skipped
    '常用语,,,,', // no content
    '新分组,,先到的在前,/new,1',
    '新分组,,快捷码重复,/hi,2', // taken by an existing entry
    `新分组,${'长'.repeat(31)},内容,,3`,
    '新分组,,坏的快捷码,/a b,4',
  ].join('\r\n');
  const r = await upload(admin, 'scope=company&format=csv&mode=append', Buffer.from(csv));
  t.is(r.status, 200);
  t.is(r.body.added, 2);
  t.is(r.body.skipped, 1);
  t.deepEqual(
    r.body.rejected.map((x: any) => [x.row, x.reason]),
    [
      [4, 'too_small'],
      [6, 'shortcut_taken'],
      [7, 'too_big'],
      [8, 'invalid_shortcut'],
    ],
  );
  const tree = (await admin.get(`${base}/tree`)).body;
  const group = tree.groups.find((g: any) => g.scope === 'company' && g.name === '新分组');
  t.truthy(group, 'a group named in the file is created');
  t.deepEqual(
    tree.items.filter((i: any) => i.groupId === group.id).map((i: any) => [i.content, i.shortcut]),
    [['先到的在前', 'new']],
  );
  const welcome = tree.groups.find((g: any) => g.scope === 'company' && g.name === '欢迎语');
  t.deepEqual(
    tree.items.filter((i: any) => i.groupId === welcome.id).map((i: any) => i.content),
    ['您好,我是{agent}', '=HYPERLINK("http://evil")', '再来一条欢迎'],
    'appended at the end of its group',
  );

  t.like((await upload(admin, 'scope=company&format=xlsx&mode=append', Buffer.from('not a spreadsheet'))).body, {
    added: 0,
    rejected: [{ row: 0, reason: 'unreadable_file' }],
  });
  const tooMany = ['分组,标题,内容,快捷码,排序', ...Array.from({ length: 5001 }, (_, i) => `常用语,,行 ${i},,`)].join('\n');
  t.like((await upload(admin, 'scope=company&format=csv&mode=append', Buffer.from(tooMany))).body, { rejected: [{ row: 0, reason: 'too_many_rows' }] });
  const huge = await upload(admin, 'scope=company&format=csv&mode=append', Buffer.alloc(5 * 1024 * 1024 + 10, 'a'));
  t.is(huge.status, 413);
  t.is(huge.body.error.code, 'file_too_large');
  t.is((await upload(ann, 'scope=company&format=csv&mode=append', Buffer.from(csv))).status, 403);
  const badQuery = await upload(admin, 'scope=company&format=pdf&mode=append', Buffer.from(csv));
  t.is(badQuery.status, 400);
  t.deepEqual(
    badQuery.body.error.fields.map((f: any) => f.path),
    ['query.format'],
  );
});

test.serial('CHATSET-CANNEDIO-11: a personal import stops at the 500-entry limit and reports the rest', async (t) => {
  const rows = Array.from({ length: 510 }, (_, i) => `常用语,,个人 ${i},,${i + 1}`);
  const r = await upload(ann, 'scope=personal&format=csv&mode=replace', Buffer.from(['分组,标题,内容,快捷码,排序', ...rows].join('\n')));
  t.is(r.body.added, 500);
  t.is(r.body.rejected.length, 10);
  t.deepEqual(r.body.rejected[0], { row: 502, reason: 'too_many_entries', message: 'At most 500 entries in this list' });
  const exported = parseCsv((await download(ann, 'scope=personal&format=csv')).data.toString('utf8'));
  t.is(exported.length, 501);
  t.deepEqual(exported[500], ['常用语', '', '个人 499', '', '500']);
});
