import crypto from 'node:crypto';
import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { NoticeService } from '../src/notices/notice-service.ts';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { addAgent, signIn, type CreatedAgent } from './helpers/accounts.ts';
import { agentSocket, call, next } from './helpers/sockets.ts';
import { pdfBytes, upload } from './helpers/uploads.ts';

const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

// Scheduled notices follow the injected clock, so no test waits for a start time.
let clockOffsetMs = 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };
const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

let k: TestKefu;
let admin: TestClient;
let ann: CreatedAgent, bob: CreatedAgent;
let annC: TestClient, bobC: TestClient, pubC: TestClient;
let sales: { id: number };
const uuid = () => crypto.randomUUID();
const sockets: Socket[] = [];
const open = async (c: TestClient) => {
  const s = await agentSocket(k.url, c);
  sockets.push(s);
  return s;
};
/** Every `event` a socket receives from now on. */
const record = (s: Socket, event: string) => {
  const got: any[] = [];
  s.on(event, (m) => got.push(m));
  return got;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
  ann = await addAgent(admin, 'ann', { name: 'Ann' });
  bob = await addAgent(admin, 'bob', { name: 'Bob' });
  await addAgent(admin, 'pub', { name: 'Publisher', permissions: ['notice.publish'] });
  sales = (await admin.post('/api/groups', { name: 'Sales', memberIds: [ann.id] })).body;
  [annC, bobC, pubC] = [await signIn(k, 'ann'), await signIn(k, 'bob'), await signIn(k, 'pub')];
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await k?.close();
});

test.serial(`INTERNAL-DIRECT-3 INTERNAL-UNREAD-6 two agents chat with unread counts; a retried send is stored once (${driver})`, async (t) => {
  const [a, b, b2] = [await open(annC), await open(bobC), await open(bobC)];
  const toBob = next(b, 'internal.message');
  const echo = next(a, 'internal.message');
  const bobUnread = next(b2, 'internal.unread', (m) => m.total === 1);
  const clientId = uuid();
  const sent = await call(a, 'internal.send', { toAgentId: bob.id, clientId, text: '  hi bob <b>!</b> ' });
  t.true(sent.ok);
  t.is(sent.message.text, 'hi bob <b>!</b>', 'stored trimmed, as text');
  t.is(sent.message.fromAgentId, ann.id);
  t.is((await toBob).message.id, sent.message.id);
  t.is((await echo).message.id, sent.message.id, "the sender's other tabs see it too");
  t.deepEqual((await bobUnread).unread, [{ agentId: ann.id, count: 1 }]);

  const [x, y] = await Promise.all([1, 2].map(() => call(a, 'internal.send', { toAgentId: bob.id, clientId, text: 'hi bob <b>!</b>' })));
  t.is(x.message.id, sent.message.id);
  t.is(y.message.id, sent.message.id);
  const stored = await k.server.db('internal_messages').where({ from_agent_id: ann.id, client_id: clientId }).count('* as n').first();
  t.is(Number(stored!.n), 1, 'a retried send is stored once');

  const pdf = await upload(k.url, '/api/files', { file: { bytes: pdfBytes(), name: 'price list.pdf' } }, annC);
  const withFile = await call(a, 'internal.send', { toAgentId: bob.id, clientId: uuid(), fileKey: pdf.body.file.key });
  t.like(withFile.message.file, { fileKey: pdf.body.file.key, name: 'price list.pdf', mime: 'application/pdf', kind: 'file' });
  t.deepEqual(await call(b, 'internal.unread'), { ok: true, unread: [{ agentId: ann.id, count: 2 }], threads: [], total: 2 });
  await call(b, 'internal.send', { toAgentId: ann.id, clientId: uuid(), text: 'hello ann' });
  t.is((await call(a, 'internal.unread')).total, 1);

  const history = await call(b, 'internal.history', { withAgentId: ann.id });
  t.deepEqual(
    history.messages.map((m: any) => m.text),
    ['hi bob <b>!</b>', null, 'hello ann'],
  );
  t.false(history.hasMore);
  const older = await call(b, 'internal.history', { withAgentId: ann.id, before: history.messages[2].id });
  t.is(older.messages.length, 2);

  const cleared = next(b2, 'internal.unread', (m) => m.total === 0);
  const receipt = next(a, 'internal.receipt', (r) => r.kind === 'read');
  const read = await call(b, 'internal.read', { withAgentId: ann.id });
  t.is(read.read, 2);
  await cleared;
  t.is((await receipt).byAgentId, bob.id, 'the sender learns the thread was read');
  t.is((await call(b, 'internal.unread')).total, 0);
  t.is((await call(a, 'internal.unread')).total, 1, "ann's own unread count is hers alone");

  const empty = await call(a, 'internal.send', { toAgentId: bob.id, clientId: uuid(), text: '   ' });
  t.is(empty.error.code, 'validation_failed');
  t.is((await call(a, 'internal.send', { toAgentId: bob.id, clientId: uuid() })).error.fields[0].code, 'required');
  t.is((await call(a, 'internal.send', { toAgentId: ann.id, clientId: uuid(), text: 'me' })).error.fields[0].code, 'self');
});

test.serial(`INTERNAL-ROSTER-1 a company B agent cannot message or read company A agents (${driver})`, async (t) => {
  const b = await k.createCompany('Other');
  const other = await open(await k.login('admin', undefined, b.publicId));
  t.is((await call(other, 'internal.send', { toAgentId: ann.id, clientId: uuid(), text: 'hi' })).error.code, 'not_found');
  t.is((await call(other, 'internal.history', { withAgentId: ann.id })).error.code, 'not_found');
  t.is((await call(other, 'internal.read', { withAgentId: ann.id })).error.code, 'not_found');
  t.deepEqual(await call(other, 'internal.unread'), { ok: true, unread: [], threads: [], total: 0 });
  const a = await open(annC);
  const otherAdmin = await k.server.db('agents').where({ company_id: b.id }).first('id');
  t.is((await call(a, 'internal.send', { toAgentId: Number(otherAdmin.id), clientId: uuid(), text: 'hi' })).error.code, 'not_found');
  t.is(Number((await k.server.db('internal_messages').whereIn('company_id', [b.id]).count('* as n').first())!.n), 0);
});

let everyoneNotice: any;

test.serial(`NOTICE-COMPOSE-1 NOTICE-DELIVER-3 a notice to everyone arrives live on open sockets and is listed with read state (${driver})`, async (t) => {
  const [a, b, a2] = [await open(annC), await open(bobC), await open(annC)];
  const outsider = await open(await k.login('admin', undefined, (await k.createCompany('Third')).publicId));
  const outsiderGot = record(outsider, 'notice');
  const [toAnn, toBob] = [next(a, 'notice'), next(b, 'notice')];
  const r = await pubC.post('/api/notices', { title: '系统维护', content: 'Tonight 22:00\nhttps://status.example', everyone: true });
  t.is(r.status, 201, r.text);
  everyoneNotice = r.body;
  t.is(r.body.state, 'active');
  t.truthy(r.body.deliveredAt);
  t.is(r.body.recipientCount, 4, 'admin, ann, bob and the publisher');
  t.is(r.body.content, 'Tonight 22:00\nhttps://status.example', 'line breaks kept');
  for (const got of [await toAnn, await toBob]) {
    t.is(got.notice.id, r.body.id);
    t.is(got.notice.publisherNickname, 'Publisher');
  }

  const list = await annC.get('/api/notices');
  t.is(list.status, 200);
  const mine = list.body.items.find((n: any) => n.id === r.body.id);
  t.is(mine.readAt, null);
  t.true(list.body.unread >= 1);

  const closed = next(a2, 'notice.read', (m) => m.noticeId === r.body.id);
  const read = await annC.post(`/api/notices/${r.body.id}/read`);
  t.is(read.status, 200);
  t.is((await closed).readAt, read.body.readAt, "the box closes in all of ann's tabs");
  t.is((await annC.post(`/api/notices/${r.body.id}/read`)).body.readAt, read.body.readAt, 'reading twice keeps the first time');
  t.truthy((await annC.get('/api/notices')).body.items.find((n: any) => n.id === r.body.id).readAt);
  t.is((await bobC.get('/api/notices')).body.items.find((n: any) => n.id === r.body.id).readAt, null);
  await pause(200);
  t.deepEqual(outsiderGot, [], 'another company hears nothing');
});

test.serial(`NOTICE-READ-5 receipts for the publisher and admins only (${driver})`, async (t) => {
  const r = await pubC.get(`/api/notices/${everyoneNotice.id}/receipts`);
  t.is(r.status, 200);
  t.is(r.body.read, 1);
  t.is(r.body.unread, 3);
  t.truthy(r.body.recipients.find((x: any) => x.agentId === ann.id).readAt);
  const unread = await pubC.get(`/api/notices/${everyoneNotice.id}/receipts?state=unread`);
  t.false(unread.body.recipients.some((x: any) => x.agentId === ann.id));
  t.is(unread.body.recipients.length, 3);
  t.is((await admin.get(`/api/notices/${everyoneNotice.id}/receipts`)).status, 200, 'admins see every receipt');
  t.is((await bobC.get(`/api/notices/${everyoneNotice.id}/receipts`)).status, 404);
});

test.serial(`NOTICE-DELIVER-3 a scheduled notice is delivered once by core:notices (${driver})`, async (t) => {
  const a = await open(annC);
  const got = record(a, 'notice');
  const r = await pubC.post('/api/notices', { title: 'Later', content: 'In ten minutes', agentIds: [ann.id], startsAt: at(10 * MIN) });
  t.is(r.status, 201, r.text);
  t.is(r.body.state, 'scheduled');
  t.is(r.body.deliveredAt, null);
  const cron = k.server.container.resolve(CronSupervisor);
  t.true(cron.names().includes('core:notices'));
  await cron.runOnce('core:notices');
  t.is((await k.server.db('notices').where({ id: r.body.id }).first()).delivered_at, null, 'not before its start');
  t.false((await annC.get('/api/notices')).body.items.some((n: any) => n.id === r.body.id));

  clockOffsetMs += 11 * MIN;
  await cron.runOnce('core:notices');
  await cron.runOnce('core:notices');
  // The push may arrive while runOnce is still returning: wait for it, then a little longer for a second copy.
  for (let i = 0; i < 50 && !got.some((m) => m.notice.id === r.body.id); i++) await pause(50);
  await pause(300);
  t.is(got.filter((m) => m.notice.id === r.body.id).length, 1, 'delivered once');
  t.truthy((await k.server.db('notices').where({ id: r.body.id }).first()).delivered_at);
  t.true((await annC.get('/api/notices')).body.items.some((n: any) => n.id === r.body.id));

  // Two nodes running the job at the same moment: the conditional update lets one deliver.
  const again = await pubC.post('/api/notices', { title: 'Race', content: 'Once', agentIds: [ann.id], startsAt: at(MIN) });
  clockOffsetMs += 2 * MIN;
  const svc = k.server.container.resolve(NoticeService);
  const counts = await Promise.all([svc.deliverDue(), svc.deliverDue()]);
  t.is(counts[0] + counts[1], 1);
  for (let i = 0; i < 50 && !got.some((m) => m.notice.id === again.body.id); i++) await pause(50);
  await pause(300);
  t.is(got.filter((m) => m.notice.id === again.body.id).length, 1);
});

test.serial(`NOTICE-RECIPIENTS-2 a group-addressed notice reaches group members only (${driver})`, async (t) => {
  const [a, b] = [await open(annC), await open(bobC)];
  const bobGot = record(b, 'notice');
  const toAnn = next(a, 'notice');
  const count = await pubC.post('/api/notices/recipients/count', { groupIds: [sales.id], agentIds: [ann.id] });
  t.deepEqual(count.body, { count: 1 }, 'each agent counts once');
  const r = await pubC.post('/api/notices', { title: 'Sales only', content: 'Targets', groupIds: [sales.id] });
  t.is(r.status, 201, r.text);
  t.is(r.body.recipientCount, 1);
  t.is((await toAnn).notice.id, r.body.id);
  await pause(300);
  t.deepEqual(bobGot, [], 'bob is not in Sales');
  t.false((await bobC.get('/api/notices')).body.items.some((n: any) => n.id === r.body.id));
  t.is((await bobC.post(`/api/notices/${r.body.id}/read`)).status, 404);
  t.false(
    (await pubC.get('/api/notices')).body.items.some((n: any) => n.id === r.body.id),
    'the publisher receives it only when included',
  );

  const withdrawn = next(a, 'notice.withdrawn', (m) => m.noticeId === r.body.id);
  const w = await pubC.post(`/api/notices/${r.body.id}/withdraw`);
  t.is(w.body.state, 'withdrawn');
  await withdrawn;
  t.false(
    (await annC.get('/api/notices')).body.items.some((n: any) => n.id === r.body.id),
    'NOTICE-MANAGE-7 withdrawn notices disappear',
  );
});

test.serial(`NOTICE-COMPOSE-1 bad input is refused with field codes (${driver})`, async (t) => {
  const base = { title: 'T', content: 'C', everyone: true };
  const codes = async (body: unknown) => {
    const r = await pubC.post('/api/notices', body);
    t.is(r.status, 400, r.text);
    t.is(r.body.error.code, 'validation_failed');
    return r.body.error.fields.map((f: any) => `${f.path}:${f.code}`);
  };
  t.deepEqual(await codes({ ...base, startsAt: at(DAY), endsAt: at(DAY - MIN) }), ['endsAt:end_before_start']);
  t.deepEqual(await codes({ ...base, startsAt: at(400 * DAY), endsAt: at(401 * DAY) }), ['startsAt:start_too_far']);
  t.deepEqual(await codes({ ...base, endsAt: at(366 * DAY) }), ['endsAt:end_too_far']);
  t.deepEqual(await codes({ title: 'T', content: 'C' }), ['recipients:no_recipients']);
  t.deepEqual(await codes({ ...base, everyone: false, endsAt: at(-MIN) }), ['endsAt:end_before_start', 'recipients:no_recipients']);
  t.deepEqual(await codes({ ...base, title: '通'.repeat(51) }), ['title:too_big']);
  t.deepEqual(await codes({ ...base, title: '  ', content: 'x'.repeat(2001) }), ['title:too_small', 'content:too_big']);
  t.is((await pubC.post('/api/notices', { ...base, title: '通'.repeat(50) })).status, 201, '50 Chinese characters fit');
  const foreign = await k.server.db('agents').whereNot({ company_id: k.company.id }).first('id');
  t.is((await pubC.post('/api/notices', { ...base, everyone: false, agentIds: [Number(foreign.id)] })).body.error.code, 'not_found');
  t.is((await pubC.post('/api/notices', { ...base, everyone: false, groupIds: [999999] })).body.error.code, 'not_found');
});

test.serial(`NOTICE-COMPOSE-1 publishing needs notice.publish (${driver})`, async (t) => {
  const r = await bobC.post('/api/notices', { title: 'T', content: 'C', everyone: true });
  t.is(r.status, 403);
  t.is(r.body.error.code, 'forbidden');
  t.is(r.body.error.permission, 'notice.publish');
  const w = await bobC.post(`/api/notices/${everyoneNotice.id}/withdraw`);
  t.is(w.status, 403);
  t.is(w.body.error.permission, 'notice.publish');
  t.is((await admin.post('/api/notices', { title: 'From the admin', content: 'C', agentIds: [bob.id] })).status, 201, 'admins hold every permission');
});
