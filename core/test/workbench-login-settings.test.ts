import test from 'ava';
import { agentSocket, call, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, AGENT_PASSWORD, signIn } from './helpers/accounts.ts';

let k: TestKefu;
let admin: TestClient;
test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(() => k?.close());

/** Saves the 工作台与登录 document with the version it has now. */
async function saveWorkbench(patch: Record<string, unknown>) {
  const cur = await admin.get('/api/settings/workbench');
  const r = await admin.put('/api/settings/workbench', { version: cur.body.version, settings: { ...cur.body.settings, ...patch } });
  if (r.status !== 200) throw new Error(`saving failed: ${r.status} ${r.text}`);
  return r.body;
}

test.serial('MAIN-SETTINGS-10 工作台与登录 reads its defaults, saves versioned and refuses a stale or out-of-range save', async (t) => {
  const first = await admin.get('/api/settings/workbench');
  t.is(first.status, 200);
  t.deepEqual(first.body.settings, { multiLogin: 'allow', idleHours: 12, autoLoginDays: 30, firstLoginPasswordChange: true });
  t.is(first.body.version, 0);

  const saved = await admin.put('/api/settings/workbench', { version: 0, settings: { ...first.body.settings, idleHours: 24 } });
  t.is(saved.status, 200);
  t.is(saved.body.version, 1);
  t.is(saved.body.settings.idleHours, 24);

  const stale = await admin.put('/api/settings/workbench', { version: 0, settings: first.body.settings });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'settings_changed');

  const bad = await admin.put('/api/settings/workbench', { version: 1, settings: { ...first.body.settings, idleHours: 73, autoLoginDays: 91 } });
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), ['settings.autoLoginDays', 'settings.idleHours']);
  // The bound travels with the refusal, so the console words it in the agent's language.
  t.like(
    bad.body.error.fields.find((f: { path: string }) => f.path === 'settings.idleHours'),
    { code: 'too_big', limit: 72, origin: 'number', inclusive: true },
  );

  await addAgent(admin, 'plain');
  const plain = await signIn(k, 'plain');
  t.is((await plain.get('/api/settings/workbench')).status, 403);
  await saveWorkbench({ idleHours: 12 });
});

test.serial(
  'MAIN-SETTINGS-10 LOGIN-SESSION-7 LOGIN-AUTOLOGIN-10 自动登录 lasts the saved days; 0 days allows none and the login form hides the box',
  async (t) => {
    await addAgent(admin, 'idler');
    const cookieOf = async (remember: boolean) => {
      const c = k.client();
      const r = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'idler', password: AGENT_PASSWORD, remember });
      t.is(r.status, 200);
      const cookie = String(r.headers.get('set-cookie'));
      return { cookie, persistent: /expires=/i.test(cookie) };
    };
    await saveWorkbench({ autoLoginDays: 7 });
    t.false((await cookieOf(false)).persistent, 'without 自动登录 the cookie lasts the browser session');
    const remembered = await cookieOf(true);
    t.true(remembered.persistent);
    const expires = new Date(/expires=([^;]+)/i.exec(remembered.cookie)![1]).getTime();
    t.true(Math.abs(expires - Date.now() - 7 * 86_400_000) < 120_000, 'the cookie lives the saved 7 days');

    await saveWorkbench({ autoLoginDays: 0 });
    t.false((await cookieOf(true)).persistent, 'with 0 days 自动登录 gives a browser-session cookie');
    const options = (companyId: string) => k.client().get(`/api/auth/login-options?companyId=${companyId}`);
    t.deepEqual((await options(String(k.company.publicId))).body, { autoLogin: false }, 'the login form is told to hide 自动登录');
    t.deepEqual((await options('99999999')).body, { autoLogin: true }, 'an unknown company ID gets the defaults');
    const bad = await options('12ab');
    t.is(bad.status, 400);
    t.is(bad.body.error.fields[0].path, 'query.companyId');
    await saveWorkbench({ idleHours: 12, autoLoginDays: 30 });
    t.deepEqual((await options(String(k.company.publicId))).body, { autoLogin: true });
  },
);

test.serial('MAIN-SETTINGS-10 LOGIN-FIRSTPW-15 the company setting is the default of a new agent’s first-login password change', async (t) => {
  const make = async (agentId: string) => (await admin.post('/api/agents', { agentId, name: agentId, password: AGENT_PASSWORD })).body;
  t.true((await make('fresh1')).mustChangePassword ?? true);
  const login = async (agentId: string) =>
    (await k.client().post('/api/auth/login', { companyId: String(k.company.publicId), agentId, password: AGENT_PASSWORD })).body.mustChangePassword;
  t.true(await login('fresh1'));
  await saveWorkbench({ firstLoginPasswordChange: false });
  await make('fresh2');
  t.false(await login('fresh2'));
  await saveWorkbench({ firstLoginPasswordChange: true });
});

test.serial('LOGIN-MULTI-8 with 禁止 a new login ends the agent’s other sessions; their consoles are told the new address and time', async (t) => {
  await addAgent(admin, 'single');
  await saveWorkbench({ multiLogin: 'forbid' });
  const older = await signIn(k, 'single', AGENT_PASSWORD, { ip: '198.51.100.7' });
  const socket = await agentSocket(k.url, older);
  // Answered once the socket has joined its session's room.
  await call(socket, 'workbench.snapshot');
  const ended = next(socket, 'session.ended');
  const closed = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));
  const started = Date.now();
  const newer = await signIn(k, 'single', AGENT_PASSWORD, { ip: '203.0.113.9' });
  const m = await ended;
  t.is(m.reason, 'replaced');
  t.is(m.replacedBy.ip, '203.0.113.9');
  t.true(Math.abs(new Date(m.replacedBy.at).getTime() - Date.now()) < 5000);
  await closed;
  t.true(Date.now() - started < 1000, 'the old socket closes within one second');
  t.is((await older.get('/api/auth/me')).status, 401);
  t.is((await newer.get('/api/auth/me')).status, 200);

  const log = await admin.get('/api/login-log?reason=replaced');
  t.is(log.status, 200);
  t.true(log.body.items.some((e: { logoutReason: string | null; ip: string }) => e.logoutReason === 'replaced' && e.ip === '198.51.100.7'));
  await saveWorkbench({ multiLogin: 'allow' });
});

test.serial('LOGIN-MULTI-8 with 允许 an agent keeps up to 10 sessions; the 11th login ends the oldest', async (t) => {
  await addAgent(admin, 'many');
  const clients: TestClient[] = [];
  for (let i = 0; i < 10; i++) clients.push(await signIn(k, 'many'));
  for (const c of clients) t.is((await c.get('/api/auth/me')).status, 200);
  const eleventh = await signIn(k, 'many');
  t.is((await clients[0].get('/api/auth/me')).status, 401, 'the oldest session ended');
  for (const c of [...clients.slice(1), eleventh]) t.is((await c.get('/api/auth/me')).status, 200);
});
