import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, AGENT_PASSWORD, loginBody, signIn } from './helpers/accounts.ts';
import { agentDbId, seedConversation } from './history-seed.ts';

/** Saved and recent searches, the REST API with a bearer token, running conversations (HISTORY-SAVED-15, HISTORY-API-14, HISTORY-ONGOING-13). */
const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

let k: TestKefu;
let admin: TestClient;
const agents: Record<string, number> = {};

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  agents.admin = await agentDbId(k, 'admin');
  agents.ann = (await addAgent(admin, 'ann')).id;
  agents.bob = (await addAgent(admin, 'bob')).id;
});
test.after.always(() => k?.close());

test.serial(`HISTORY-SAVED-15 named searches (20 at most), admins share read-only, the last 10 searches are recent (${driver})`, async (t) => {
  const ann = await signIn(k, 'ann');
  const mine = await ann.post('/api/history/searches', { name: '退款', filters: { keyword: '退款', evaluation: 'valid' } });
  t.is(mine.status, 200, mine.text);
  t.like(mine.body, { name: '退款', filters: { keyword: '退款', evaluation: 'valid' }, shared: false, readOnly: false });
  // Conditions are checked as a search would be; agents cannot share.
  const bad = await ann.post('/api/history/searches', { name: 'x', filters: { keyword: 'a' } });
  t.is(bad.status, 400);
  t.true(JSON.stringify(bad.body.error.fields).includes('keyword_too_short'), bad.text);
  t.is((await ann.post('/api/history/searches', { name: 'x', filters: {}, shared: true })).status, 403);

  const shared = await admin.post('/api/history/searches', { name: '投诉', filters: { topic: '投诉建议' }, shared: true });
  t.is(shared.status, 200, shared.text);
  const privateOne = await admin.post('/api/history/searches', { name: 'admin only', filters: { status: 'ended' } });
  const list = (await ann.get('/api/history/searches')).body;
  t.deepEqual(
    list.saved.map((s: any) => [s.name, s.readOnly]),
    [
      ['投诉', true],
      ['退款', false],
    ],
    "ann sees hers and the shared one, not the admin's private one",
  );
  t.is((await ann.put(`/api/history/searches/${shared.body.id}`, { name: 'mine now' })).status, 404, 'a shared search is read-only');
  t.is((await ann.del(`/api/history/searches/${shared.body.id}`)).status, 404);
  t.is((await ann.del(`/api/history/searches/${privateOne.body.id}`)).status, 404);
  t.like((await ann.put(`/api/history/searches/${mine.body.id}`, { name: '退款申请' })).body, { name: '退款申请' });

  for (let i = 2; i <= 20; i++) t.is((await ann.post('/api/history/searches', { name: `s${i}`, filters: { minMessages: String(i) } })).status, 200);
  const full = await ann.post('/api/history/searches', { name: 's21', filters: {} });
  t.is(full.status, 409);
  t.is(full.body.error.code, 'too_many_searches');
  t.is((await ann.del(`/api/history/searches/${mine.body.id}`)).status, 200);
  t.is((await ann.post('/api/history/searches', { name: 's21', filters: {} })).status, 200, 'room again after a delete');

  // 最近搜索: each new search (not a further page) moves to the top; repeats do not duplicate; 10 are kept.
  for (let i = 1; i <= 12; i++) t.is((await ann.get(`/api/history/conversations?minMessages=${i}&pageSize=50`)).status, 200);
  t.is((await ann.get('/api/history/conversations?minMessages=5&pageSize=20')).status, 200);
  // A further page is not a new search; a forged cursor is refused like any malformed one, before it reaches the database.
  const forged = await ann.get(`/api/history/conversations?minMessages=9&cursor=${Buffer.from('["1",1]').toString('base64url')}`);
  t.is(forged.status, 400);
  t.true(JSON.stringify(forged.body.error.fields).includes('invalid_cursor'), forged.text);
  const recent = (await ann.get('/api/history/searches')).body.recent.map((s: any) => s.filters);
  t.deepEqual(
    recent,
    [5, 12, 11, 10, 9, 8, 7, 6, 4, 3].map((n) => ({ minMessages: String(n) })),
  );
  t.deepEqual((await (await signIn(k, 'bob')).get('/api/history/searches')).body.recent, [], "recent searches are each agent's own");
});

test.serial(
  `HISTORY-API-14 HISTORY-ONGOING-13 the REST API with a bearer token: same filters, visibility and cursor pages; running conversations are marked and cannot be deleted (${driver})`,
  async (t) => {
    const ended: number[] = [];
    for (let i = 0; i < 22; i++) ended.push(await seedConversation(k, { agentId: agents.ann, topic: '售后服务', lines: [['visitor', `订单 ${i} 退款`]] }));
    const running = await seedConversation(k, { agentId: agents.ann, status: 'active', lines: [['visitor', '还在聊退款']] });
    const others = await seedConversation(k, { agentId: agents.bob, lines: [['visitor', '退款']] });

    const api = k.client();
    api.bearer = (await api.post('/api/auth/login', loginBody(k, 'ann', AGENT_PASSWORD, { client: 'api' }))).body.token;
    t.truthy(api.bearer);
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const r: any = await api.get(`/api/history/conversations?keyword=${encodeURIComponent('退款')}&pageSize=20${cursor ? `&cursor=${cursor}` : ''}`);
      t.is(r.status, 200, r.text);
      pages.push(r.body.items.map((x: any) => x.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    t.true(pages.length > 1, 'more than one page');
    const seen = pages.flat();
    const recent = (await api.get('/api/history/searches')).body.recent.map((s: any) => s.filters);
    t.deepEqual(recent[0], { keyword: '退款' }, 'paging and page size are not conditions');
    t.is(recent.filter((f: any) => f.keyword).length, 1, 'further pages are not new searches');
    t.deepEqual([...seen].sort(), [...ended, running].sort(), "ann's own conversations only, the same as in the console");
    t.false(seen.includes(others));

    const ongoing = await api.get('/api/history/conversations?status=ongoing');
    t.deepEqual(
      ongoing.body.items.map((x: any) => [x.id, x.status, x.endedAt]),
      [[running, 'active', null]],
    );
    t.deepEqual((await api.get('/api/history/conversations/count?status=ended')).body, { total: ended.length });
    const detail = await api.get(`/api/history/conversations/${running}`);
    t.is(detail.status, 200);
    t.is(detail.body.conversation.status, 'active');
    const del = await admin.post('/api/history/conversations/delete', { ids: [running] });
    t.is(del.status, 409);
    t.is(del.body.error.code, 'conversation_ongoing');
    t.is((await api.get(`/api/history/conversations/${others}`)).status, 404);
  },
);
