// Each test starts its own server; serial keeps the embedded databases from starving each other.
import test from 'ava';
import { ADMIN_PASSWORD, AGENT_PASSWORD, bind, codeAt, createAgent, loginWithOtp, setup, tryLogin, wrongCode } from './helpers.ts';

test.serial('OTP-BIND-2 OTP-CONFIRM-3 OTP-LOGIN-4 bind, confirm, log out, log in with the current code', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());

  const st0 = await admin.get('/api/p/otp/status');
  t.is(st0.status, 200);
  t.like(st0.body, { state: 'none', policy: 'none', obliged: false, recoveryCodesLeft: 0 });

  const bad = await admin.post('/api/p/otp/bind/start', { password: 'wrong-password' });
  t.is(bad.status, 401);
  t.is(bad.body.error.code, 'reauth_failed');

  const s = await admin.post('/api/p/otp/bind/start', { password: ADMIN_PASSWORD });
  t.is(s.status, 200);
  t.regex(s.body.secret, /^[A-Z2-7]{32}$/);
  t.is(s.body.secretGrouped.replace(/ /g, ''), s.body.secret);
  t.is(s.body.uri, `otpauth://totp/Kefu:admin@${k.company.publicId}?secret=${s.body.secret}&issuer=Kefu&algorithm=SHA1&digits=6&period=30`);
  t.true(s.body.qrSvg.startsWith('<svg'));
  t.is(s.headers.get('cache-control'), 'no-store', 'OTP-SECRET-12 answers with secrets are not cached');
  t.like((await admin.get('/api/p/otp/status')).body, { state: 'pending' });

  const secret = s.body.secret as string;
  const wrong = await admin.post('/api/p/otp/bind/confirm', { code: wrongCode(await codeAt(secret, clock)) });
  t.is(wrong.status, 400);
  t.is(wrong.body.error.code, 'otp_invalid');
  const fmt = await admin.post('/api/p/otp/bind/confirm', { code: '12ab' });
  t.is(fmt.status, 400);
  t.is(fmt.body.error.code, 'validation_failed');

  const ok = await admin.post('/api/p/otp/bind/confirm', { code: await codeAt(secret, clock) });
  t.is(ok.status, 200);
  t.is(ok.body.recoveryCodes.length, 10);
  for (const c of ok.body.recoveryCodes) t.regex(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  const st = await admin.get('/api/p/otp/status');
  t.like(st.body, { state: 'bound', recoveryCodesLeft: 10, lowRecoveryCodes: false });
  t.false(JSON.stringify(st.body).includes(secret), 'OTP-SECRET-12 no secret after confirmation');

  const again = await admin.post('/api/p/otp/bind/start', { password: ADMIN_PASSWORD });
  t.is(again.status, 409);
  t.is(again.body.error.code, 'otp_already_bound');

  t.is((await admin.post('/api/auth/logout')).status, 204);
  clock.nextStep();
  const { c, r } = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  t.is(r.status, 401);
  t.is(r.body.error.code, 'otp_required');
  t.is(r.body.error.step, 'otp');
  t.is(typeof r.body.error.challengeId, 'string');
  t.is((await c.get('/api/auth/me')).status, 401, 'no session before the code');

  const v = await c.post('/api/auth/login/verify', { challengeId: r.body.error.challengeId, code: await codeAt(secret, clock) });
  t.is(v.status, 200);
  t.is((await c.get('/api/auth/me')).status, 200);

  // A wrong password still gives the generic error first (LOGIN-ERRORS-4).
  const wp = await tryLogin(k, 'admin', 'not-the-password');
  t.is(wp.r.status, 401);
  t.is(wp.r.body.error.code, 'invalid_credentials');
});

test.serial('OTP-REPLAY-6 the same code is refused with otp_replayed, also an older one after a newer one', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { secret } = await bind(admin, clock, ADMIN_PASSWORD);

  const code = await codeAt(secret, clock);
  const first = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  t.is((await first.c.post('/api/auth/login/verify', { challengeId: first.r.body.error.challengeId, code })).status, 200);

  const second = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  const replay = await second.c.post('/api/auth/login/verify', { challengeId: second.r.body.error.challengeId, code });
  t.is(replay.status, 401);
  t.is(replay.body.error.code, 'otp_replayed');

  // The previous step's code is inside the drift window but older than the accepted one.
  const older = await codeAt(secret, clock, -1);
  const r3 = await second.c.post('/api/auth/login/verify', { challengeId: second.r.body.error.challengeId, code: older });
  t.is(r3.body.error.code, 'otp_replayed');

  clock.nextStep();
  const r4 = await second.c.post('/api/auth/login/verify', { challengeId: second.r.body.error.challengeId, code: await codeAt(secret, clock) });
  t.is(r4.status, 200);
});

test.serial('OTP-REPLAY-6 two simultaneous logins with the same code give exactly one session', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { secret } = await bind(admin, clock, ADMIN_PASSWORD);
  const code = await codeAt(secret, clock);
  const body = { companyId: String(k.company.publicId), agentId: 'admin', password: ADMIN_PASSWORD, client: 'api', otp: code };
  const results = await Promise.all([
    k.client().post('/api/auth/login', body),
    k.client().post('/api/auth/login', body),
    k.client().post('/api/auth/login', body),
  ]);
  const statuses = results.map((r) => r.status).sort();
  t.deepEqual(statuses, [200, 401, 401]);
  t.true(results.filter((r) => r.status === 401).every((r) => r.body.error.code === 'otp_replayed'));
});

test.serial('OTP-LOGIN-4 an API client sending otp with the password completes in one request', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { secret } = await bind(admin, clock, ADMIN_PASSWORD);

  const wrong = await tryLogin(k, 'admin', ADMIN_PASSWORD, { client: 'api', otp: wrongCode(await codeAt(secret, clock)) });
  t.is(wrong.r.status, 401);
  t.is(wrong.r.body.error.code, 'otp_invalid');
  const fmt = await tryLogin(k, 'admin', ADMIN_PASSWORD, { client: 'api', otp: '12' });
  t.is(fmt.r.status, 400);
  t.is(fmt.r.body.error.code, 'validation_failed');

  const { c, r } = await tryLogin(k, 'admin', ADMIN_PASSWORD, { client: 'api', otp: await codeAt(secret, clock) });
  t.is(r.status, 200);
  t.is(typeof r.body.token, 'string');
  c.bearer = r.body.token;
  t.is((await c.get('/api/auth/me')).status, 200);
});

test.serial('OTP-RECOVERY-7 a recovery code works once, case and hyphen ignored; then otp_recovery_used', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { recoveryCodes } = await bind(admin, clock, ADMIN_PASSWORD);

  const a = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  const ok = await a.c.post('/api/auth/login/verify', { challengeId: a.r.body.error.challengeId, code: recoveryCodes[0].toUpperCase().replace('-', '') });
  t.is(ok.status, 200);
  t.like((await a.c.get('/api/p/otp/status')).body, { recoveryCodesLeft: 9 });

  const b = await tryLogin(k, 'admin', ADMIN_PASSWORD);
  const used = await b.c.post('/api/auth/login/verify', { challengeId: b.r.body.error.challengeId, code: recoveryCodes[0] });
  t.is(used.status, 401);
  t.is(used.body.error.code, 'otp_recovery_used');
  const unknown = await b.c.post('/api/auth/login/verify', { challengeId: b.r.body.error.challengeId, code: 'aaaaa-bbbbb' });
  t.is(unknown.body.error.code, 'otp_invalid');
  const other = await b.c.post('/api/auth/login/verify', { challengeId: b.r.body.error.challengeId, code: recoveryCodes[1] });
  t.is(other.status, 200);

  // OTP-LOG-13: methods and failure reasons in the login log.
  const log = await a.c.get('/api/login-log?pageSize=50');
  const factors = log.body.items.filter((i: any) => i.result === 'success').map((i: any) => i.factor);
  t.true(factors.includes('password+recovery'));
  const reasons = log.body.items.filter((i: any) => i.result === 'failure').map((i: any) => i.reason);
  t.true(reasons.includes('otp_recovery_used'));
  t.true(reasons.includes('otp_invalid'));
});

test.serial('OTP-LOGIN-4 wrong codes: otp_invalid, 5 attempts per challenge, expired challenge', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  await createAgent(admin, 'alice');
  const alice = (await tryLogin(k, 'alice', AGENT_PASSWORD)).c;
  const { secret } = await bind(alice, clock, AGENT_PASSWORD);

  const a = await tryLogin(k, 'alice', AGENT_PASSWORD);
  const challengeId = a.r.body.error.challengeId;
  const bad = wrongCode(await codeAt(secret, clock));
  for (let i = 0; i < 4; i++) {
    const r = await a.c.post('/api/auth/login/verify', { challengeId, code: bad });
    t.is(r.status, 401);
    t.is(r.body.error.code, 'otp_invalid');
  }
  const fmt = await a.c.post('/api/auth/login/verify', { challengeId, code: 'not a code' });
  t.is(fmt.status, 400);
  t.is(fmt.body.error.code, 'validation_failed');
  // The fifth failure used up the challenge: even the right code cannot complete it.
  const gone = await a.c.post('/api/auth/login/verify', { challengeId, code: await codeAt(secret, clock) });
  t.is(gone.status, 401);
  t.not(gone.body.error.code, undefined);
  t.is((await a.c.get('/api/auth/me')).status, 401);

  // A fresh admin-side agent to avoid the lock-out of alice from this IP: expired challenge.
  await createAgent(admin, 'bob');
  const bob = (await tryLogin(k, 'bob', AGENT_PASSWORD)).c;
  const bobSecret = (await bind(bob, clock, AGENT_PASSWORD)).secret;
  const b = await tryLogin(k, 'bob', AGENT_PASSWORD);
  clock.advance(5 * 60_000 + 1000);
  const exp = await b.c.post('/api/auth/login/verify', { challengeId: b.r.body.error.challengeId, code: await codeAt(bobSecret, clock) });
  t.is(exp.status, 401);
  t.is(exp.body.error.code, 'otp_challenge_expired');
  t.truthy(await loginWithOtp(k, clock, 'bob', AGENT_PASSWORD, bobSecret));
});

test.serial('OTP-SECRET-12 OTP-LOG-13 the secret is sealed at rest and login log shows password+otp', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { secret, recoveryCodes } = await bind(admin, clock, ADMIN_PASSWORD);
  const rows = await k.server.db('otp_bindings').select();
  t.is(rows.length, 1);
  t.false(rows[0].secret_sealed.includes(secret));
  t.regex(rows[0].secret_sealed, /^k1\./);
  const codes = await k.server.db('otp_recovery_codes').select();
  t.is(codes.length, 10);
  const plain = recoveryCodes.map((c) => c.replace('-', '').toUpperCase());
  t.false(codes.some((r: any) => plain.includes(r.hash) || plain.some((p) => r.hash.includes(p))));

  const c = await loginWithOtp(k, clock, 'admin', ADMIN_PASSWORD, secret);
  const log = await c.get('/api/login-log');
  t.is(log.body.items.find((i: any) => i.result === 'success').factor, 'password+otp');
  t.true(log.body.items.some((i: any) => i.type === 'event' && i.reason === 'otp_bound'));
  const audit = await k.server.db('audit_log').where('action', 'like', 'otp.%').select();
  t.true(audit.some((a: any) => a.action === 'otp.bind'));
  t.false(JSON.stringify(audit).includes(secret));
});

test.serial('OTP-REPLAY-6 OTP-RECOVERY-7 one recovery code used by two simultaneous logins gives one session', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const { recoveryCodes } = await bind(admin, clock, ADMIN_PASSWORD);
  const body = { companyId: String(k.company.publicId), agentId: 'admin', password: ADMIN_PASSWORD, client: 'api', otp: recoveryCodes[4] };
  const results = await Promise.all([k.client().post('/api/auth/login', body), k.client().post('/api/auth/login', body)]);
  t.deepEqual(results.map((r) => r.status).sort(), [200, 401]);
  t.is(results.find((r) => r.status === 401)!.body.error.code, 'otp_recovery_used');
});

test.serial('OTP-CONFIRM-3 double-clicked start and confirm never answer 500 and bind once', async (t) => {
  const { k, clock, admin } = await setup();
  t.teardown(() => k.close());
  const starts = await Promise.all([1, 2, 3].map(() => admin.post('/api/p/otp/bind/start', { password: ADMIN_PASSWORD })));
  t.deepEqual(
    starts.map((s) => s.status),
    [200, 200, 200],
  );
  t.is((await k.server.db('otp_bindings').select()).length, 1, 'one pending binding: the last start replaced the others');

  const s = await admin.post('/api/p/otp/bind/start', { password: ADMIN_PASSWORD });
  const code = await codeAt(s.body.secret, clock);
  const confirms = await Promise.all([1, 2, 3].map(() => admin.post('/api/p/otp/bind/confirm', { code })));
  t.deepEqual(confirms.map((c) => c.status).sort(), [200, 409, 409]);
  t.true(confirms.filter((c) => c.status === 409).every((c) => c.body.error.code === 'otp_no_pending'));
  const rows = await k.server.db('otp_bindings').select();
  t.deepEqual(
    rows.map((r: any) => r.status),
    ['active'],
  );
  t.is((await k.server.db('otp_recovery_codes').select()).length, 10);
});
