import test from 'ava';
import { ADMIN_PASSWORD, startTestServer, TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, AGENT_PASSWORD, clientAt, loginBody, signIn } from './helpers/accounts.ts';

let k: TestKefu;
let admin: TestClient;
// Sessions follow the injected clock, so idle expiry is tested without waiting 12 hours.
let clockOffsetMs = 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

const sessionCookie = (headers: Headers) => headers.getSetCookie().find((c) => c.startsWith('kefu_session='));

test.serial('LOGIN-SESSION-7 a console login sets an httpOnly SameSite=Lax browser-session cookie and /api/auth/me works', async (t) => {
  const c = k.client();
  const r = await c.post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD));
  t.is(r.status, 200, r.text);
  t.is(r.body.agent.agentId, 'admin');
  t.is(r.body.company.publicId, k.company.publicId);
  t.is(r.body.token, undefined, 'a console login never returns the token in the body');
  const cookie = sessionCookie(r.headers);
  t.truthy(cookie);
  t.regex(cookie!, /;\s*httponly/i);
  t.regex(cookie!, /;\s*samesite=lax/i);
  t.notRegex(cookie!, /;\s*secure/i, 'no Secure flag over plain HTTP');
  t.notRegex(cookie!, /expires=/i, 'without "remember me" the cookie lasts for the browser session');
  // 256-bit token, base64url.
  t.regex(cookie!.split(';')[0].slice('kefu_session='.length), /^[A-Za-z0-9_-]{43}$/);

  const me = await c.get('/api/auth/me');
  t.is(me.status, 200, me.text);
  t.is(me.body.agent.agentId, 'admin');
  t.is(me.body.agent.role, 'admin');
  t.true(me.body.agent.isPrimary);
  t.is(me.body.restriction, null);

  const anon = await k.client().get('/api/auth/me');
  t.is(anon.status, 401);
  t.is(anon.body.error.code, 'unauthenticated');
});

test.serial('LOGIN-AUTOLOGIN-10 remember gives a persistent cookie of about 30 days; every login issues a new token', async (t) => {
  const c = k.client();
  const r = await c.post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD, { remember: true }));
  t.is(r.status, 200, r.text);
  const cookie = sessionCookie(r.headers)!;
  const expires = new Date(cookie.match(/expires=([^;]+)/i)![1]).getTime();
  const days = (expires - Date.now()) / 86400_000;
  t.true(days > 29 && days <= 30.01, `cookie lasts ${days} days`);
  const again = await k.client().post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD));
  t.not(sessionCookie(again.headers)!.split(';')[0], cookie.split(';')[0]);
});

test.serial('LOGIN-ERRORS-4 unknown company, unknown agent, wrong password and deleted agent answer byte-identically', async (t) => {
  const gone = await addAgent(admin, 'gone1');
  const del = await admin.del(`/api/agents/${gone.id}?confirmAgentId=gone1`);
  t.is(del.status, 204, del.text);
  await addAgent(admin, 'real1');

  const attempts = {
    unknownCompany: { companyId: '99999', agentId: 'real1', password: AGENT_PASSWORD },
    unknownAgent: loginBody(k, 'nobody-here', AGENT_PASSWORD),
    wrongPassword: loginBody(k, 'real1', 'Wrong-password-1'),
    deletedAgent: loginBody(k, 'gone1', AGENT_PASSWORD),
  };
  const answers: Record<string, { status: number; text: string; type: string | null }> = {};
  for (const [name, body] of Object.entries(attempts)) {
    const r = await clientAt(k, '198.51.100.10').post('/api/auth/login', body);
    answers[name] = { status: r.status, text: r.text, type: r.headers.get('content-type') };
  }
  t.is(answers.unknownCompany.status, 401);
  t.deepEqual(JSON.parse(answers.unknownCompany.text), {
    error: { code: 'invalid_credentials', message: 'Company ID, agent ID or password is incorrect' },
  });
  for (const name of Object.keys(attempts)) t.deepEqual(answers[name], answers.unknownCompany, name);
});

test.serial('LOGIN-FIELDS-2 malformed fields answer 400 validation_failed naming the field, before any lookup', async (t) => {
  const c = clientAt(k, '198.51.100.11');
  const short = await c.post('/api/auth/login', { companyId: '1234', agentId: 'admin', password: ADMIN_PASSWORD });
  t.is(short.status, 400);
  t.is(short.body.error.code, 'validation_failed');
  t.deepEqual(
    short.body.error.fields.map((f: any) => f.path),
    ['companyId'],
  );

  const letters = await c.post('/api/auth/login', { companyId: '10a01', agentId: 'admin', password: ADMIN_PASSWORD });
  t.is(letters.status, 400);
  t.deepEqual(
    letters.body.error.fields.map((f: any) => f.path),
    ['companyId'],
  );

  const noPassword = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'admin' });
  t.is(noPassword.status, 400);
  t.deepEqual(noPassword.body.error.fields, [{ path: 'password', code: 'required', message: noPassword.body.error.fields[0].message }]);

  const blankAgent = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: '   ', password: 'x' });
  t.is(blankAgent.status, 400);
  t.deepEqual(
    blankAgent.body.error.fields.map((f: any) => f.path),
    ['agentId'],
  );

  const longAgent = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'a'.repeat(33), password: 'x' });
  t.is(longAgent.status, 400);
  t.deepEqual(
    longAgent.body.error.fields.map((f: any) => f.path),
    ['agentId'],
  );

  const longPassword = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'admin', password: 'a1'.repeat(65) });
  t.is(longPassword.status, 400);
  t.deepEqual(
    longPassword.body.error.fields.map((f: any) => f.path),
    ['password'],
  );

  // The same format error whether or not the company exists: nothing is looked up.
  const unknown = await c.post('/api/auth/login', { companyId: '99999', agentId: 'admin' });
  t.deepEqual(unknown.body, noPassword.body);
});

test.serial('LOGIN-FIELDS-2 spaces in the company ID are ignored, the agent ID is trimmed and case-insensitive, the password is not trimmed', async (t) => {
  const spaced = String(k.company.publicId).split('').join(' ');
  const c = clientAt(k, '198.51.100.12');
  const r = await c.post('/api/auth/login', { companyId: ` ${spaced} `, agentId: '  ADMIN ', password: ADMIN_PASSWORD });
  t.is(r.status, 200, r.text);
  t.is(r.body.agent.agentId, 'admin');
  const numeric = await c.post('/api/auth/login', { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  t.is(numeric.status, 200, numeric.text);
  const padded = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'admin', password: ` ${ADMIN_PASSWORD} ` });
  t.is(padded.status, 401);
  t.is(padded.body.error.code, 'invalid_credentials');
});

test.serial('LOGIN-ERRORS-4 agent_disabled is answered only after a correct password', async (t) => {
  const a = await addAgent(admin, 'sleepy1');
  const dis = await admin.post(`/api/agents/${a.id}/disable`);
  t.is(dis.status, 200, dis.text);
  const c = clientAt(k, '198.51.100.13');
  const wrong = await c.post('/api/auth/login', loginBody(k, 'sleepy1', 'Wrong-password-1'));
  const unknown = await c.post('/api/auth/login', loginBody(k, 'nobody-13', 'Wrong-password-1'));
  t.is(wrong.status, 401);
  t.is(wrong.text, unknown.text, 'a wrong password on a disabled agent reveals nothing');
  const right = await c.post('/api/auth/login', loginBody(k, 'sleepy1', AGENT_PASSWORD));
  t.is(right.status, 403);
  t.is(right.body.error.code, 'agent_disabled');
  t.is(sessionCookie(right.headers), undefined, 'no session for a disabled agent');
});

test.serial('LOGIN-LIMIT-6 five failures lock company+agent+IP with 429 rate_limited, retryAfter and Retry-After', async (t) => {
  await addAgent(admin, 'locked1');
  await addAgent(admin, 'neighbour1');
  const ip = '203.0.113.20';
  const c = clientAt(k, ip);
  for (let i = 0; i < 5; i++) {
    const r = await c.post('/api/auth/login', loginBody(k, 'locked1', `Wrong-password-${i}`));
    t.is(r.status, 401, `attempt ${i + 1}`);
  }
  // Locked now, even with the right password (and whatever the case of the agent ID).
  const locked = await c.post('/api/auth/login', loginBody(k, 'LOCKED1', AGENT_PASSWORD));
  t.is(locked.status, 429, locked.text);
  t.is(locked.body.error.code, 'rate_limited');
  const retryAfter = locked.body.error.retryAfter;
  t.true(Number.isInteger(retryAfter) && retryAfter > 14 * 60 && retryAfter <= 15 * 60, `retryAfter ${retryAfter}`);
  t.is(locked.headers.get('retry-after'), String(retryAfter));

  // Another agent from the same address, and the same agent from another address, are not locked.
  const neighbour = await c.post('/api/auth/login', loginBody(k, 'neighbour1', AGENT_PASSWORD));
  t.is(neighbour.status, 200, neighbour.text);
  const elsewhere = await clientAt(k, '203.0.113.21').post('/api/auth/login', loginBody(k, 'locked1', AGENT_PASSWORD));
  t.is(elsewhere.status, 200, elsewhere.text);

  // Rate-limit answers look the same for an ID that does not exist.
  for (let i = 0; i < 5; i++) await c.post('/api/auth/login', loginBody(k, 'ghost-20', 'Wrong-password-1'));
  const ghost = await c.post('/api/auth/login', loginBody(k, 'ghost-20', 'Wrong-password-1'));
  t.is(ghost.status, 429);
  t.deepEqual(Object.keys(ghost.body.error).sort(), Object.keys(locked.body.error).sort());
  t.is(ghost.body.error.code, 'rate_limited');
  t.true(Math.abs(ghost.body.error.retryAfter - retryAfter) <= 2);
});

test.serial('LOGIN-LIMIT-6 a successful login clears its combination counter', async (t) => {
  await addAgent(admin, 'careless1');
  const c = clientAt(k, '203.0.113.22');
  for (let i = 0; i < 4; i++) t.is((await c.post('/api/auth/login', loginBody(k, 'careless1', 'Wrong-password-1'))).status, 401);
  t.is((await c.post('/api/auth/login', loginBody(k, 'careless1', AGENT_PASSWORD))).status, 200);
  for (let i = 0; i < 4; i++) t.is((await c.post('/api/auth/login', loginBody(k, 'careless1', 'Wrong-password-1'))).status, 401);
  const r = await c.post('/api/auth/login', loginBody(k, 'careless1', AGENT_PASSWORD));
  t.is(r.status, 200, r.text);
});

test.serial('LOGIN-LIMIT-6 thirty failures from one IP block that IP whatever the IDs', async (t) => {
  const ip = '203.0.113.23';
  const c = clientAt(k, ip);
  for (let i = 0; i < 30; i++) {
    const r = await c.post('/api/auth/login', loginBody(k, `spray-${i}`, 'Wrong-password-1'));
    t.is(r.status, 401, `attempt ${i + 1}: ${r.text}`);
  }
  const blocked = await c.post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD));
  t.is(blocked.status, 429);
  t.is(blocked.body.error.code, 'rate_limited');
  t.true(blocked.body.error.retryAfter > 9 * 60 && blocked.body.error.retryAfter <= 10 * 60);
  const other = await clientAt(k, '203.0.113.24').post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD));
  t.is(other.status, 200);
});

test.serial('LOGIN-SESSION-7 logout ends the session: the same token no longer works', async (t) => {
  const c = await k.login();
  const token = c.cookie;
  t.is((await c.get('/api/auth/me')).status, 200);
  const out = await c.post('/api/auth/logout');
  t.is(out.status, 204, out.text);
  t.is(c.cookie, '', 'the cookie is cleared');
  t.is((await c.get('/api/auth/me')).status, 401);
  const replay = k.client();
  replay.cookie = token;
  const r = await replay.get('/api/auth/me');
  t.is(r.status, 401);
  t.is(r.body.error.code, 'unauthenticated');
});

test.serial('LOGIN-SESSION-7 client api returns a bearer token that works with the Authorization header', async (t) => {
  const r = await k.client().post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD, { client: 'api' }));
  t.is(r.status, 200, r.text);
  t.regex(r.body.token, /^[A-Za-z0-9_-]{43}$/);
  t.is(sessionCookie(r.headers), undefined, 'no cookie for API clients');
  const api = new TestClient(k.url);
  api.bearer = r.body.token;
  const me = await api.get('/api/auth/me');
  t.is(me.status, 200, me.text);
  t.is(me.body.agent.agentId, 'admin');
  // Bearer requests are not subject to the cookie Origin check.
  const noOrigin = await fetch(`${k.url}/api/groups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${r.body.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'From the API' }),
  });
  t.is(noOrigin.status, 201, await noOrigin.text());
  t.is((await api.post('/api/auth/logout')).status, 204);
  t.is((await api.get('/api/auth/me')).status, 401);
});

test.serial('LOGIN-SESSION-7 a cookie-authenticated POST without Origin, or with a foreign one, is 403 bad_origin', async (t) => {
  const c = await k.login();
  const post = (origin?: string) =>
    fetch(`${k.url}/api/groups`, {
      method: 'POST',
      headers: { cookie: c.cookie, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      body: JSON.stringify({ name: `Origin ${origin ?? 'none'}` }),
    });
  for (const origin of [undefined, 'https://evil.example', 'null']) {
    const r = await post(origin);
    t.is(r.status, 403, `origin ${origin}`);
    t.is((await r.json()).error.code, 'bad_origin');
  }
  const logout = await fetch(`${k.url}/api/auth/logout`, { method: 'POST', headers: { cookie: c.cookie, origin: 'https://evil.example' } });
  t.is(logout.status, 403, 'a foreign site cannot sign the agent out either');
  t.is((await c.get('/api/auth/me')).status, 200, 'reads need no Origin and the session is intact');
  const groups = await c.get('/api/groups');
  t.false(
    groups.body.items.some((g: any) => g.name.startsWith('Origin')),
    'nothing was created',
  );
  const same = await post(k.url);
  t.is(same.status, 201);
});

test.serial('LOGINLOG-RECORD-1 successes and failures are recorded with reasons; unknown companies go to no log', async (t) => {
  await addAgent(admin, 'logged1');
  const ip = '192.0.2.55';
  const c = clientAt(k, ip);
  const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
  const send = (body: unknown) => c.request('POST', '/api/auth/login', body, { 'user-agent': ua });
  t.is((await send(loginBody(k, 'logged1', AGENT_PASSWORD))).status, 200);
  t.is((await send(loginBody(k, 'logged1', 'Wrong-password-1'))).status, 401);
  t.is((await send(loginBody(k, 'who-is-this', 'Wrong-password-1'))).status, 401);
  t.is((await send({ companyId: '99998', agentId: 'logged1', password: AGENT_PASSWORD })).status, 401);

  const log = await admin.get('/api/login-log?pageSize=100');
  t.is(log.status, 200, log.text);
  const mine = log.body.items.filter((e: any) => e.ip === ip);
  t.is(mine.length, 3, JSON.stringify(mine));
  const [unknown, wrong, ok] = mine; // newest first
  t.like(ok, { agentId: 'logged1', result: 'success', reason: null, method: 'web', factor: 'password', logoutAt: null });
  t.regex(ok.browser, /^Chrome/);
  t.regex(ok.os, /^Windows/);
  t.like(wrong, { agentId: 'logged1', result: 'failure', reason: 'wrong_password' });
  t.like(unknown, { agentId: 'who-is-this', agentName: null, result: 'failure', reason: 'unknown_agent' });
  t.false(JSON.stringify(log.body).includes('Wrong-password-1'), 'typed passwords are never stored');

  // Disabled and logged-out entries too.
  const d = await addAgent(admin, 'logged2');
  const s = await signIn(k, 'logged2', AGENT_PASSWORD, { ip });
  t.is((await s.post('/api/auth/logout')).status, 204);
  await admin.post(`/api/agents/${d.id}/disable`);
  t.is((await send(loginBody(k, 'logged2', AGENT_PASSWORD))).status, 403);
  const after = (await admin.get('/api/login-log?pageSize=100')).body.items.filter((e: any) => e.agentId === 'logged2');
  const disabled = after.find((e: any) => e.reason === 'agent_disabled' && e.result === 'failure');
  t.truthy(disabled, JSON.stringify(after));
  const session = after.find((e: any) => e.result === 'success');
  t.truthy(session.logoutAt);
  t.is(session.logoutReason, 'signed_out');
});

test.serial('LOGINLOG-RECORD-1 a lock-out refusal is logged as locked_out', async (t) => {
  await addAgent(admin, 'locklog1');
  const ip = '192.0.2.56';
  const c = clientAt(k, ip);
  for (let i = 0; i < 5; i++) await c.post('/api/auth/login', loginBody(k, 'locklog1', 'Wrong-password-1'));
  const r = await c.post('/api/auth/login', loginBody(k, 'locklog1', AGENT_PASSWORD));
  t.is(r.status, 429);
  const entries = (await admin.get('/api/login-log?pageSize=100')).body.items.filter((e: any) => e.ip === ip && e.type === 'login');
  t.is(entries.length, 6);
  t.like(entries[0], { agentId: 'locklog1', result: 'failure', reason: 'locked_out' });
});

test.serial('LOGIN-SESSION-7 a console session ends after 12 hours without activity; activity slides it; remember and API sessions outlive it', async (t) => {
  const HOUR = 3600_000;
  const idle = await k.login();
  const active = await k.login();
  const remember = k.client();
  t.is((await remember.post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD, { remember: true }))).status, 200);
  const api = k.client();
  api.bearer = (await api.post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD, { client: 'api' }))).body.token;
  try {
    clockOffsetMs = 11 * HOUR;
    t.is((await active.get('/api/auth/me')).status, 200, 'activity at 11 h');
    clockOffsetMs = 12 * HOUR + 60_000;
    t.is((await idle.get('/api/auth/me')).status, 401, 'idle for just over 12 h');
    t.is((await active.get('/api/auth/me')).status, 200, 'active 1 h ago');
    clockOffsetMs = 22 * HOUR;
    t.is((await active.get('/api/auth/me')).status, 200, 'still sliding');
    clockOffsetMs = 34 * HOUR + 120_000;
    t.is((await active.get('/api/auth/me')).status, 401, 'idle for 12 h after its last activity');
    t.is((await remember.get('/api/auth/me')).status, 200, 'remember me outlives the idle limit');
    t.is((await api.get('/api/auth/me')).status, 200, 'API tokens too');
  } finally {
    clockOffsetMs = 0;
  }
});
