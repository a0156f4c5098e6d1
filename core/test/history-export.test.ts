import test from 'ava';
import ExcelJS from 'exceljs';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { EXPORT_LIMITS } from '../src/history/history-export.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { seedConversation } from './history-seed.ts';

const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

let k: TestKefu;
let admin: TestClient;
let exporter: TestClient;
const ids: Record<string, number> = {};

const download = async (c: TestClient, qs: string) => {
  const res = await fetch(`${k.url}/api/history/export?${qs}`, { headers: { cookie: c.cookie, origin: k.url } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
};

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  const ann = await addAgent(admin, 'ann', { permissions: ['history.export'] });
  await addAgent(admin, 'bob');
  exporter = await signIn(k, 'ann');
  ids.formula = await seedConversation(k, {
    agentId: ann.id,
    topic: '售后',
    valid: true,
    note: '=HYPERLINK("http://evil.example","退款")',
    visitor: { name: '张三', email: 'zhang@example.com', phone: '13800138000' },
    lines: [
      ['visitor', '我想申请退款'],
      ['agent', '@SUM(1+1)'],
      ['visitor', '<script>alert("x")</script> 退款呢?'],
    ],
  });
  ids.second = await seedConversation(k, { agentId: ann.id, visitor: { name: '李四' }, lines: [['visitor', '发票, "抬头" 要改']] });
  ids.running = await seedConversation(k, { agentId: ann.id, status: 'active', lines: [['visitor', '还在聊 退款']] });
  ids.notMine = await seedConversation(k, { lines: [['visitor', '别人的退款']] });
});
test.after.always(() => k?.close());

test.serial(`HISTORY-EXPORT-10 CSV is streamed with a BOM, one row per visible ended conversation, formula-safe (${driver})`, async (t) => {
  const r = await download(exporter, 'format=csv&keyword=%E9%80%80%E6%AC%BE');
  t.is(r.status, 200);
  t.regex(r.headers.get('content-type')!, /^text\/csv/);
  t.regex(r.headers.get('content-disposition')!, /attachment; filename="kefu-conversations-list-\d{8}\.csv"/);
  t.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM so Excel reads Chinese');
  const lines = r.bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
  t.is(lines[0], '对话ID,开始时间,结束时间,访客ID,访客,客服,分组,渠道,主题,评估,时长(秒),消息数,地区,发起方式,结束原因,E_mail,手机,IP,备注');
  t.is(lines.length, 2, 'the running and the invisible conversations are not exported');
  t.true(lines[1].startsWith(`${ids.formula},`));
  t.true(lines[1].includes(',张三,ann,,web,售后,有效,600,3,'));
  t.true(lines[1].endsWith(`,"'=HYPERLINK(""http://evil.example"",""退款"")"`), 'the formula is written as text');
});

test.serial(`HISTORY-EXPORT-10 CSV of messages: one row per message, quoted where needed (${driver})`, async (t) => {
  const r = await download(exporter, 'format=csv&content=messages');
  const lines = r.bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
  t.is(lines[0], '对话ID,时间,发送方类型,发送方,消息类型,内容');
  const rows = lines.slice(1).map((l) => l.split(',').slice(2).join(','));
  t.deepEqual(rows, [
    'visitor,visitor,text,"发票, ""抬头"" 要改"',
    'visitor,visitor,text,我想申请退款',
    "agent,agent,text,'@SUM(1+1)",
    'visitor,visitor,text,"<script>alert(""x"")</script> 退款呢?"',
  ]);
});

test.serial(`HISTORY-EXPORT-10 XLSX reads back in exceljs with the same cells, formula-safe (${driver})`, async (t) => {
  const list = await download(exporter, 'format=xlsx&keyword=%E9%80%80%E6%AC%BE');
  t.is(list.status, 200);
  t.is(list.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(list.bytes as never);
  const sheet = book.getWorksheet('conversations')!;
  t.is(sheet.rowCount, 2);
  t.is(sheet.getRow(1).getCell(5).value, '访客');
  const row = sheet.getRow(2);
  t.is(row.getCell(1).value, String(ids.formula));
  t.is(row.getCell(5).value, '张三');
  t.is(row.getCell(19).value, `'=HYPERLINK("http://evil.example","退款")`);
  t.is(row.getCell(19).type, ExcelJS.ValueType.String, 'a string cell, never a formula');

  const messages = await download(exporter, 'format=xlsx&content=messages&keyword=%E9%80%80%E6%AC%BE');
  const book2 = new ExcelJS.Workbook();
  await book2.xlsx.load(messages.bytes as never);
  const cells = book2.getWorksheet('messages')!.getColumn(6).values.filter(Boolean);
  t.deepEqual(cells, ['内容', '我想申请退款', "'@SUM(1+1)", '<script>alert("x")</script> 退款呢?']);
});

test.serial(`HISTORY-EXPORT-10 HTML holds each conversation's header and transcript, escaped (${driver})`, async (t) => {
  const r = await download(exporter, 'format=html');
  t.is(r.status, 200);
  t.regex(r.headers.get('content-type')!, /^text\/html/);
  const html = r.bytes.toString('utf8');
  t.true(html.startsWith('<!doctype html>'));
  t.false(html.includes('<script>'), 'visitor text is never markup');
  t.true(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 退款呢?'));
  t.true(html.includes(`<section id="c${ids.formula}">`) && html.includes(`<section id="c${ids.second}">`));
  t.false(html.includes(`id="c${ids.running}"`) || html.includes(`id="c${ids.notMine}"`));
  t.true(html.indexOf('我想申请退款') < html.indexOf('@SUM(1+1)'), 'messages in order');
});

test.serial(`HISTORY-EXPORT-10 needs history.export, respects the limits and is audited (${driver})`, async (t) => {
  const bob = await signIn(k, 'bob');
  const denied = await download(bob, 'format=csv');
  t.is(denied.status, 403);
  t.is(JSON.parse(denied.bytes.toString()).error.permission, 'history.export');
  const bad = await download(exporter, 'format=pdf');
  t.is(bad.status, 400);
  t.is(JSON.parse(bad.bytes.toString()).error.fields[0].path, 'query.format');

  const saved = EXPORT_LIMITS.html;
  EXPORT_LIMITS.html = 1;
  try {
    const big = await download(exporter, 'format=html');
    t.is(big.status, 409);
    t.like(JSON.parse(big.bytes.toString()).error, { code: 'export_too_large', count: 2, limit: 1 });
  } finally {
    EXPORT_LIMITS.html = saved;
  }
  t.is((await download(exporter, 'format=csv&topic=%E5%94%AE%E5%90%8E')).status, 200);
  const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'history.export' }).orderBy('id', 'desc').first();
  t.like(audit.new_value, { format: 'csv', content: 'list', count: 1, filters: { topic: '售后', status: 'ended' } });
});
