// Each test starts its own server; serial keeps the embedded databases from starving each other.
import test from 'ava';
import { ADMIN_PASSWORD, AGENT_PASSWORD, bind, codeAt, createAgent, loginWithOtp, setup, tryLogin, wrongCode } from './helpers.ts';

test.serial('OTP-POLICY-9 policy "all": an agent without binding gets a session that can only bind, then the normal one', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  await createAgent(admin, 'alice');
  const put = await admin.put('/api/p/otp/policy', { policy: 'all' });
  t.is(put.status, 200);
  t.like(put.body, { policy: 'all', issuer: 'Kefu', drift: 1 });

  const { c, r } = await tryLogin(k, 'alice', AGENT_PASSWORD);
  t.is(r.status, 200);
  const me = await c.get('/api/auth/me');
  t.is(me.body.restriction, 'otp_binding_required');
  const blocked = await c.get('/api/agents');
  t.is(blocked.status, 403);
  t.is(blocked.body.error.code, 'otp_binding_required');
  t.is((await c.get('/api/p/otp/policy')).body.error.code, 'otp_binding_required');
  t.like((await c.get('/api/p/otp/status')).body, { state: 'none', obliged: true, restriction: 'otp_binding_required' });

  // Unbinding is refused while the policy obliges; replacing the device is offered instead.
  const { secret } = await bind(c, clock, AGENT_PASSWORD);
  t.is((await c.get('/api/auth/me')).body.restriction, null, 'restriction lifted after confirmation');
  t.is((await c.get('/api/profile')).status, 200);
  const unbind = await c.post('/api/p/otp/unbind', { password: AGENT_PASSWORD, code: await codeAt(secret, clock) });
  t.is(unbind.status, 409);
  t.is(unbind.body.error.code, 'otp_required_by_policy');

  // 更换设备: the old binding keeps working until the new one is confirmed.
  const rep = await c.post('/api/p/otp/bind/start', { password: AGENT_PASSWORD, replace: true, code: await codeAt(secret, clock) });
  t.is(rep.status, 200);
  t.true(rep.body.replacing);
  clock.nextStep();
  const mid = await loginWithOtp(k, clock, 'alice', AGENT_PASSWORD, secret);
  t.truthy(mid);
  const conf = await c.post('/api/p/otp/bind/confirm', { code: await codeAt(rep.body.secret, clock) });
  t.is(conf.status, 200);
  clock.nextStep();
  const old = await tryLogin(k, 'alice', AGENT_PASSWORD, { client: 'api', otp: await codeAt(secret, clock) });
  t.is(old.r.body.error.code, 'otp_invalid', 'the old device no longer works');
  t.truthy(await loginWithOtp(k, clock, 'alice', AGENT_PASSWORD, rep.body.secret));
});

test.serial('OTP-POLICY-9 policy "admins" obliges admins only; tightening does not end running sessions', async (t) => {
  const { k, admin } = await setup();
  t.teardown(() => k.close());
  await createAgent(admin, 'bob');
  t.is((await admin.put('/api/p/otp/policy', { policy: 'admins' })).status, 200);
  t.is((await admin.get('/api/agents')).status, 200, 'the running admin session is untouched');
  const bob = await tryLogin(k, 'bob', AGENT_PASSWORD);
  t.is((await bob.c.get('/api/auth/me')).body.restriction, null);
  const adm = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  t.is((await adm.c.get('/api/auth/me')).body.restriction, 'otp_binding_required');

  const bad = await admin.put('/api/p/otp/policy', { drift: 3, issuer: 'x'.repeat(31) });
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.fields.map((f: any) => f.path).sort(), ['drift', 'issuer']);
  const forb = await bob.c.get('/api/p/otp/policy');
  t.is(forb.status, 403);
  t.is(forb.body.error.code, 'forbidden');
  const audit = await k.server.db('audit_log').where({ action: 'otp.settings' }).select();
  t.is(audit.length, 1);
});

test.serial('OTP-CONFIRM-3 the 5th wrong confirmation code discards the pending binding', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const s = await admin.post('/api/p/otp/bind/start', { password: ADMIN_PASSWORD });
  const bad = wrongCode(await codeAt(s.body.secret, clock));
  for (let i = 1; i <= 4; i++) {
    const r = await admin.post('/api/p/otp/bind/confirm', { code: bad });
    t.is(r.body.error.code, 'otp_invalid');
    t.is(r.body.error.attemptsLeft, 5 - i);
  }
  const fifth = await admin.post('/api/p/otp/bind/confirm', { code: bad });
  t.is(fifth.status, 400);
  t.is(fifth.body.error.code, 'otp_pending_discarded');
  const after = await admin.post('/api/p/otp/bind/confirm', { code: await codeAt(s.body.secret, clock) });
  t.is(after.status, 409);
  t.is(after.body.error.code, 'otp_no_pending');
  t.like((await admin.get('/api/p/otp/status')).body, { state: 'none' });

  // A pending binding lives 10 minutes.
  const s2 = await admin.post('/api/p/otp/bind/start', { password: ADMIN_PASSWORD });
  clock.advance(10 * 60_000 + 1000);
  const late = await admin.post('/api/p/otp/bind/confirm', { code: await codeAt(s2.body.secret, clock) });
  t.is(late.body.error.code, 'otp_no_pending');
});

test.serial('OTP-UNBIND-8 OTP-RECOVERY-7 unbind with password and code; regenerate voids the old recovery codes', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { secret, recoveryCodes } = await bind(admin, clock, ADMIN_PASSWORD);

  const regBad = await admin.post('/api/p/otp/recovery/regenerate', { password: ADMIN_PASSWORD, code: recoveryCodes[0] });
  t.is(regBad.status, 400, 'regenerating needs a current code, not a recovery code');
  const reg = await admin.post('/api/p/otp/recovery/regenerate', { password: ADMIN_PASSWORD, code: await codeAt(secret, clock) });
  t.is(reg.status, 200);
  t.is(reg.body.recoveryCodes.length, 10);
  clock.nextStep();
  const old = await tryLogin(k, 'admin', ADMIN_PASSWORD, { client: 'api', otp: recoveryCodes[0] });
  t.is(old.r.body.error.code, 'otp_invalid');

  const wrongPw = await admin.post('/api/p/otp/unbind', { password: 'nope', code: await codeAt(secret, clock) });
  t.is(wrongPw.body.error.code, 'reauth_failed');
  const wrong = await admin.post('/api/p/otp/unbind', { password: ADMIN_PASSWORD, code: wrongCode(await codeAt(secret, clock)) });
  t.is(wrong.body.error.code, 'otp_invalid');
  const ok = await admin.post('/api/p/otp/unbind', { password: ADMIN_PASSWORD, code: reg.body.recoveryCodes[3] });
  t.is(ok.status, 200);
  t.like((await admin.get('/api/p/otp/status')).body, { state: 'none', recoveryCodesLeft: 0 });
  t.is(
    await k.server
      .db('otp_recovery_codes')
      .count('* as n')
      .first()
      .then((r: any) => Number(r.n)),
    0,
  );
  const plain = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  t.is(plain.r.status, 200, 'no code asked after unbinding');
});

test.serial('OTP-RESET-10 OTP-OVERVIEW-11 reset ends the agent’s sessions; otp.manage holders manage non-admins only', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const aliceId = await createAgent(admin, 'alice');
  await createAgent(admin, 'mgr', { permissions: ['otp.manage'] });
  const alice = (await tryLogin(k, 'alice', AGENT_PASSWORD)).c;
  const { secret } = await bind(alice, clock, AGENT_PASSWORD);
  const alice2 = await loginWithOtp(k, clock, 'alice', AGENT_PASSWORD, secret);
  await bind(admin, clock, ADMIN_PASSWORD);
  const mgr = (await tryLogin(k, 'mgr', AGENT_PASSWORD)).c;

  const ov = await mgr.get('/api/p/otp/bindings');
  t.is(ov.status, 200);
  t.is(ov.body.total, 3);
  const byId = Object.fromEntries(ov.body.items.map((i: any) => [i.agentId, i]));
  t.like(byId.alice, { state: 'bound', recoveryCodesLeft: 10, obliged: false });
  t.like(byId.mgr, { state: 'none', boundAt: null });
  t.false(JSON.stringify(ov.body).includes(secret));
  t.deepEqual((await mgr.get('/api/p/otp/bindings?state=bound')).body.items.map((i: any) => i.agentId).sort(), ['admin', 'alice']);
  const csv = await mgr.get('/api/p/otp/bindings/export');
  t.is(csv.status, 200);
  t.regex(csv.headers.get('content-type') ?? '', /text\/csv/);
  t.true(csv.text.includes('"alice","alice","agent","bound"'));
  t.is((await alice.get('/api/p/otp/bindings')).status, 403);

  const adminId = (await admin.get('/api/auth/me')).body.agent.id;
  const onAdmin = await mgr.post(`/api/p/otp/bindings/${adminId}/reset`, { password: AGENT_PASSWORD });
  t.is(onAdmin.status, 403);
  const badPw = await mgr.post(`/api/p/otp/bindings/${aliceId}/reset`, { password: 'nope' });
  t.is(badPw.body.error.code, 'reauth_failed');
  const reset = await mgr.post(`/api/p/otp/bindings/${aliceId}/reset`, { password: AGENT_PASSWORD });
  t.is(reset.status, 200);
  t.is(reset.body.endedSessions, 2);
  t.is((await alice.get('/api/auth/me')).status, 401);
  t.is((await alice2.get('/api/auth/me')).status, 401);
  t.is((await mgr.post(`/api/p/otp/bindings/${aliceId}/reset`, { password: AGENT_PASSWORD })).body.error.code, 'otp_not_bound');
  t.is((await mgr.post('/api/p/otp/bindings/999999/reset', { password: AGENT_PASSWORD })).status, 404);

  const again = await tryLogin(k, 'alice', AGENT_PASSWORD);
  t.is(again.r.status, 200, 'after the reset alice signs in with the password alone');
  const log = await admin.get('/api/login-log?pageSize=100');
  t.true(log.body.items.some((i: any) => i.type === 'event' && i.reason === 'otp_reset' && i.agentId === 'alice'));
  const audit = await k.server.db('audit_log').where({ action: 'otp.reset', target: 'alice' }).select();
  t.is(audit.length, 1);
});

test.serial('OTP-RESET-10 the operator resets any agent’s binding', async (t) => {
  const token = 'operator-token-0123456789abcdef';
  const { k, clock, admin } = await setup({ KEFU_OPERATOR_TOKEN: token });
  t.teardown(() => k.close());
  await bind(admin, clock, ADMIN_PASSWORD);
  const op = k.client();
  const noToken = await op.post('/api/p/otp/operator/reset', { companyId: k.company.publicId, agentId: 'admin' });
  t.is(noToken.status, 401);
  op.bearer = token;
  const r = await op.post('/api/p/otp/operator/reset', { companyId: k.company.publicId, agentId: 'ADMIN' });
  t.is(r.status, 200);
  t.is((await admin.get('/api/auth/me')).status, 401);
  t.is((await tryLogin(k, 'admin', ADMIN_PASSWORD)).r.status, 200);
});
