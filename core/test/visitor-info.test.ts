import test from 'ava';
import { agentSocket, call, next, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';

let k: TestKefu;
let admin: TestClient;
const PASSWORD = 'Pass-word-123';
const agents: Record<string, { id: number; api: TestClient }> = {};

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  for (const name of ['ann', 'bob']) {
    const r = await admin.post('/api/agents', { agentId: name, name, password: PASSWORD, mustChangePassword: false });
    agents[name] = { id: r.body.id, api: await k.login(name, PASSWORD) };
  }
});
test.after.always(() => k?.close());

/** A browsing visitor who filled in the pre-chat form, had one conversation with ann and left one message. */
async function servedByAnn() {
  const v = await visitorSocket(k.url, k.company.publicId);
  const db = k.server.db;
  const row = await db('visitors').where({ company_id: k.company.id, number: v.visitorNumber }).first('id');
  const visitorId = Number(row.id);
  const prechatAt = new Date().toISOString();
  await db('visitors')
    .where({ id: visitorId })
    .update({
      name: 'Li Lei',
      email: 'li@example.com',
      attributes: JSON.stringify({ prechat: { name: 'Li Lei', email: 'li@example.com', qq: '12345' }, prechatAt }),
    });
  await db('conversations').insert({ company_id: k.company.id, visitor_id: visitorId, status: 'ended', agent_id: agents.ann.id, ended_at: new Date() });
  await db('leave_messages').insert({
    company_id: k.company.id,
    visitor_id: visitorId,
    content: 'Please call me back',
    fields: JSON.stringify({ subject: 'Call' }),
  });
  return { ...v, visitorId, prechatAt };
}

test('WORKBENCH-VISITOR-8 the information names each value’s source, the other form answers, visit details and the counts of conversations and leave-messages', async (t) => {
  const v = await servedByAnn();
  try {
    const r = await agents.ann.api.get(`/api/visitors/${v.visitorId}/info`);
    t.is(r.status, 200, r.text);
    const by = Object.fromEntries(r.body.values.map((x: any) => [x.field, x]));
    t.is(by.name.value, 'Li Lei');
    t.deepEqual(by.name.source, { kind: 'form', by: null, at: v.prechatAt });
    t.is(by.email.source.kind, 'form');
    t.is(by.qq.value, '12345', 'another form answer');
    t.is(by.mobile, undefined, 'nothing given, nothing listed');
    t.is(r.body.number, v.visitorNumber);
    t.is(r.body.conversationCount, 1);
    t.is(r.body.leaveMessageCount, 1);
    t.true(r.body.canEdit, 'ann served the visitor');
    t.false((await agents.bob.api.get(`/api/visitors/${v.visitorId}/info`)).body.canEdit);
    t.is((await admin.get('/api/visitors/999999/info')).status, 404);
  } finally {
    v.socket.close();
  }
});

test('WORKBENCH-VISITOREDIT-9 agents who served the visitor and admins edit it, others get 403; values are labelled 客服填写 with author and time, reach consoles live and every change is kept', async (t) => {
  const v = await servedByAnn();
  const console = await agentSocket(k.url, admin);
  try {
    const refused = await agents.bob.api.patch(`/api/visitors/${v.visitorId}/info`, { note: 'not mine' });
    t.is(refused.status, 403);
    t.is(refused.body.error.code, 'forbidden');

    const bad = await agents.ann.api.patch(`/api/visitors/${v.visitorId}/info`, { mobile: '12ab', email: 'nope', name: 'x'.repeat(51), note: 'y'.repeat(501) });
    t.is(bad.status, 400);
    t.deepEqual(bad.body.error.fields.map((f: any) => f.path).sort(), ['email', 'mobile', 'name', 'note']);
    t.is((await agents.ann.api.patch(`/api/visitors/${v.visitorId}/info`, { landline: 'call me' })).status, 400);

    const pushed = next(console, 'visitor.infoChanged', (e) => e.visitorId === v.visitorId, 1000);
    const before = Date.now();
    const r = await agents.ann.api.patch(`/api/visitors/${v.visitorId}/info`, {
      mobile: '+86 138-0013-8000',
      landline: '010-6552 9988 转 123',
      note: 'Prefers e-mail',
    });
    t.is(r.status, 200, r.text);
    await pushed;
    t.log(`visitor.infoChanged after ${Date.now() - before} ms`);
    const by = Object.fromEntries(r.body.values.map((x: any) => [x.field, x]));
    t.is(by.mobile.value, '+8613800138000', 'spaces and hyphens removed');
    t.is(by.landline.value, '010-6552 9988 转 123');
    t.is(by.note.value, 'Prefers e-mail');
    t.is(by.mobile.source.kind, 'agent');
    t.is(by.mobile.source.by, 'ann');
    t.true(Date.now() - Date.parse(by.mobile.source.at) < 60_000);
    t.is(by.name.source.kind, 'form', 'untouched values keep their source');

    // An admin renames the visitor and clears the note; the live row carries the new name.
    const row = next(console, 'visitor.updated', (e) => e.visitor.id === v.visitorId, 1000);
    t.is((await admin.patch(`/api/visitors/${v.visitorId}/info`, { name: 'Han Meimei', note: null })).status, 200);
    t.is((await row).visitor.name, 'Han Meimei');

    const changes = (await agents.ann.api.get(`/api/visitors/${v.visitorId}/info/changes`)).body.items;
    const me = (await admin.get('/api/auth/me')).body.agent.nickname;
    t.deepEqual(
      changes.map((c: any) => [c.field, c.oldValue, c.newValue, c.agentName]),
      [
        ['note', 'Prefers e-mail', null, me],
        ['name', 'Li Lei', 'Han Meimei', me],
        ['note', null, 'Prefers e-mail', 'ann'],
        ['landline', null, '010-6552 9988 转 123', 'ann'],
        ['mobile', null, '+8613800138000', 'ann'],
      ],
    );
    // Saving the same value again changes nothing and records nothing.
    await admin.patch(`/api/visitors/${v.visitorId}/info`, { name: 'Han Meimei' });
    t.is((await admin.get(`/api/visitors/${v.visitorId}/info/changes`)).body.items.length, 5);
  } finally {
    console.close();
    v.socket.close();
  }
});

test('HISTORY-VISITOR-7 LEAVEMSG-VISITOR-15 the visitor profile gives the submitted information, the visible conversations and the visible leave-messages', async (t) => {
  const v = await servedByAnn();
  try {
    const mine = await agents.ann.api.get(`/api/visitors/${v.visitorId}/profile`);
    t.is(mine.status, 200, mine.text);
    t.is(mine.body.visitor.number, v.visitorNumber);
    t.is(mine.body.conversations.length, 1, 'ann served it');
    t.deepEqual(
      mine.body.leaveMessages.map((m: any) => [m.subject, m.content, m.status]),
      [['Call', 'Please call me back', 'unreplied']],
    );
    const other = (await agents.bob.api.get(`/api/visitors/${v.visitorId}/profile`)).body;
    t.is(other.conversations.length, 0, 'bob never served it and may not read all history');
    t.is(other.leaveMessages.length, 1, 'an unassigned leave-message without group is visible to all');
    t.is((await admin.get(`/api/visitors/${v.visitorId}/profile`)).body.conversations.length, 1);

    const elsewhere = await k.createCompany('Other');
    const stranger = await k.login('admin', elsewhere.adminPassword, elsewhere.publicId);
    t.is((await stranger.get(`/api/visitors/${v.visitorId}/profile`)).status, 404);
    t.is((await stranger.patch(`/api/visitors/${v.visitorId}/info`, { note: 'x' })).status, 404);
  } finally {
    v.socket.close();
  }
});

test('WORKBENCH-VISITOREDIT-9 a visitor’s edits never reach the visitor’s own socket', async (t) => {
  const v = await servedByAnn();
  let leaked = false;
  v.socket.on('visitor.infoChanged', () => (leaked = true));
  t.is((await admin.patch(`/api/visitors/${v.visitorId}/info`, { note: 'internal' })).status, 200);
  t.true((await call(v.socket, 'page.view', { url: 'https://shop.example.com/', title: 'Home' })).ok);
  t.false(leaked);
  v.socket.close();
});
