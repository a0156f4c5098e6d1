import test from 'ava';
import ExcelJS from 'exceljs';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { addAgent, clientAt, loginBody, signIn } from './helpers/accounts.ts';

let k: TestKefu;
let admin: TestClient;
const DAY = 86_400_000;
const agentIds = (r: { body: { items: { agentId: string | null }[] } }) => r.body.items.map((i) => i.agentId);
const download = async (c: TestClient, qs: string) => {
  const res = await fetch(`${k.url}/api/login-log/export?${qs}`, { headers: { cookie: c.cookie, origin: k.url } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
};

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

test.serial(
  'LOGINLOG-LIST-5 filters by agents, group, result, reason, method, IP or CIDR and days (default 7, at most 366); duration and 在线中',
  async (t) => {
    const group = (await admin.post('/api/groups', { name: 'Night' })).body;
    const ann = await addAgent(admin, 'ann', { groupIds: [group.id] });
    const bob = await addAgent(admin, 'bob');
    const annC = await signIn(k, 'ann', undefined, { ip: '203.0.113.7' });
    const bobC = await signIn(k, 'bob', undefined, { ip: '198.51.100.9' });
    t.is((await clientAt(k, '203.0.113.99').post('/api/auth/login', loginBody(k, 'ann', 'Wrong-pass-1'))).status, 401);
    t.is((await clientAt(k, '203.0.113.99').post('/api/auth/login', loginBody(k, '=cmd|calc', 'Wrong-pass-1'))).status, 401);
    t.is((await bobC.post('/api/auth/logout')).status < 300, true);
    await k.server.db('login_log').insert({
      company_id: k.company.id,
      agent_id: ann.id,
      typed_agent_id: 'ann',
      result: 'success',
      method: 'web',
      ip: '203.0.113.7',
      created_at: new Date(Date.now() - 10 * DAY),
    });

    const all = await admin.get('/api/login-log');
    t.is(all.status, 200, all.text);
    t.false(
      all.body.items.some((i: any) => Date.parse(i.time) < Date.now() - 7 * DAY),
      'the last 7 days by default',
    );
    t.deepEqual(agentIds(await admin.get(`/api/login-log?agentId=${ann.id}&result=success`)), ['ann']);
    t.deepEqual(agentIds(await admin.get(`/api/login-log?agentId=${ann.id}&agentId=${bob.id}&result=success`)).sort(), ['ann', 'bob']);
    t.deepEqual(agentIds(await admin.get(`/api/login-log?groupId=${group.id}`)).sort(), ['ann', 'ann'], 'both of ann’s attempts');
    t.deepEqual(agentIds(await admin.get('/api/login-log?result=failure&reason=unknown_agent')), ['=cmd|calc']);
    t.deepEqual(agentIds(await admin.get('/api/login-log?ip=203.0.113.0%2F24&result=failure')).sort(), ['=cmd|calc', 'ann']);
    t.deepEqual(agentIds(await admin.get('/api/login-log?ip=198.51.100.9')), ['bob']);
    t.deepEqual(agentIds(await admin.get('/api/login-log?method=api')), []);
    t.is((await admin.get(`/api/login-log?from=${new Date(Date.now() - 11 * DAY).toISOString()}&agentId=${ann.id}&result=success`)).body.total, 2);

    const [bobEntry] = (await admin.get(`/api/login-log?agentId=${bob.id}`)).body.items;
    t.truthy(bobEntry.logoutAt, 'signing out closes the entry');
    t.false(bobEntry.online);
    t.true(Number.isInteger(bobEntry.durationSeconds) && bobEntry.durationSeconds >= 0);
    const [annEntry] = (await admin.get(`/api/login-log?agentId=${ann.id}&result=success`)).body.items;
    t.like(annEntry, { online: true, logoutAt: null, durationSeconds: null }, '在线中');

    const long = await admin.get(`/api/login-log?from=${new Date(Date.now() - 400 * DAY).toISOString()}`);
    t.is(long.status, 400);
    t.is(long.body.error.fields[0].code, 'range_too_long');
    const badIp = await admin.get('/api/login-log?ip=203.0.113.0%2F40');
    t.is(badIp.status, 400);
    t.is(badIp.body.error.fields[0].code, 'invalid_ip');
    t.is((await annC.get('/api/login-log')).status, 403);
  },
);

test.serial('LOGINLOG-EXPORT-8 the filtered log exports to CSV and XLSX, formula-safe, audited with filters and count', async (t) => {
  const csv = await download(admin, 'format=csv&result=failure');
  t.is(csv.status, 200);
  const lines = csv.bytes.toString('utf8').slice(1).trim().split('\r\n');
  t.true(lines[0].startsWith('时间,客服ID,姓名,类型,结果,原因'));
  t.is(lines.length, 3, 'the header and the two failures');
  t.true(
    lines.some((l) => l.includes("'=cmd|calc")),
    'a typed formula is written as text',
  );
  const xlsx = await download(admin, 'format=xlsx&ip=198.51.100.9');
  t.is(xlsx.status, 200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.bytes as never);
  t.is(book.worksheets[0].rowCount, 2);
  t.is(book.worksheets[0].getRow(2).getCell(2).value, 'bob');
  const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'loginlog.export' }).orderBy('id');
  t.deepEqual(
    audit.map((a) => [a.new_value.format, a.new_value.count, a.new_value.filters.result ?? a.new_value.filters.ip]),
    [
      ['csv', 2, 'failure'],
      ['xlsx', 1, '198.51.100.9'],
    ],
  );
  t.is((await download(admin, 'format=csv&from=2020-01-01T00:00:00Z')).status, 400, 'the same range rule');
});

test.serial(
  'LOGINLOG-RETENTION-9 entries are append-only and the nightly job deletes those past the company’s retention, once, company by company',
  async (t) => {
    t.deepEqual((await admin.get('/api/settings/login-log')).body, { retentionDays: 365 });
    const tooShort = await admin.put('/api/settings/login-log', { retentionDays: 89 });
    t.is(tooShort.status, 400);
    t.is(tooShort.body.error.fields[0].path, 'retentionDays');
    t.deepEqual((await admin.put('/api/settings/login-log', { retentionDays: 120 })).body, { retentionDays: 120 });
    const other = await k.createCompany('Other');
    const old = (companyId: number, days: number) =>
      k.server
        .db('login_log')
        .insert({
          company_id: companyId,
          typed_agent_id: `old-${days}`,
          result: 'failure',
          reason: 'wrong_password',
          created_at: new Date(Date.now() - days * DAY),
        })
        .returning('id')
        .then(([r]) => Number(r.id));
    const [gone, kept, otherKept] = [await old(k.company.id, 130), await old(k.company.id, 100), await old(other.id, 130)];

    const cron = k.server.container.resolve(CronSupervisor);
    t.true(cron.names().includes('core:loginlog-retention'));
    t.true(await cron.runOnce('core:loginlog-retention'));
    const left = await k.server.db('login_log').whereIn('id', [gone, kept, otherKept]).pluck('id');
    t.deepEqual(left.map(Number).sort(), [kept, otherKept].sort(), 'past 120 days in this company only');

    for (const method of ['del', 'patch', 'put'] as const)
      t.true([404, 405].includes((await admin[method](`/api/login-log/${kept}`, {})).status), `no ${method} of an entry`);
  },
);
