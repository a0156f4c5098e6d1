import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';
import { pdfBytes, pngBytes, upload } from './helpers/uploads.ts';

/** Sending common links and files into a chat, and conversation topics (SPEC WORKBENCH-LINKS-4, WORKBENCH-FILES-5, CHATSET-FILES-13, CHATSET-TOPICS-4). */
let k: TestKefu;
let admin: TestClient;
let ann: TestClient;
let agent: Socket;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  await addAgent(admin, 'ann');
  ann = await signIn(k, 'ann');
  agent = await agentSocket(k.url, admin);
  await call(agent, 'presence.set', { status: 'online' });
});
test.after.always(async () => {
  agent?.close();
  await k?.close();
});

/** A visitor whose chat the admin accepted. */
async function chat() {
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  const acc = await call(agent, 'conversation.accept', { conversationId: req.conversation.id });
  if (!acc.ok) throw new Error(JSON.stringify(acc));
  return { v, conversationId: acc.conversation.id as number };
}

const uploadCommon = async (c: TestClient, bytes: Buffer, name: string) =>
  (await upload(k.url, '/api/files', { file: { bytes, name } }, c)).body.file.key as string;

test.serial('WORKBENCH-LINKS-4: double-clicking a link sends it to the visitor as a link message', async (t) => {
  const link = await admin.post('/api/agent-tools/links', { scope: 'company', title: '价格表', url: 'https://example.com/prices?a=1' });
  const { v, conversationId } = await chat();
  const seen = next(v.socket, 'message', (m) => m.message.kind === 'link');
  const r = await admin.post(`/api/agent-tools/links/${link.body.id}/send`, { conversationId, clientId: 'link-send-0001' });
  t.is(r.status, 201);
  const got = (await seen).message;
  t.like(got, { kind: 'link', senderKind: 'agent', payload: { title: '价格表', url: 'https://example.com/prices?a=1' } });
  t.true(got.text.includes('https://example.com/prices?a=1'));
  const again = await admin.post(`/api/agent-tools/links/${link.body.id}/send`, { conversationId, clientId: 'link-send-0001' });
  t.is(again.body.message.id, r.body.message.id, 'a retried send is stored once');
  // Ann does not serve this conversation.
  t.is((await ann.post(`/api/agent-tools/links/${link.body.id}/send`, { conversationId })).status, 404);
  v.socket.close();
});

test.serial('WORKBENCH-FILES-5: a common file is sent without uploading again; the visitor can open it', async (t) => {
  const key = await uploadCommon(ann, pdfBytes(), 'manual.pdf');
  const entry = await ann.post('/api/agent-tools/files', { scope: 'personal', fileKey: key });
  t.is(entry.status, 201);
  t.like(entry.body, { scope: 'personal', title: 'manual.pdf', file: { name: 'manual.pdf', mime: 'application/pdf', kind: 'file' } });
  t.like((await admin.post('/api/agent-tools/files', { scope: 'personal', fileKey: 'x'.repeat(32) })).body.error, { code: 'file_not_found' });

  const shared = await admin.post('/api/agent-tools/files', {
    scope: 'company',
    title: 'Logo',
    fileKey: await uploadCommon(admin, await pngBytes(64, 64), 'logo.png'),
  });
  t.like(shared.body, { title: 'Logo', file: { kind: 'image' } });
  const filesBefore = Number((await k.server.db('files').count('* as n').first())!.n);

  const { v, conversationId } = await chat();
  const seen = next(v.socket, 'message', (m) => m.message.kind === 'image');
  const sent = await admin.post(`/api/agent-tools/files/${shared.body.id}/send`, { conversationId });
  t.is(sent.status, 201);
  const msg = (await seen).message;
  t.like(msg, { kind: 'image', payload: { name: 'logo.png', status: 'available' } });
  t.not(msg.payload.fileKey, shared.body.file.key, 'the message has its own copy');
  t.is(Number((await k.server.db('files').count('* as n').first())!.n), filesBefore + 1);
  const links = await k.client().post('/api/widget/files/links', { companyId: k.company.publicId, token: v.token, keys: [msg.payload.fileKey] });
  t.is(links.body.links.length, 1);
  const download = await fetch(k.url + links.body.links[0].url);
  t.is(download.status, 200);

  // Deleting (or replacing) the common file does not break what was sent.
  t.is((await admin.del(`/api/agent-tools/files/${shared.body.id}`)).status, 204);
  t.is((await fetch(k.url + links.body.links[0].url)).status, 200);
  t.is((await fetch(k.url + `/f/${shared.body.file.key}`, { headers: { cookie: admin.cookie } })).status, 404, 'the unsent original is gone');

  // Only personal files of one's own, and only into a conversation one serves.
  t.is((await admin.post(`/api/agent-tools/files/${entry.body.id}/send`, { conversationId })).status, 404);
  v.socket.close();
});

test.serial('WORKBENCH-FILES-5: the file-type rules in force at sending time apply; an ended chat refuses', async (t) => {
  const entry = await admin.post('/api/agent-tools/files', { scope: 'company', fileKey: await uploadCommon(admin, pdfBytes(), 'terms.pdf') });
  const { v, conversationId } = await chat();
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false, fileGroups: ['images'] }) });
  const refused = await admin.post(`/api/agent-tools/files/${entry.body.id}/send`, { conversationId });
  t.is(refused.status, 400);
  t.is(refused.body.error.fields[0].code, 'file_type_not_allowed');
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  await call(agent, 'conversation.end', { conversationId });
  const ended = await admin.post(`/api/agent-tools/files/${entry.body.id}/send`, { conversationId });
  t.is(ended.status, 409);
  t.is(ended.body.error.code, 'conversation_not_active');
  v.socket.close();
});

test.serial('CHATSET-FILES-13: company files need links.manage; replacing the file keeps the entry', async (t) => {
  const key = await uploadCommon(ann, pdfBytes(), 'price.pdf');
  const denied = await ann.post('/api/agent-tools/files', { scope: 'company', fileKey: key });
  t.like(denied.body.error, { code: 'forbidden', permission: 'links.manage' });
  const mine = await ann.post('/api/agent-tools/files', { scope: 'personal', title: 'Prices', fileKey: key });
  const replaced = await ann.patch(`/api/agent-tools/files/${mine.body.id}`, { fileKey: await uploadCommon(ann, pdfBytes(), 'price-2026.pdf') });
  t.like(replaced.body, { id: mine.body.id, title: 'Prices', file: { name: 'price-2026.pdf' } });
  t.falsy(await k.server.db('files').where({ key }).first(), 'the replaced upload is removed');
});

test.serial('CHATSET-TOPICS-4: new companies start with five topics; names are unique; the last one stays', async (t) => {
  const list = await ann.get('/api/topics');
  t.deepEqual(
    list.body.items.map((x: any) => x.name),
    ['售前咨询', '售后服务', '投诉建议', '技术支持', '其他'],
  );
  t.like((await ann.post('/api/topics', { name: 'VIP' })).body.error, { code: 'forbidden', permission: 'topics.manage' });
  const dup = await admin.post('/api/topics', { name: '其他' });
  t.is(dup.status, 409);
  t.is(dup.body.error.code, 'topic_exists');
  t.deepEqual(
    (await admin.post('/api/topics', { name: '一二三四五六七八九十一二三四五六七八九十一' })).body.error.fields.map((f: any) => f.code),
    ['too_big'],
  );
  const vip = await admin.post('/api/topics', { name: 'VIP' });
  t.is(vip.status, 201);
  t.is(vip.body.position, 5);
});

test.serial('CHATSET-TOPICDEFAULT-5: one default at most; deleting it clears the default', async (t) => {
  const items = (await admin.get('/api/topics')).body.items;
  const [a, b] = items;
  t.true((await admin.patch(`/api/topics/${a.id}`, { isDefault: true })).body.isDefault);
  t.true((await admin.patch(`/api/topics/${b.id}`, { isDefault: true })).body.isDefault);
  t.deepEqual(
    (await ann.get('/api/topics')).body.items.filter((x: any) => x.isDefault).map((x: any) => x.id),
    [b.id],
  );
  t.is((await admin.del(`/api/topics/${b.id}`)).status, 204);
  const after = (await ann.get('/api/topics')).body.items;
  t.false(after.some((x: any) => x.isDefault));
  t.false(
    after.some((x: any) => x.id === b.id),
    'hidden from new evaluations',
  );
  const all = (await ann.get('/api/topics?includeDeleted=true')).body.items;
  t.like(
    all.find((x: any) => x.id === b.id),
    { deleted: true },
  );
});

test.serial('CHATSET-TOPICS-4: a rename shows on past conversations; reordering; the last topic cannot be deleted', async (t) => {
  const { v, conversationId } = await chat();
  const [first] = (await admin.get('/api/topics')).body.items;
  t.is((await admin.put(`/api/conversations/${conversationId}/evaluation`, { topic: first.name, valid: true, note: null, version: 0 })).status, 200);
  await admin.patch(`/api/topics/${first.id}`, { name: '售前' });
  t.is((await k.server.db('conversations').where({ id: conversationId }).first()).topic, '售前');
  v.socket.close();

  const ids = (await admin.get('/api/topics')).body.items.map((x: any) => x.id);
  const reordered = await admin.put('/api/topics/order', { ids: [...ids].reverse() });
  t.deepEqual(
    reordered.body.items.map((x: any) => x.id),
    [...ids].reverse(),
  );
  for (const id of ids.slice(1)) t.is((await admin.del(`/api/topics/${id}`)).status, 204);
  const last = await admin.del(`/api/topics/${ids[0]}`);
  t.is(last.status, 409);
  t.is(last.body.error.code, 'last_topic');
});

test.serial('CHATSET-TOPICS-4: another company has its own topics and cannot touch these', async (t) => {
  const other = await k.createCompany('Other');
  const b = await k.login('admin', undefined, other.publicId);
  const mine = (await admin.get('/api/topics')).body.items[0];
  t.is((await b.get('/api/topics')).body.items.length, 5);
  t.is((await b.patch(`/api/topics/${mine.id}`, { name: 'hacked' })).status, 404);
  t.is((await b.del(`/api/topics/${mine.id}`)).status, 404);
  t.is((await admin.get('/api/topics')).body.items[0].name, mine.name);
});
