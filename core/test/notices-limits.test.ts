import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { MAX_OPEN_NOTICES, MAX_PER_PUBLISHER_DAY } from '../src/notices/notice-service.ts';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { addAgent, signIn } from './helpers/accounts.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

const notice = (title: string) => ({ title, content: 'Body', everyone: true });
const adminId = async () => (await admin.get('/api/auth/me')).body.agent.id as number;
/** Notices stored directly with past times (so no test waits), published two days ago so they do not count toward anyone's daily number. */
async function stored(n: number, fields: Record<string, unknown> = {}) {
  const now = new Date().getTime();
  const publisher = await adminId();
  await k.server.db('notices').insert(
    Array.from({ length: n }, (_, i) => ({
      company_id: k.company.id,
      publisher_id: publisher,
      title: `Stored ${i}`,
      content: 'Body',
      everyone: true,
      starts_at: new Date(now - 2 * DAY),
      ends_at: new Date(now + DAY),
      created_at: new Date(now - 2 * DAY),
      delivered_at: new Date(now - 2 * DAY),
      ...fields,
    })),
  );
}

test.serial('NOTICE-LIMITS-8 an agent publishes at most 20 notices a day: the next answers 429 rate_limited until a day has passed', async (t) => {
  await addAgent(admin, 'daily', { permissions: ['notice.publish'] });
  const pub = await signIn(k, 'daily');
  for (let i = 0; i < MAX_PER_PUBLISHER_DAY; i++) t.is((await pub.post('/api/notices', notice(`N${i}`))).status, 201, `notice ${i + 1}`);
  const over = await pub.post('/api/notices', notice('One too many'));
  t.is(over.status, 429);
  t.is(over.body.error.code, 'rate_limited');
  t.true(over.body.error.retryAfter > 23 * 3600 && over.body.error.retryAfter <= 24 * 3600, String(over.body.error.retryAfter));
  t.is((await admin.post('/api/notices', notice('Someone else'))).status, 201, 'the limit is per publisher');
  // A day later (moving the stored publication times back keeps the sessions, which follow the clock, alive).
  await k.server
    .db('notices')
    .where({ company_id: k.company.id })
    .update({ created_at: new Date(new Date().getTime() - DAY - 60_000) });
  t.is((await pub.post('/api/notices', notice('Next day'))).status, 201);
  // Leave the company's open count as the next test expects: withdraw everything published here.
  await k.server.db('notices').where({ company_id: k.company.id }).update({ withdrawn_at: new Date() });
});

test.serial('NOTICE-LIMITS-8 at most 100 notices scheduled or active per company (409 notice_limit); withdrawn and ended ones do not count', async (t) => {
  await stored(3, { ends_at: new Date(new Date().getTime() - HOUR) });
  await stored(MAX_OPEN_NOTICES - 1);
  const hundredth = await admin.post('/api/notices', notice('The hundredth'));
  t.is(hundredth.status, 201, hundredth.text);
  const over = await admin.post('/api/notices', { ...notice('Scheduled 101st'), startsAt: new Date(new Date().getTime() + DAY).toISOString() });
  t.is(over.status, 409);
  t.is(over.body.error.code, 'notice_limit');
  const [one] = await k.server
    .db('notices')
    .where({ company_id: k.company.id, title: 'Stored 0' })
    .where('ends_at', '>', new Date())
    .whereNull('withdrawn_at')
    .limit(1);
  t.is((await admin.post(`/api/notices/${one.id}/withdraw`)).status, 200);
  t.is((await admin.post('/api/notices', notice('Room again'))).status, 201, 'a withdrawn notice frees its place');
});

test.serial('NOTICE-LIMITS-8 notices and their receipts are deleted a year after their end, by the daily job', async (t) => {
  const now = new Date().getTime();
  await stored(1, { title: 'Old', ends_at: new Date(now - 366 * DAY), starts_at: new Date(now - 370 * DAY) });
  await stored(1, { title: 'Recent', ends_at: new Date(now - 364 * DAY), starts_at: new Date(now - 370 * DAY) });
  const [old] = await k.server.db('notices').where({ company_id: k.company.id, title: 'Old' });
  await k.server.db('notice_reads').insert({ notice_id: old.id, agent_id: await adminId(), company_id: k.company.id, read_at: new Date(now - 367 * DAY) });

  const cron = k.server.container.resolve(CronSupervisor);
  t.true(cron.names().includes('core:notices-purge'));
  await cron.runOnce('core:notices-purge');
  t.is((await k.server.db('notices').where({ company_id: k.company.id, title: 'Old' })).length, 0);
  t.is((await k.server.db('notice_reads').where({ notice_id: old.id })).length, 0, 'its receipts went with it');
  t.is((await k.server.db('notices').where({ company_id: k.company.id, title: 'Recent' })).length, 1, 'ended less than a year ago: kept');
});
