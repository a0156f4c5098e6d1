// Knowledge-base administration: similar entries, duplicates, import/export, per-company enablement.
import test from 'ava';
import { clearEntries, enableRobot, loadKb, setup } from './helpers.ts';

test.serial('ROBOT-SIMILAR-6 ROBOT-PHRASING-5 similar entries listed before saving; exact duplicates refused; answers sanitised', async (t) => {
  const { k, admin } = await setup();
  t.teardown(() => k.close());
  await clearEntries(admin);
  const ids = await loadKb(admin);
  const sim = await admin.get(`/api/p/robot/entries/similar?q=${encodeURIComponent('退款多长时间能到账')}`);
  t.is(sim.status, 200);
  t.is(sim.body.similar[0].id, ids.get(15));
  t.true(sim.body.similar.every((s: any) => s.confidence >= 0.5));
  const post = await admin.post('/api/p/robot/entries/similar', { texts: ['how can I cancel an order', '取消订单'] });
  t.is(post.body.similar[0].id, ids.get(20));
  t.deepEqual((await admin.get(`/api/p/robot/entries/similar?q=${encodeURIComponent('火星移民签证')}`)).body.similar, []);

  const dup = await admin.post('/api/p/robot/entries', { question: '怎么申请退款？', answer: 'x' });
  t.is(dup.status, 409);
  t.is(dup.body.error.code, 'robot_duplicate_question');
  const rep = await admin.post('/api/p/robot/entries', { question: '新问题', phrasings: ['另一个', '另一个!'], answer: 'x' });
  t.is(rep.body.error.code, 'validation_failed');
  const ok = await admin.post('/api/p/robot/entries', {
    question: '怎么联系售后',
    answer: '<p onclick="x()">请<b>点击</b><a href="javascript:alert(1)">这里</a><a href="https://example.com">官网</a><script>alert(1)</script></p>',
  });
  t.is(ok.status, 201);
  t.is(
    ok.body.answer,
    '<p>请<b>点击</b><a target="_blank" rel="noopener noreferrer">这里</a><a href="https://example.com" target="_blank" rel="noopener noreferrer">官网</a></p>',
  );
  const ask = await admin.post('/api/p/robot/ask', { text: '怎么联系售后' });
  t.is(ask.body.entry.id, ok.body.id, 'a new entry answers at once');
  t.is((await admin.put(`/api/p/robot/entries/${ok.body.id}`, { enabled: false })).status, 200);
  t.not((await admin.post('/api/p/robot/ask', { text: '怎么联系售后' })).body.entry?.id, ok.body.id, 'a disabled entry no longer answers');
});

test.serial(
  'ROBOT-IO-20 export → import round trip (CSV and XLSX); bad rows reported with field-level reasons, good rows kept; formulas stay text',
  async (t) => {
    const { k, admin } = await setup();
    t.teardown(() => k.close());
    await clearEntries(admin);
    await loadKb(admin);
    await admin.post('/api/p/robot/entries', { question: '=1+1 是什么', phrasings: ['@sum'], answer: '-2', keywords: ['+x'] });
    const before = (await admin.get('/api/p/robot/entries?limit=200')).body.entries;
    const download = async (format: string) => {
      const r = await fetch(`${k.url}/api/p/robot/export?format=${format}`, { headers: { cookie: admin.cookie } });
      t.is(r.status, 200);
      return Buffer.from(await r.arrayBuffer());
    };
    const csv = await download('csv');
    t.true(csv.toString('utf8').includes("'=1+1 是什么"), 'formula-like cell written as text');
    const xlsx = await download('xlsx');

    for (const [format, data] of [
      ['csv', csv],
      ['xlsx', xlsx],
    ] as const) {
      await clearEntries(admin);
      const r = await admin.post('/api/p/robot/import', { format, data: data.toString('base64'), mode: 'add' });
      t.is(r.status, 200, r.text);
      t.is(r.body.created, before.length, `${format}: every row back`);
      t.deepEqual(r.body.rejected, []);
      const after = (await admin.get('/api/p/robot/entries?limit=200')).body.entries;
      const shape = (l: any[]) =>
        l.map((e) => [e.question, e.phrasings, e.answer, e.keywords, e.language, e.enabled]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      t.deepEqual(shape(after), shape(before), `${format}: unchanged`);
    }
    const again = await admin.post('/api/p/robot/import', { format: 'xlsx', data: xlsx.toString('base64'), mode: 'add' });
    t.is(again.body.skipped, before.length, 'add-only skips existing questions');

    const bad =
      '分类,问题,其他问法,答案,相关词,语言,启用\n新类/子类,好问题,,好答案,,all,是\n,,,没有问题,,all,是\n,没有答案,,,,all,是\n,怎么申请退款,,重复的,,all,是\n,又一个问题,甲|甲！,答,,all,是\n,第三个问题,,答,,klingon,是\n';
    const r = await admin.post('/api/p/robot/import', { format: 'csv', data: Buffer.from(bad).toString('base64'), mode: 'add' });
    t.is(r.body.created, 1);
    t.deepEqual(
      r.body.rejected.map((x: any) => [x.row, x.reason]),
      [
        [3, 'question_required'],
        [4, 'answer_required'],
        [6, 'duplicate_phrasing'],
        [7, 'invalid_language'],
      ],
    );
    t.is(r.body.skipped, 1);
    const cats = (await admin.get('/api/p/robot/categories')).body.categories;
    const parent = cats.find((c: any) => c.name === '新类');
    t.truthy(
      cats.find((c: any) => c.name === '子类' && c.parentId === parent.id),
      'category path created',
    );
  },
);

test.serial('ROBOT-ENABLE-1 per-company enablement: another company gets plugin_disabled; 寒暄库 seeded on install', async (t) => {
  const { k, admin } = await setup();
  t.teardown(() => k.close());
  const cats = (await admin.get('/api/p/robot/categories')).body.categories;
  t.truthy(cats.find((c: any) => c.name === '寒暄库' && c.kind === 'smalltalk'));
  t.is((await admin.post('/api/p/robot/ask', { text: '你好' })).body.type, 'answer', 'small talk answers out of the box');
  const other = await k.createCompany('Other');
  const b = await k.login('admin', other.adminPassword, other.publicId);
  const r = await b.get('/api/p/robot/search?q=退款');
  t.is(r.status, 404);
  t.is(r.body.error.code, 'plugin_disabled');
  await enableRobot(b);
  t.is((await b.get('/api/p/robot/search?q=你好')).status, 200);
  t.is((await b.get('/api/p/robot/search?q=你好')).body.results[0].question, '你好', 'its own seed, not company A’s entries');
  t.is((await admin.post('/api/plugins/robot/disable')).status, 200);
  t.is((await admin.get('/api/p/robot/search?q=你好')).body.error.code, 'plugin_disabled');
  t.is((await b.get('/api/p/robot/search?q=你好')).status, 200, 'company B unaffected');
  const del = await admin.post('/api/plugins/robot/enable', {});
  t.is(del.status, 200);
  const small = (await admin.get('/api/p/robot/categories')).body.categories.find((c: any) => c.kind === 'smalltalk');
  t.is((await admin.del(`/api/p/robot/categories/${small.id}`)).body.error.code, 'category_protected');
});
