import path from 'node:path';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';

const OPERATOR = 'operator-token-for-tests-0123456789';
// Real time except while a test pins "today" (sessions keep working either way).
let pinned: Date | null = null;
const clock = { now: () => pinned ?? new Date() };

let k: TestKefu;
let admin: TestClient;
let op: TestClient;

test.before(async () => {
  k = await startTestServer({ KEFU_PLUGINS_DIR: path.join(import.meta.dirname, 'fixtures', 'plugins'), KEFU_OPERATOR_TOKEN: OPERATOR }, { clock });
  admin = await k.login();
  op = k.client();
  op.bearer = OPERATOR;
});
test.after.always(() => k?.close());
test.afterEach.always(() => {
  pinned = null;
});

const licence = (body: Record<string, unknown>, product = 'hello') => op.put(`/api/operator/companies/${k.company.publicId}/licences/${product}`, body);
const row = async (product: string, client = admin) => (await client.get('/api/billing')).body.rows.find((r: any) => r.product === product);
/** 12:00 in Shanghai (the company's time zone) on that day. */
const noonOn = (day: string) => new Date(`${day}T04:00:00Z`);

test.serial('BILLING-VIEW-1: admins and billing.view holders see the table; others get 403 forbidden', async (t) => {
  await addAgent(admin, 'plain');
  await addAgent(admin, 'viewer', { permissions: ['billing.view'] });
  const plain = await signIn(k, 'plain');
  const r = await plain.get('/api/billing');
  t.is(r.status, 403);
  t.is(r.body.error.code, 'forbidden');
  const viewer = await signIn(k, 'viewer');
  const v = await viewer.get('/api/billing');
  t.is(v.status, 200);
  t.deepEqual(
    v.body.rows.map((x: any) => x.product),
    ['seats', 'broken', 'hello', 'orphan'],
    'seats first, then every installed plugin',
  );
  t.is(v.body.rows.find((x: any) => x.product === 'hello').state, 'not_activated');
  t.is(v.body.mode, 'open');
});

test.serial('BILLING-REMAIN-3: remaining days in the company time zone, the manual’s example, valid through the expiry day', async (t) => {
  pinned = noonOn('2019-03-04');
  t.is((await licence({ expiresOn: '2020-07-01' })).status, 200);
  let hello = await row('hello');
  t.is(hello.remainingDays, 485);
  t.is(hello.state, 'active');
  await licence({ expiresOn: '2022-04-12' });
  t.is((await row('hello')).remainingDays, 1135);

  pinned = noonOn('2022-04-12');
  hello = await row('hello');
  t.is(hello.remainingDays, 0);
  t.is(hello.state, 'expiring', 'on its expiry day it is still in use (amber)');
  t.is((await admin.get('/api/p/hello/items')).status, 200);
  pinned = noonOn('2022-03-13');
  t.is((await row('hello')).state, 'expiring', '30 days before');
  pinned = noonOn('2022-03-12');
  t.is((await row('hello')).state, 'active', '31 days before');

  // 2022-04-13 00:30 in Shanghai is still the 12th in UTC: the company's day decides.
  pinned = new Date('2022-04-12T16:30:00Z');
  hello = await row('hello');
  t.is(hello.remainingDays, -1);
  t.is(hello.state, 'expired');

  pinned = noonOn('2019-03-04');
  await licence({ startsOn: '2019-04-01', expiresOn: null });
  hello = await row('hello');
  t.is(hello.state, 'not_started');
  t.is(hello.remainingDays, null, 'no expiry: 长期');
});

test.serial('BILLING-PRODUCTS-2: a plugin’s row carries the quantity unit from its manifest; “—” for none', async (t) => {
  await licence({ quantity: 25, startsOn: null });
  const hello = await row('hello');
  t.is(hello.quantity, 25);
  t.deepEqual(hello.unit, { 'zh-CN': '个', en: 'items' });
  t.is(hello.state, 'active');
  const seats = await row('seats');
  t.deepEqual(seats.name, { 'zh-CN': '坐席', en: 'Seats' });
  t.is(seats.quantity, null, 'no seat limit set');
});

test.serial('BILLING-SEATS-4: adding or enabling beyond the seats answers 409 seat_limit_reached; lowering disables nobody', async (t) => {
  const enabled = (await row('seats')).used as number;
  t.is((await licence({ quantity: enabled + 1 }, 'seats')).status, 200);
  const extra = await addAgent(admin, 'extra');
  const full = await admin.post('/api/agents', { agentId: 'onemore', name: 'One more', password: 'Quiet-river-42' });
  t.is(full.status, 409);
  t.is(full.body.error.code, 'seat_limit_reached');
  t.is(full.body.error.seats, enabled + 1);

  t.is((await admin.post(`/api/agents/${extra.id}/disable`)).status, 200);
  const freed = await addAgent(admin, 'onemore');
  t.truthy(freed.id, 'disabling an agent frees a seat');

  t.is((await licence({ quantity: 1 }, 'seats')).status, 200);
  const view = (await admin.get('/api/billing')).body;
  t.true(view.seatsOverLimit);
  t.is(view.rows[0].used, enabled + 1, 'nobody was disabled');
  const again = await admin.post(`/api/agents/${extra.id}/enable`);
  t.is(again.status, 409);
  t.is(again.body.error.code, 'seat_limit_reached');
  await licence({ quantity: null }, 'seats');
  t.false((await admin.get('/api/billing')).body.seatsOverLimit);
});

test.serial('BILLING-OPERATOR-9: bad operator input fails naming the field; no token 401; unknown company 404', async (t) => {
  const before = await licence({ startsOn: '2026-05-01', expiresOn: '2026-04-01' });
  t.is(before.status, 400);
  t.is(before.body.error.fields[0].path, 'expiresOn');
  const negative = await licence({ quantity: -1 });
  t.is(negative.status, 400);
  t.is(negative.body.error.fields[0].path, 'quantity');
  const unknown = await licence({ quantity: 1 }, 'nosuch');
  t.is(unknown.status, 400);
  t.deepEqual(unknown.body.error.fields[0], { path: 'product', code: 'unknown_product', message: 'No product nosuch' });
  const seatDates = await licence({ expiresOn: '2030-01-01', quantity: 3 }, 'seats');
  t.is(seatDates.status, 400);
  t.is(seatDates.body.error.fields[0].path, 'expiresOn');
  t.is((await op.put('/api/operator/companies/99999/licences/hello', { quantity: 1 })).status, 404);
  t.is((await k.client().put(`/api/operator/companies/${k.company.publicId}/licences/hello`, { quantity: 1 })).status, 401);
  t.is((await admin.put(`/api/operator/companies/${k.company.publicId}/licences/hello`, { quantity: 1 })).status, 401);
});

test.serial('BILLING-HISTORY-10: every change is listed with time, actor, product, old and new values', async (t) => {
  t.is((await admin.post('/api/plugins/hello/disable', {})).status, 200);
  const { history } = (await admin.get('/api/billing')).body;
  const [latest, ...older] = history;
  t.is(latest.product, 'hello');
  t.deepEqual(latest.actor, { kind: 'admin', agentId: 'admin', name: latest.actor.name });
  t.is(latest.old.enabled, true);
  t.deepEqual(latest.new, { enabled: false });
  const seat = older.find((h: any) => h.product === 'seats' && h.new.quantity === 1);
  t.is(seat.actor.kind, 'operator');
  t.truthy(Date.parse(seat.at));
  const other = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', undefined, other.publicId);
  t.deepEqual((await otherAdmin.get('/api/billing')).body.history, [], 'another company sees none of it');
});

test.serial('BILLING-CONTACT-11: the operator’s renewal contact appears on the page; with none it is null', async (t) => {
  t.is((await admin.get('/api/billing')).body.contact, null);
  const bad = await op.put('/api/operator/billing/contact', { email: 'not-an-address' });
  t.is(bad.status, 400);
  t.is(bad.body.error.fields[0].path, 'email');
  const contact = { name: '运营部 Li', phone: '+86 10 1234 5678', email: 'renew@example.com', url: 'https://example.com/renew' };
  t.is((await op.put('/api/operator/billing/contact', contact)).status, 200);
  t.deepEqual((await admin.get('/api/billing')).body.contact, contact);
  await op.put('/api/operator/billing/contact', { name: null, phone: null, email: null, url: null });
  t.is((await admin.get('/api/billing')).body.contact, null);
});

test.serial('BILLING-MODE-8: in open mode admins enable plugins themselves and the page says open', async (t) => {
  t.is((await admin.post('/api/plugins/hello/enable', {})).status, 200);
  const view = (await admin.get('/api/billing')).body;
  t.is(view.mode, 'open');
  t.is(view.rows.find((r: any) => r.product === 'hello').state, 'active');
});

test.serial('BILLING-WARN-6: admins get a notice and an e-mail at 30, 7, 1 and 0 days, once per licence and threshold', async (t) => {
  const { CronSupervisor } = await import('../src/plugins/cron-supervisor.ts');
  const cron = k.server.container.resolve(CronSupervisor);
  t.true(cron.names().includes('core:licence-reminders'));
  t.is((await admin.patch('/api/profile', { email: 'boss@example.com' })).status, 200);
  const notices = () => k.server.db('notices').where({ company_id: k.company.id }).orderBy('id');
  const mails = () => k.server.db('mail_outbox').where({ company_id: k.company.id, to: 'boss@example.com' });

  pinned = noonOn('2030-01-01');
  await licence({ enabled: true, expiresOn: '2030-03-01' });
  await cron.runOnce('core:licence-reminders');
  t.is((await notices()).length, 0, '59 days before: nothing yet');

  pinned = noonOn('2030-01-30');
  await cron.runOnce('core:licence-reminders');
  await cron.runOnce('core:licence-reminders');
  let list = await notices();
  t.is(list.length, 1, 'sent once at 30 days, however often the job runs');
  t.regex(list[0].title, /授权即将到期:你好/);
  t.regex(list[0].content, /2030-03-01.*剩余 30 天/);
  t.is((await mails()).length, 1);

  pinned = noonOn('2030-03-01');
  await cron.runOnce('core:licence-reminders');
  list = await notices();
  t.is(list.length, 2, 'the 7- and 1-day reminders were missed while the job did not run; only the nearest one (the day itself) goes out');
  t.regex(list[1].title, /授权今天到期/);
  t.true(list[1].important);
  const admins = await k.server.db('agents').where({ company_id: k.company.id, role: 'admin' }).select('id');
  t.deepEqual(list[1].agent_ids.map(Number).sort(), admins.map((a) => Number(a.id)).sort(), 'addressed to the admins');

  await licence({ expiresOn: '2030-03-08' });
  await cron.runOnce('core:licence-reminders');
  t.is((await notices()).length, 3, 'a renewed licence starts its reminders again');
  await licence({ enabled: false });
});
