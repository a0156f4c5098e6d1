// Each test starts its own server; serial keeps the embedded databases from starving each other.
import test from 'ava';
import { startTestServer } from '@kefu/core/testing';
import { ADMIN_PASSWORD, bind, codeAt, loginWithOtp, setup, tryLogin } from './helpers.ts';

test.serial('OTP-ENABLE-1 disabled for the company: no code asked, routes answer plugin_disabled; re-enabled: code again, no re-binding', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { secret } = await bind(admin, clock, ADMIN_PASSWORD);
  t.is((await admin.put('/api/p/otp/policy', { issuer: 'Acme' })).status, 200);

  t.is((await admin.post('/api/plugins/otp/disable')).status, 200);
  const st = await admin.get('/api/p/otp/status');
  t.is(st.status, 404);
  t.is(st.body.error.code, 'plugin_disabled');
  const plain = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  t.is(plain.r.status, 200, 'no code while disabled');
  const perms = await plain.c.get('/api/permissions');
  t.false(JSON.stringify(perms.body).includes('otp.manage'), 'the plugin permission is hidden while disabled');
  t.is(
    await k.server
      .db('otp_bindings')
      .count('* as n')
      .first()
      .then((r: any) => Number(r.n)),
    1,
    'binding kept',
  );

  t.is((await admin.post('/api/plugins/otp/enable', {})).status, 200);
  const again = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  t.is(again.r.status, 401);
  t.is(again.r.body.error.code, 'otp_required');
  const c = await loginWithOtp(k, clock, 'admin', ADMIN_PASSWORD, secret);
  t.like((await c.get('/api/p/otp/status')).body, { state: 'bound', recoveryCodesLeft: 10 });
  t.is((await c.get('/api/p/otp/policy')).body.issuer, 'Acme', 'settings kept');
});

test.serial('OTP-ENABLE-1 two companies on one server, one with OTP and one without', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const other = await k.createCompany('Other');
  const { secret } = await bind(admin, clock, ADMIN_PASSWORD);
  t.is((await admin.put('/api/p/otp/policy', { policy: 'all' })).status, 200);

  const b = await tryLogin(k, 'admin', ADMIN_PASSWORD, {}, other.publicId);
  t.is(b.r.status, 200, 'company B never asks for a code');
  const me = await b.c.get('/api/auth/me');
  t.is(me.body.restriction, null);
  t.false(me.body.plugins.includes('otp'));
  t.is((await b.c.get('/api/p/otp/status')).body.error.code, 'plugin_disabled');

  const a = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  t.is(a.r.body.error.code, 'otp_required');
  t.truthy(await loginWithOtp(k, clock, 'admin', ADMIN_PASSWORD, secret));

  // Company B enables OTP: its own policy is the default, its admin has no binding yet.
  t.is((await b.c.post('/api/plugins/otp/enable', {})).status, 200);
  const bs = await b.c.get('/api/p/otp/status');
  t.like(bs.body, { state: 'none', policy: 'none' });
  const ov = await b.c.get('/api/p/otp/bindings');
  t.is(ov.body.total, 1);
  t.is(ov.body.items[0].state, 'none');
  t.is((await tryLogin(k, 'admin', ADMIN_PASSWORD, {}, other.publicId)).r.status, 200);
});

test.serial('OTP-ENABLE-1 uninstall rolls back the otp_ tables and login asks for no code', async (t) => {
  const token = 'operator-token-0123456789abcdef';
  const { k, clock, admin } = await setup({ KEFU_OPERATOR_TOKEN: token });
  t.teardown(() => k.close());
  const { secret } = await bind(admin, clock, ADMIN_PASSWORD);
  const tables = async () =>
    (await k.server.db('information_schema.tables').where('table_schema', 'public').where('table_name', 'like', 'otp\\_%').select('table_name'))
      .map((r: any) => r.table_name)
      .sort();
  t.deepEqual(await tables(), ['otp_bindings', 'otp_recovery_codes', 'otp_settings']);

  const op = k.client();
  op.bearer = token;
  const r = await op.post('/api/operator/plugins/otp/uninstall');
  t.is(r.status, 200);
  t.deepEqual(await tables(), []);
  const plain = await tryLogin(k, 'admin', ADMIN_PASSWORD, { client: 'api', otp: await codeAt(secret, clock) });
  t.is(plain.r.status, 200);
  t.is((await admin.get('/api/p/otp/status')).status, 404);
});

test.serial('OTP-REPLAY-6 OTP-ENABLE-1 two nodes on one PostgreSQL: one code gives one session; a fresh node serves the plugin at once', async (t) => {
  if (!process.env.KEFU_TEST_PG) return t.pass('needs KEFU_TEST_PG (two nodes share one PostgreSQL database)');
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { secret } = await bind(admin, clock, ADMIN_PASSWORD);
  const b = await startTestServer({ DATABASE_URL: k.server.config.DATABASE_URL! }, { clock });
  t.teardown(() => b.close());

  // Node B has never loaded this company's licences: its first plugin request must still see the plugin enabled.
  const onB = b.client();
  onB.cookie = admin.cookie;
  const st = await onB.get('/api/p/otp/status');
  t.is(st.status, 200, st.text);

  const body = { companyId: String(k.company.publicId), agentId: 'admin', password: ADMIN_PASSWORD, client: 'api', otp: await codeAt(secret, clock) };
  const results = await Promise.all([k.client().post('/api/auth/login', body), b.client().post('/api/auth/login', body)]);
  t.deepEqual(results.map((r) => r.status).sort(), [200, 401]);
  t.is(results.find((r) => r.status === 401)!.body.error.code, 'otp_replayed');
});
