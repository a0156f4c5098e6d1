import test from 'ava';
import { agentSocket, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, patchAgent, signIn } from './helpers/accounts.ts';

const OPERATOR = 'operator-token-for-tests-0123456789';
let k: TestKefu;
let admin: TestClient;
let alice: TestClient;
let bob: TestClient;
let op: TestClient;

test.before(async () => {
  k = await startTestServer({ KEFU_OPERATOR_TOKEN: OPERATOR, KEFU_FEEDBACK_EMAIL: 'ops@example.com' });
  admin = await k.login();
  const a = await addAgent(admin, 'alice');
  await patchAgent(admin, a.id, { email: 'alice@example.com' });
  await addAgent(admin, 'bob');
  alice = await signIn(k, 'alice');
  bob = await signIn(k, 'bob');
  op = k.client();
  op.bearer = OPERATOR;
});
test.after.always(() => k?.close());

const item = (overrides: Record<string, unknown> = {}) => ({
  type: 'problem',
  title: '访客列表不刷新',
  content: 'After a reconnect the visitor list stays empty until I reload.',
  contact: 'alice@example.com',
  diagnostics: { version: '0.1.0', browser: 'Chrome 124', screen: '1920x1080', language: 'zh-CN', page: '/workbench', errors: ['TypeError: x is undefined'] },
  ...overrides,
});

test.serial('FEEDBACK-SUBMIT-1: an agent submits; the item is stored as submitted with its number; bad input names the field', async (t) => {
  const r = await alice.post('/api/feedback', item());
  t.is(r.status, 201);
  t.true(r.body.id > 0);
  t.is(r.body.state, 'submitted');
  t.is(r.body.title, '访客列表不刷新');
  t.is(r.body.messages[0].content, item().content);
  t.is(r.body.diagnostics.browser, 'Chrome 124');
  const mail = await k.server.db('mail_outbox').where({ company_id: k.company.id, to: 'ops@example.com' }).first();
  t.regex(mail.subject, new RegExp(`#${r.body.id}\\] 访客列表不刷新`), 'FEEDBACK-DEST-2: also queued to the operator’s address');
  const bad = await alice.post('/api/feedback', item({ type: 'rant', title: '', content: 'x'.repeat(5001) }));
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.fields.map((f: any) => f.path).sort(), ['content', 'title', 'type']);
  const long = await alice.post('/api/feedback', item({ contact: 'c'.repeat(101) }));
  t.is(long.body.error.fields[0].path, 'contact');
});

test.serial('FEEDBACK-SUBMIT-1: at most 10 items per agent per day (rate_limited)', async (t) => {
  const before = (await bob.get('/api/feedback')).body.items.length;
  for (let i = before; i < 10; i++) t.is((await bob.post('/api/feedback', item({ title: `n${i}`, diagnostics: null }))).status, 201);
  const r = await bob.post('/api/feedback', item({ title: 'eleventh' }));
  t.is(r.status, 429);
  t.is(r.body.error.code, 'rate_limited');
  t.is((await alice.post('/api/feedback', item({ type: 'suggestion', title: '建议' }))).status, 201, 'other agents are unaffected');
});

test.serial('FEEDBACK-LIST-3: agents list their own items newest first; admins see every item of the company', async (t) => {
  const mine = (await alice.get('/api/feedback')).body.items;
  t.deepEqual(
    mine.map((i: any) => i.title),
    ['建议', '访客列表不刷新'],
  );
  t.true(mine.every((i: any) => i.submitter.agentId === 'alice'));
  const all = (await admin.get('/api/feedback')).body.items;
  t.is(all.length, 12);
  const other = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', undefined, other.publicId);
  t.deepEqual((await otherAdmin.get('/api/feedback')).body.items, []);
  t.is((await otherAdmin.get(`/api/feedback/${mine[0].id}`)).status, 404);
  t.is((await bob.get(`/api/feedback/${mine[0].id}`)).status, 404, 'another agent cannot read my item');
});

test.serial('FEEDBACK-OPERATOR-5 / FEEDBACK-DEST-2: the operator lists items of all companies by filter, reads, exports CSV', async (t) => {
  t.is((await k.client().get('/api/operator/feedback')).status, 401);
  const list = await op.get(`/api/operator/feedback?company=${k.company.publicId}&type=suggestion`);
  t.is(list.status, 200);
  t.deepEqual(
    list.body.items.map((i: any) => [i.title, i.companyId]),
    [['建议', k.company.publicId]],
  );
  t.is((await op.get('/api/operator/feedback?state=closed')).body.items.length, 0);
  t.is((await op.get('/api/operator/feedback?state=nonsense')).status, 400);
  const one = await op.get(`/api/operator/feedback/${list.body.items[0].id}`);
  t.is(one.body.messages.length, 1);
  const csv = await op.get(`/api/operator/feedback?format=csv&company=${k.company.publicId}&type=problem`);
  t.regex(csv.headers.get('content-type') ?? '', /text\/csv/);
  const lines = csv.text
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  t.is(lines[0], 'id,company,type,state,title,submitter,created_at,updated_at');
  t.true(lines.some((l: string) => l.includes('访客列表不刷新') && l.includes('alice')));
});

test.serial('FEEDBACK-THREAD-4: operator replies notify the submitter; follow-ups; close and reopen', async (t) => {
  const id = (await alice.get('/api/feedback')).body.items.find((i: any) => i.title === '访客列表不刷新').id;
  const socket = await agentSocket(k.url, alice);
  try {
    const pushed = next(socket, 'feedback.replied');
    const r = await op.post(`/api/operator/feedback/${id}/messages`, { content: '已修复,请更新到 0.1.1。' });
    t.is(r.status, 200);
    t.is(r.body.state, 'replied');
    t.deepEqual(await pushed, { itemId: id });
    const mail = await k.server.db('mail_outbox').where({ company_id: k.company.id, to: 'alice@example.com' }).first();
    t.regex(mail.body, /已修复/, 'and e-mailed to the submitter');
  } finally {
    socket.close();
  }
  const listed = (await alice.get('/api/feedback')).body.items.find((i: any) => i.id === id);
  t.is(listed.unreadReplies, 1);
  const opened = await alice.get(`/api/feedback/${id}`);
  t.deepEqual(
    opened.body.messages.map((m: any) => m.author),
    ['submitter', 'operator'],
  );
  t.is((await alice.get('/api/feedback')).body.items.find((i: any) => i.id === id).unreadReplies, 0, 'opening clears the badge');

  t.is((await alice.post(`/api/feedback/${id}/messages`, { content: '' })).body.error.fields[0].path, 'content');
  const follow = await alice.post(`/api/feedback/${id}/messages`, { content: 'Still happens on Firefox.' });
  t.is(follow.body.state, 'in_progress');
  const adminReply = await admin.post(`/api/feedback/${id}/messages`, { content: 'I am only the company admin' });
  t.is(adminReply.status, 403, 'without in-house mode, admins do not answer');

  t.is((await alice.post(`/api/feedback/${id}/close`)).body.state, 'closed');
  const closedReply = await op.post(`/api/operator/feedback/${id}/messages`, { content: 'late' });
  t.is(closedReply.status, 409);
  t.is(closedReply.body.error.code, 'feedback_closed');
  t.is((await alice.post(`/api/feedback/${id}/reopen`)).body.state, 'in_progress');
  await k.server
    .db('feedback_items')
    .where({ id })
    .update({ state: 'closed', closed_at: new Date(Date.now() - 31 * 86_400_000) });
  const late = await alice.post(`/api/feedback/${id}/reopen`);
  t.is(late.status, 409);
  t.is(late.body.error.code, 'reopen_expired');
  const state = await op.put(`/api/operator/feedback/${id}/state`, { state: 'in_progress' });
  t.is(state.body.state, 'in_progress');
});

test.serial('FEEDBACK-LOCAL-6: with KEFU_FEEDBACK_TO_ADMINS the company’s admins answer their own company’s items', async (t) => {
  const local = await startTestServer({ KEFU_FEEDBACK_TO_ADMINS: 'true' });
  try {
    const localAdmin = await local.login();
    await addAgent(localAdmin, 'carol');
    const carol = await signIn(local, 'carol');
    const id = (await carol.post('/api/feedback', item({ diagnostics: null }))).body.id;
    const list = await localAdmin.get('/api/feedback');
    t.true(list.body.adminsAnswer);
    t.false((await carol.get('/api/feedback')).body.adminsAnswer);
    const reply = await localAdmin.post(`/api/feedback/${id}/messages`, { content: '我们内部处理。' });
    t.is(reply.status, 200);
    t.is(reply.body.state, 'replied');
    t.is(reply.body.messages[1].author, 'admin');
    t.is((await carol.get('/api/feedback')).body.items[0].unreadReplies, 1);
    t.is((await localAdmin.put(`/api/feedback/${id}/state`, { state: 'closed' })).body.state, 'closed');
    t.is((await carol.put(`/api/feedback/${id}/state`, { state: 'submitted' })).status, 403);
  } finally {
    await local.close();
  }
});
