import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { SEARCH_TUNING } from '../src/history/history-service.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentDbId, seedConversation } from './history-seed.ts';

const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

let k: TestKefu;
let admin: TestClient;
const ids: Record<string, number> = {};
const agents: Record<string, number> = {};
let salesGroup: number;

const search = (c: TestClient, params: Record<string, string | number | string[]> = {}) => {
  const qs = new URLSearchParams();
  for (const [key, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) qs.append(key, String(one));
  return c.get(`/api/history/conversations?${qs}`);
};
const found = async (c: TestClient, params: Record<string, string | number | string[]>) => {
  const r = await search(c, params);
  if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
  return (r.body.items as { id: number }[]).map((i) => i.id).sort((a, b) => a - b);
};
const sorted = (...list: number[]) => [...list].sort((a, b) => a - b);

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  agents.admin = await agentDbId(k, 'admin');
  agents.ann = (await addAgent(admin, 'ann')).id;
  agents.bob = (await addAgent(admin, 'bob')).id;
  agents.viewer = (await addAgent(admin, 'viewer', { permissions: ['history.viewAll'] })).id;
  salesGroup = (await admin.post('/api/groups', { name: 'Sales', memberIds: [agents.bob] })).body.id;

  ids.refund = await seedConversation(k, {
    agentId: agents.ann,
    topic: '售后',
    valid: true,
    note: '客户要退款',
    visitor: { name: '张三', region: '中国 广东 深圳', email: 'zhang@example.com', phone: '138-0013-8000' },
    lines: [
      ['visitor', '你好，我想申请退款了'],
      ['agent', '好的，请提供订单号'],
      ['system', '对话已结束 发票', 'system'],
    ],
  });
  ids.phone = await seedConversation(k, {
    agentId: agents.bob,
    groupId: salesGroup,
    valid: false,
    channel: 'wechat',
    visitor: { name: 'Alice Smith', region: 'United States' },
    lines: [
      ['visitor', 'iphone15坏了'],
      ['agent', "Sorry, it's in C:\\temp: a REFUND is possible"],
      ['visitor', null, 'file', { name: '发票扫描.pdf' }],
    ],
  });
  ids.invoice = await seedConversation(k, {
    agentId: agents.bob,
    status: 'active',
    lines: [
      ['visitor', '请开发票'],
      ['agent', '悄悄话 退款 记录', 'whisper'],
    ],
  });
  // Ann served it first, then transferred it to Bob.
  ids.transferred = await seedConversation(k, { agentId: agents.bob, lines: [['visitor', 'Ｈｅｌｌｏ　ＷＯＲＬＤ １２３']] });
  await k.server.db('transfers').insert({
    company_id: k.company.id,
    conversation_id: ids.transferred,
    from_agent_id: agents.ann,
    to_agent_id: agents.bob,
    answered_by: agents.bob,
    status: 'accepted',
    responded_at: new Date(),
  });
  ids.old = await seedConversation(k, { agentId: agents.ann, daysAgo: 20, lines: [['visitor', '上个月的退款']] });
});
test.after.always(() => k?.close());

test(`HISTORY-KEYWORD-2 a two-character Chinese word is found inside longer text, without word segmentation (${driver})`, async (t) => {
  t.deepEqual(
    await found(admin, { keyword: '退款' }),
    sorted(ids.refund, ids.invoice),
    'the visitor message and the whisper match; the old one is outside the range',
  );
  t.deepEqual(await found(admin, { keyword: '款了' }), [ids.refund], 'any substring, not only dictionary words');
  t.deepEqual(await found(admin, { keyword: '发票' }), sorted(ids.phone, ids.invoice), 'file names count, system texts do not');
  t.deepEqual(await found(admin, { keyword: '退货' }), []);
});

test(`HISTORY-KEYWORD-2 English is matched case- and width-insensitively; every term must occur in the conversation (${driver})`, async (t) => {
  t.deepEqual(await found(admin, { keyword: 'iPhone15' }), [ids.phone]);
  t.deepEqual(await found(admin, { keyword: 'IPHONE1' }), [ids.phone], 'a substring of a word');
  t.deepEqual(await found(admin, { keyword: 'refund' }), [ids.phone]);
  t.deepEqual(await found(admin, { keyword: 'hello world' }), [ids.transferred], 'full-width Ｈｅｌｌｏ and the ideographic space fold');
  t.deepEqual(await found(admin, { keyword: 'ｉｐｈｏｎｅ 发票' }), [ids.phone], 'two terms in two different messages');
  t.deepEqual(await found(admin, { keyword: 'iphone 退款' }), [], 'both terms must occur');
  t.deepEqual(await found(admin, { keyword: 'iphone 退货' }), [], 'a term found in no message at all matches nothing');
  t.deepEqual((await admin.get(`/api/history/conversations/count?keyword=${encodeURIComponent('iphone 退货')}`)).body, { total: 0 });
  t.deepEqual((await admin.get(`/api/history/conversations/count?keyword=${encodeURIComponent('iphone 发票')}`)).body, { total: 1 });
  t.deepEqual(await found(admin, { keyword: 'refund', keywordIn: 'visitor' }), [], '只搜访客消息');
  t.deepEqual(await found(admin, { keyword: 'refund', keywordIn: 'agent' }), [ids.phone], '只搜客服消息');
  t.deepEqual(await found(admin, { keyword: 'lo wo' }), [ids.transferred]);
  t.deepEqual(await found(admin, { keyword: 'lowo' }), [], 'a match never spans a space');
  t.deepEqual(await found(admin, { keyword: "IT'S c:\\temp" }), [ids.phone], 'quotes and backslashes are text like any other');
});

test(`HISTORY-LIST-4 the preview shows the first matching message with the terms to highlight (${driver})`, async (t) => {
  const r = await search(admin, { keyword: 'IPHONE' });
  const [row] = r.body.items;
  t.deepEqual(row.preview, { text: 'iphone15坏了', highlights: [{ start: 0, length: 6 }] });
  t.like(row, { channel: 'wechat', evaluation: 'invalid', group: { id: salesGroup, name: 'Sales' }, messageCount: 3, durationSeconds: 600, locked: false });
  const plain = await search(admin, { conversationId: ids.refund });
  t.deepEqual(plain.body.items[0].preview, { text: '你好，我想申请退款了', highlights: [] }, 'without a keyword: the visitor first message');
});

test(`HISTORY-SEARCH-1 conditions combine with AND (${driver})`, async (t) => {
  t.deepEqual(await found(admin, {}), sorted(ids.refund, ids.phone, ids.invoice, ids.transferred), 'default: the last 7 days');
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  t.true((await found(admin, { from: monthAgo, to: today })).includes(ids.old));
  t.deepEqual(await found(admin, { agentId: agents.ann }), sorted(ids.refund, ids.transferred), 'any agent who served part of it, transfers included');
  t.deepEqual(await found(admin, { agentId: [String(agents.ann), String(agents.bob)] }), sorted(ids.refund, ids.phone, ids.invoice, ids.transferred));
  t.deepEqual(await found(admin, { groupId: salesGroup }), [ids.phone]);
  t.deepEqual(await found(admin, { visitorName: 'smith' }), [ids.phone]);
  t.deepEqual(await found(admin, { mobile: '13800138000' }), [ids.refund], 'mobiles compare by digits');
  t.deepEqual(await found(admin, { email: 'ZHANG@example.com' }), [ids.refund]);
  t.deepEqual(await found(admin, { region: '广东' }), [ids.refund], 'region at any level');
  t.deepEqual(await found(admin, { topic: '售后' }), [ids.refund]);
  t.deepEqual(await found(admin, { noTopic: 'true', evaluation: 'invalid' }), [ids.phone]);
  t.deepEqual(await found(admin, { evaluation: 'valid', note: '退款' }), [ids.refund]);
  t.deepEqual(await found(admin, { evaluation: 'unevaluated' }), sorted(ids.invoice, ids.transferred));
  t.deepEqual(await found(admin, { status: 'ongoing' }), [ids.invoice]);
  t.deepEqual(await found(admin, { channel: 'wechat', status: 'ended' }), [ids.phone]);
  t.deepEqual(await found(admin, { hasFiles: 'true' }), [ids.phone]);
  t.deepEqual(await found(admin, { minMessages: 3, maxMessages: 3 }), sorted(ids.refund, ids.phone));
  t.deepEqual(await found(admin, { minDuration: 60 }), sorted(ids.refund, ids.phone, ids.transferred), 'running conversations have no duration yet');
  t.deepEqual(await found(admin, { conversationId: ids.old }), [ids.old], 'a conversation ID alone searches all time');
  const row = (await search(admin, { conversationId: ids.transferred })).body.items[0];
  t.deepEqual(
    row.agents.map((a: any) => a.nickname),
    ['ann', 'bob'],
    'the transfer chain A → B',
  );
});

test(`HISTORY-LIST-4 keyset pages of 20 with a separate exact total (${driver})`, async (t) => {
  const c2 = await k.createCompany('Paging Co');
  for (let i = 0; i < 23; i++) await seedConversation(k, { companyId: c2.id, lines: [['visitor', `第${i}个退款`]] });
  const other = await k.login('admin', undefined, c2.publicId);
  const first = await search(other, { keyword: '退款' });
  t.is(first.body.items.length, 20);
  t.truthy(first.body.nextCursor);
  const second = await search(other, { keyword: '退款', cursor: first.body.nextCursor });
  t.is(second.body.items.length, 3);
  t.is(second.body.nextCursor, null);
  const all = [...first.body.items, ...second.body.items].map((i: any) => i.id);
  t.is(new Set(all).size, 23, 'no row twice, none skipped');
  t.deepEqual(
    all,
    [...all].sort((a, b) => b - a),
    'newest first',
  );
  t.deepEqual((await other.get('/api/history/conversations/count?keyword=%E9%80%80%E6%AC%BE')).body, { total: 23 });
  const asc = await search(other, { sort: 'messages', order: 'asc', pageSize: '50' });
  t.is(asc.body.items.length, 23);
});

test.serial(`HISTORY-PERF-3 pages are the same whether the keyword is checked row by row or through the index (${driver})`, async (t) => {
  const c3 = await k.createCompany('Probe Co');
  for (let i = 0; i < 30; i++) await seedConversation(k, { companyId: c3.id, lines: [['visitor', i % 3 ? `普通消息${i}` : `第${i}个发票`]] });
  const other = await k.login('admin', undefined, c3.publicId);
  const pages = async (params: Record<string, string>) => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await search(other, { ...params, ...(cursor ? { cursor } : {}) });
      seen.push(...r.body.items.map((i: any) => i.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    return seen;
  };
  const query = { keyword: '发票', pageSize: '20' };
  const byIndex = await pages(query);
  t.is(byIndex.length, 10);
  const saved = SEARCH_TUNING.probe;
  try {
    for (const probe of [1, 4, 7]) {
      SEARCH_TUNING.probe = probe;
      t.deepEqual(await pages(query), byIndex, `probe ${probe}`);
      t.deepEqual(await pages({ ...query, sort: 'messages', order: 'asc' }), [...byIndex].reverse(), `probe ${probe}, ascending`);
    }
  } finally {
    SEARCH_TUNING.probe = saved;
  }
});

test(`HISTORY-VISIBILITY-5 an agent without history.viewAll sees only conversations they served (${driver})`, async (t) => {
  const ann = await signIn(k, 'ann');
  t.deepEqual(await found(ann, {}), sorted(ids.refund, ids.transferred), 'served, or transferred away');
  t.deepEqual(await found(ann, { keyword: '发票' }), []);
  t.deepEqual((await ann.get('/api/history/conversations/count')).body, { total: 2 }, 'never counted');
  t.like(await ann.get(`/api/history/conversations/${ids.phone}`), { status: 404, body: { error: { code: 'not_found' } } });
  const viewer = await signIn(k, 'viewer');
  t.deepEqual(await found(viewer, { keyword: '发票' }), sorted(ids.phone, ids.invoice), 'history.viewAll sees every conversation');
});

test(`HISTORY-DETAIL-6 the transcript lists every message in order, whispers included for agents (${driver})`, async (t) => {
  const r = await admin.get(`/api/history/conversations/${ids.invoice}`);
  t.is(r.status, 200);
  t.is(r.body.conversation.status, 'active');
  t.deepEqual(
    r.body.messages.map((m: any) => [m.seq, m.kind, m.text]),
    [
      [1, 'text', '请开发票'],
      [2, 'whisper', '悄悄话 退款 记录'],
    ],
  );
});

test(`SPEC company scoping: company B cannot search or open company A's conversations (${driver})`, async (t) => {
  const b = await k.createCompany('Other Co');
  const other = await k.login('admin', undefined, b.publicId);
  t.deepEqual(await found(other, { keyword: '退款' }), []);
  t.deepEqual((await other.get(`/api/history/conversations/count?conversationId=${ids.refund}`)).body, { total: 0 });
  t.like(await other.get(`/api/history/conversations/${ids.refund}`), { status: 404, body: { error: { code: 'not_found' } } });
});

test(`HISTORY-SEARCH-1 HISTORY-KEYWORD-2 bad conditions answer 400 with the field (${driver})`, async (t) => {
  const field = async (params: Record<string, string>) => {
    const r = await search(admin, params);
    t.is(r.status, 400, JSON.stringify(params));
    t.is(r.body.error.code, 'validation_failed');
    return r.body.error.fields.map((f: any) => [f.path, f.code]);
  };
  t.deepEqual(await field({ from: '2025-01-01', to: '2026-01-03' }), [['query.to', 'range_too_long']]);
  t.deepEqual(await field({ from: '2026-02-01', to: '2026-01-03' }), [['query.from', 'range_reversed']]);
  t.deepEqual(await field({ from: '2026-02-30' }), [['query.from', 'invalid_date']]);
  t.deepEqual(await field({ keyword: '退' }), [['query.keyword', 'keyword_too_short']]);
  t.deepEqual(await field({ keyword: '退款 a' }), [['query.keyword', 'keyword_too_short']]);
  t.deepEqual(await field({ keyword: 'aa bb cc dd ee ff' }), [['query.keyword', 'keyword_too_many_terms']]);
  t.deepEqual(await field({ keyword: 'x'.repeat(51) }), [['query.keyword', 'keyword_too_long']]);
  t.deepEqual(await field({ pageSize: '30' }), [['query.pageSize', 'invalid_value']]);
  t.deepEqual(await field({ agentId: 'ann' }), [['query.agentId.0', 'invalid_format']]);
  t.deepEqual(await field({ evaluation: 'great' }), [['query.evaluation', 'invalid_value']]);
  t.deepEqual(await field({ colour: 'red' }), [['query.colour', 'unknown_field']]);
  t.deepEqual(await field({ cursor: 'bm90IGEgY3Vyc29y' }), [['query.cursor', 'invalid_cursor']]);
  t.deepEqual(await found(admin, { keyword: "'); drop \\table messages; --" }), [], 'quotes and backslashes are only searched for');
});

test(`HISTORY-LOCK-9 the editable window marks older conversations locked and is a company setting (${driver})`, async (t) => {
  t.deepEqual((await admin.get('/api/history/settings')).body, { editableDays: 365 });
  t.like(await admin.put('/api/history/settings', { editableDays: 10 }), { status: 400, body: { error: { fields: [{ path: 'editableDays' }] } } });
  t.like(await (await signIn(k, 'ann')).put('/api/history/settings', { editableDays: 30 }), { status: 403 });
  t.deepEqual((await admin.put('/api/history/settings', { editableDays: 30 })).body, { editableDays: 30 });
  const monthAgo = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  const veryOld = await seedConversation(k, { daysAgo: 45, lines: [['visitor', '很久以前的退款']] });
  const r = await search(admin, { from: monthAgo, keyword: '退款' });
  const byId = new Map(r.body.items.map((i: any) => [i.id, i]));
  t.true((byId.get(veryOld) as any).locked, 'ended 45 days ago, window 30 days');
  t.false((byId.get(ids.old) as any).locked, 'ended 20 days ago');
  await admin.put('/api/history/settings', { editableDays: 365 });
});
