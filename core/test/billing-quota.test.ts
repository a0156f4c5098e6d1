import path from 'node:path';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';

const OPERATOR = 'operator-token-for-tests-0123456789';
let k: TestKefu;
let admin: TestClient;
let op: TestClient;

test.before(async () => {
  k = await startTestServer({ KEFU_PLUGINS_DIR: path.join(import.meta.dirname, 'fixtures', 'quota-plugins'), KEFU_OPERATOR_TOKEN: OPERATOR });
  admin = await k.login();
  op = k.client();
  op.bearer = OPERATOR;
  await admin.post('/api/plugins/testsms/enable', {});
});
test.after.always(() => k?.close());

const topUp = (units: unknown, product = 'testsms') => op.post(`/api/operator/companies/${k.company.publicId}/quotas/${product}/topups`, { units });
const quota = async () => (await admin.get('/api/billing')).body.rows.find((r: any) => r.product === 'testsms').quota;
const send = (segments: number, fail = false) => admin.post('/api/p/testsms/send', { segments, fail });

test.serial('BILLING-QUOTA-5 a quota product starts empty; sending without units answers quota_exhausted and spends nothing', async (t) => {
  t.like(await quota(), { left: 0, usedThisMonth: 0, topups: [] });
  const r = await send(1);
  t.is(r.status, 409);
  t.is(r.body.error.code, 'quota_exhausted');
  t.like(await quota(), { left: 0, usedThisMonth: 0 });
  // Seats and plugins without units have no quota.
  t.is((await admin.get('/api/billing')).body.rows.find((r: any) => r.product === 'seats').quota, null);
});

test.serial(
  'BILLING-QUOTA-5 BILLING-OPERATOR-9 the operator tops up; bad units, unknown products and products without units are refused by field',
  async (t) => {
    t.is((await topUp(0)).body.error.fields[0].code, 'too_small');
    t.is((await topUp(1.5)).body.error.fields[0].path, 'units');
    t.like((await topUp(10, 'nosuch')).body.error.fields[0], { path: 'product', code: 'unknown_product' });
    t.is((await k.client().post(`/api/operator/companies/${k.company.publicId}/quotas/testsms/topups`, { units: 10 })).status, 401);
    const r = await topUp(10);
    t.is(r.status, 201);
    const row = r.body.rows.find((x: any) => x.product === 'testsms');
    t.is(row.quota.left, 10);
    t.is(row.quota.topups.length, 1);
    t.like(row.quota.topups[0], { units: 10, actor: 'operator' });
  },
);

test.serial('BILLING-QUOTA-5 concurrent sends never take the quota below zero; used this month counts spent units net of refunds', async (t) => {
  // 10 left: 25 sends of one segment at once, through the plugin API.
  const results = await Promise.all(Array.from({ length: 25 }, () => send(1)));
  t.is(results.filter((r) => r.status === 200).length, 10);
  t.true(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === 'quota_exhausted'));
  t.like(await quota(), { left: 0, usedThisMonth: 10 });
  const [{ n }] = await k.server.db('quota_ledger').where({ company_id: k.company.id, kind: 'debit' }).count<{ n: string }[]>('* as n');
  t.is(Number(n), 10, 'one ledger row per spent send');

  await topUp(5);
  t.is((await send(3, true)).body.left, 5, 'a refused message gives its segments back');
  t.is((await send(2)).body.left, 3);
  t.like(await quota(), { left: 3, usedThisMonth: 12 });
  t.deepEqual(
    (await quota()).topups.map((x: any) => x.units),
    [5, 10],
  );
});

test.serial('BILLING-WARN-6 admins get a notice and an e-mail once the quota falls under 10 % and again at zero, once per top-up and threshold', async (t) => {
  const { CronSupervisor } = await import('../src/plugins/cron-supervisor.ts');
  const cron = k.server.container.resolve(CronSupervisor);
  t.true(cron.names().includes('core:quota-reminders'));
  t.is((await admin.patch('/api/profile', { email: 'quota-boss@example.com' })).status, 200);
  const notices = () => k.server.db('notices').where({ company_id: k.company.id }).orderBy('id');
  const mails = () => k.server.db('mail_outbox').where({ company_id: k.company.id, to: 'quota-boss@example.com' }).orderBy('id');
  const run = () => cron.runOnce('core:quota-reminders');

  const left = (await quota()).left;
  await topUp(100 - left);
  for (let i = 0; i < 9; i++) await send(10);
  await run();
  t.is((await notices()).length, 0, '10 of 100 left is not under 10 %');
  t.is((await quota()).level, 'ok');

  await send(1);
  await run();
  await run();
  let list = await notices();
  t.is(list.length, 1, 'under 10 %: one reminder, however often the job runs');
  t.is((await quota()).level, 'low', 'the billing page says the same');
  t.is(list[0].title, '额度不足 10%:测试短信');
  t.true(list[0].content.includes('剩余 9 条(上次充值后为 100 条)'), list[0].content);
  t.false(list[0].important);
  t.is((await mails()).length, 1);
  t.is((await mails())[0].subject, '额度不足 10%:测试短信');

  await send(9);
  await run();
  list = await notices();
  t.is(list.length, 2, 'again at zero');
  t.is((await quota()).level, 'empty');
  t.is(list[1].title, '额度已用完:测试短信');
  t.true(list[1].important);
  const admins = await k.server.db('agents').where({ company_id: k.company.id, role: 'admin' }).select('id');
  t.deepEqual(list[1].agent_ids.map(Number).sort(), admins.map((a) => Number(a.id)).sort(), 'addressed to the admins');

  await topUp(20);
  await send(10);
  await send(9);
  await run();
  t.is((await notices()).length, 3, 'a top-up starts the reminders again');
  t.is((await mails()).length, 3);
});
