import test from 'ava';
import { ADMIN_PASSWORD, startTestServer, TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, AGENT_PASSWORD, clientAt, loginBody, signIn } from './helpers/accounts.ts';

let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

const paths = (r: { body: any }) => r.body.error.fields.map((f: any) => f.path).sort();
const fieldCodes = (r: { body: any }) => r.body.error.fields.map((f: any) => [f.path, f.code]);

// ---- Groups (GROUP-ADD-3, GROUP-EDIT-4, GROUP-DELETE-8) ----

test.serial('GROUP-ADD-3 a group is created with members; a name taken in any case answers 409 group_name_taken', async (t) => {
  const a1 = await addAgent(admin, 'gm1');
  const a2 = await addAgent(admin, 'gm2');
  const r = await admin.post('/api/groups', { name: ' Sales ', description: 'Pre-sales questions', memberIds: [a1.id, a2.id, a1.id] });
  t.is(r.status, 201, r.text);
  t.like(r.body, { name: 'Sales', description: 'Pre-sales questions' });
  t.deepEqual([...r.body.memberIds].sort(), [a1.id, a2.id].sort());
  const list = (await admin.get('/api/groups')).body.items;
  t.true(list.some((g: any) => g.id === r.body.id && g.name === 'Sales'));
  t.deepEqual((await admin.get(`/api/agents/${a1.id}`)).body.groups, [{ id: r.body.id, name: 'Sales' }]);

  for (const name of ['Sales', 'SALES', ' sales']) {
    const dup = await admin.post('/api/groups', { name });
    t.is(dup.status, 409, name);
    t.is(dup.body.error.code, 'group_name_taken');
  }
});

test.serial('GROUP-ADD-3 invalid group fields and unknown members are refused', async (t) => {
  const bad = await admin.post('/api/groups', { name: '  ', description: 'd'.repeat(201), memberIds: ['x'] });
  t.is(bad.status, 400);
  t.deepEqual(paths(bad), ['description', 'memberIds.0', 'name']);
  const long = await admin.post('/api/groups', { name: 'n'.repeat(31) });
  t.deepEqual(paths(long), ['name']);
  const ghost = await admin.post('/api/groups', { name: 'Ghosts', memberIds: [987654] });
  t.is(ghost.status, 404);
  t.is(ghost.body.error.code, 'not_found');
  t.false((await admin.get('/api/groups')).text.includes('Ghosts'), 'nothing was created');
});

test.serial('GROUP-EDIT-4 a group is renamed and its members replaced; a taken name answers 409', async (t) => {
  const a = await addAgent(admin, 'gm3');
  const g = (await admin.post('/api/groups', { name: 'Support', memberIds: [a.id] })).body;
  const taken = await admin.patch(`/api/groups/${g.id}`, { name: 'sales' });
  t.is(taken.status, 409);
  t.is(taken.body.error.code, 'group_name_taken');
  const same = await admin.patch(`/api/groups/${g.id}`, { name: 'SUPPORT' });
  t.is(same.status, 200, 'its own name in another case is fine');
  const r = await admin.patch(`/api/groups/${g.id}`, { name: 'After-sales', description: null, memberIds: [] });
  t.is(r.status, 200, r.text);
  t.like(r.body, { id: g.id, name: 'After-sales', description: null, memberIds: [] });
  t.deepEqual((await admin.get(`/api/agents/${a.id}`)).body.groups, []);
  const missing = await admin.patch('/api/groups/987654', { name: 'Nope' });
  t.is(missing.status, 404);
  t.is(missing.body.error.code, 'not_found');
});

test.serial('GROUP-DELETE-8 deleting a group removes it and its memberships', async (t) => {
  const a = await addAgent(admin, 'gm4');
  const g = (await admin.post('/api/groups', { name: 'Temporary', memberIds: [a.id] })).body;
  t.is((await admin.del(`/api/groups/${g.id}`)).status, 204);
  t.false((await admin.get('/api/groups')).body.items.some((x: any) => x.id === g.id));
  t.deepEqual((await admin.get(`/api/agents/${a.id}`)).body.groups, []);
  t.is((await admin.del(`/api/groups/${g.id}`)).status, 404);
  t.is((await admin.post('/api/groups', { name: 'Temporary' })).status, 201, 'the name is free again');
});

test.serial('GROUP-ADD-3 concurrent creations of one group name: one 201, the others 409 group_name_taken, never 500', async (t) => {
  const results = await Promise.all(['Rush', 'rush', 'RUSH', 'Rush'].map((name) => admin.post('/api/groups', { name })));
  t.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409], results.map((r) => r.text).join('\n'));
  for (const r of results.filter((x) => x.status === 409)) t.is(r.body.error.code, 'group_name_taken');
});

// ---- Company (COMPANY-FIELDS-2, COMPANY-EDIT-3) ----

test.serial('COMPANY-VIEW-1 every agent reads the company information; only admins save it', async (t) => {
  await addAgent(admin, 'clerk', { permissions: ['conversation.accept', 'settings.manage', 'agents.manage'] });
  const s = await signIn(k, 'clerk');
  const r = await s.get('/api/company');
  t.is(r.status, 200, r.text);
  t.like(r.body, { publicId: k.company.publicId, name: 'Acme', timezone: 'Asia/Shanghai', visitorLanguage: 'zh-CN', consoleLanguage: 'zh-CN' });
  const w = await s.patch('/api/company', { version: r.body.version, name: 'Clerk Co' });
  t.is(w.status, 403);
  t.like(w.body.error, { code: 'forbidden', permission: 'admin' });
  t.is((await admin.get('/api/company')).body.name, 'Acme');
});

test.serial('COMPANY-EDIT-3 saves carry a version: a stale one answers 409 settings_changed', async (t) => {
  const before = (await admin.get('/api/company')).body;
  const r = await admin.patch('/api/company', {
    version: before.version,
    name: 'Acme Trading',
    shortName: 'Acme',
    website: 'https://acme.example/support',
    contact: 'Li Lei',
    email: 'office@acme.example',
    phone: '+86 (21) 5555-0101',
    address: '1 Bund Road, Shanghai',
    timezone: 'Europe/Berlin',
    visitorLanguage: 'en',
  });
  t.is(r.status, 200, r.text);
  t.like(r.body, {
    name: 'Acme Trading',
    website: 'https://acme.example/support',
    timezone: 'Europe/Berlin',
    visitorLanguage: 'en',
    version: before.version + 1,
    publicId: before.publicId,
  });

  const stale = await admin.patch('/api/company', { version: before.version, name: 'Lost update' });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'settings_changed');
  t.like(stale.body.error.current, { name: 'Acme Trading', version: before.version + 1 });
  t.is((await admin.get('/api/company')).body.name, 'Acme Trading');

  const cleared = await admin.patch('/api/company', { version: before.version + 1, website: null, contact: null });
  t.is(cleared.status, 200);
  t.like(cleared.body, { website: null, contact: null });
});

test.serial('COMPANY-FIELDS-2 invalid values answer validation_failed naming the field, and change nothing', async (t) => {
  const { version } = (await admin.get('/api/company')).body;
  const cases: [Record<string, unknown>, string][] = [
    [{ website: 'ftp://acme.example' }, 'website'],
    [{ website: 'not a url' }, 'website'],
    [{ website: 'javascript:alert(1)' }, 'website'],
    [{ website: `https://acme.example/${'a'.repeat(2048)}` }, 'website'],
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    [{ timezone: '' }, 'timezone'],
    [{ name: '   ' }, 'name'],
    [{ name: 'n'.repeat(101) }, 'name'],
    [{ shortName: 's'.repeat(31) }, 'shortName'],
    [{ email: 'nobody' }, 'email'],
    [{ phone: 'call me' }, 'phone'],
    [{ contact: 'c'.repeat(51) }, 'contact'],
    [{ address: 'a'.repeat(201) }, 'address'],
    [{ visitorLanguage: 'fr' }, 'visitorLanguage'],
  ];
  for (const [patch, field] of cases) {
    const r = await admin.patch('/api/company', { version, ...patch });
    t.is(r.status, 400, `${JSON.stringify(patch).slice(0, 60)}: ${r.text.slice(0, 200)}`);
    t.is(r.body.error.code, 'validation_failed');
    t.deepEqual(paths(r), [field], JSON.stringify(patch).slice(0, 60));
  }
  const id = await admin.patch('/api/company', { version, publicId: 99999 });
  t.is(id.status, 400, 'the company ID is never changeable');
  t.is((await admin.get('/api/company')).body.version, version, 'nothing was saved');
});

// ---- Profile (PROFILE-EDIT-2, PROFILE-PASSWORD-3, PROFILE-SESSIONS-5) ----

test.serial('PROFILE-EDIT-2 an agent edits its own nickname and contacts, nothing else', async (t) => {
  await addAgent(admin, 'nina');
  const s = await signIn(k, 'nina');
  const view = await s.get('/api/profile');
  t.is(view.status, 200);
  t.like(view.body, { agentId: 'nina', nickname: 'nina', role: 'agent', email: null });
  const r = await s.patch('/api/profile', { nickname: ' Nini ', email: 'nina@acme.example', phone: '021-5555' });
  t.is(r.status, 200, r.text);
  t.like(r.body, { nickname: 'Nini', email: 'nina@acme.example', phone: '021-5555' });
  t.like((await s.get('/api/auth/me')).body.agent, { nickname: 'Nini', email: 'nina@acme.example' });

  const bad = await s.patch('/api/profile', { nickname: 'n'.repeat(21), email: 'no-at-sign' });
  t.is(bad.status, 400);
  t.deepEqual(paths(bad), ['email', 'nickname']);
  for (const field of ['name', 'role', 'permissions', 'agentId']) {
    const r2 = await s.patch('/api/profile', { [field]: field === 'permissions' ? ['agents.manage'] : 'admin' });
    t.is(r2.status, 400, field);
    t.deepEqual(fieldCodes(r2), [[field, 'unknown_field']]);
  }
  t.like((await s.get('/api/profile')).body, { role: 'agent', name: 'nina' });
  const cleared = await s.patch('/api/profile', { email: null });
  t.is(cleared.body.email, null);
});

test.serial('PROFILE-PASSWORD-3 a password change checks the current one, the rules and reuse, and ends the other sessions', async (t) => {
  await addAgent(admin, 'oscar');
  const s = await signIn(k, 'oscar');
  const other = await signIn(k, 'oscar', AGENT_PASSWORD, { ip: '198.51.100.40' });
  const change = (currentPassword: string, newPassword: string) => s.post('/api/profile/password', { currentPassword, newPassword });

  const wrong = await change('Not-my-password-1', 'Brand-new-pass-1');
  t.is(wrong.status, 401);
  t.is(wrong.body.error.code, 'reauth_failed');
  for (const weak of ['short1', 'nodigitsatall', '123456789', 'my-oscar-pass-1']) {
    const r = await change(AGENT_PASSWORD, weak);
    t.is(r.status, 400, weak);
    t.deepEqual(fieldCodes(r), [['newPassword', 'password_weak']]);
  }
  const reuse = await change(AGENT_PASSWORD, AGENT_PASSWORD);
  t.is(reuse.status, 400);
  t.deepEqual(fieldCodes(reuse), [['newPassword', 'password_reused']]);
  t.is((await other.get('/api/auth/me')).status, 200, 'refused changes end nothing');

  const ok = await change(AGENT_PASSWORD, 'Brand-new-pass-1');
  t.is(ok.status, 204, ok.text);
  t.is((await s.get('/api/auth/me')).status, 200, 'the current session stays');
  t.is((await other.get('/api/auth/me')).status, 401, 'other sessions end');
  t.is((await k.client().post('/api/auth/login', loginBody(k, 'oscar', AGENT_PASSWORD))).status, 401);
  t.is((await k.client().post('/api/auth/login', loginBody(k, 'oscar', 'Brand-new-pass-1'))).status, 200);

  const back = await change('Brand-new-pass-1', AGENT_PASSWORD);
  t.is(back.status, 400, 'the previous password is among the last three');
  t.deepEqual(fieldCodes(back), [['newPassword', 'password_reused']]);

  const mine = (await s.get('/api/profile/login-log?pageSize=100')).body.items;
  t.true(mine.some((e: any) => e.type === 'event' && e.reason === 'password_changed'));
  t.true(
    mine.every((e: any) => e.agentId === 'oscar'),
    'one’s own log shows only one’s own entries',
  );
  t.false(JSON.stringify(mine).includes('Brand-new-pass-1'));
});

test.serial('PROFILE-PASSWORD-3 wrong current passwords count toward the login lock-out (LOGIN-LIMIT-6)', async (t) => {
  await addAgent(admin, 'petra');
  const ip = '198.51.100.41';
  const s = await signIn(k, 'petra', AGENT_PASSWORD, { ip });
  for (let i = 0; i < 5; i++) {
    const r = await s.post('/api/profile/password', { currentPassword: `Guess-number-${i}`, newPassword: 'Brand-new-pass-2' });
    t.is(r.status, 401, `guess ${i + 1}`);
  }
  const locked = await s.post('/api/profile/password', { currentPassword: AGENT_PASSWORD, newPassword: 'Brand-new-pass-2' });
  t.is(locked.status, 429);
  t.is(locked.body.error.code, 'rate_limited');
  const login = await clientAt(k, ip).post('/api/auth/login', loginBody(k, 'petra', AGENT_PASSWORD));
  t.is(login.status, 429, 'the same lock applies to signing in from that address');
});

test.serial('PROFILE-SESSIONS-5 an agent lists its sessions and ends one or all the others', async (t) => {
  await addAgent(admin, 'quinn');
  const s1 = await signIn(k, 'quinn', AGENT_PASSWORD, { ip: '198.51.100.51' });
  const s2 = await signIn(k, 'quinn', AGENT_PASSWORD, { ip: '198.51.100.52' });
  const s3 = await signIn(k, 'quinn', AGENT_PASSWORD, { ip: '198.51.100.53' });
  const list = await s1.get('/api/profile/sessions');
  t.is(list.status, 200);
  t.is(list.body.items.length, 3);
  t.deepEqual(
    list.body.items.filter((x: any) => x.current).map((x: any) => x.ip),
    ['198.51.100.51'],
  );
  const second = list.body.items.find((x: any) => x.ip === '198.51.100.52');
  t.is((await s1.post(`/api/profile/sessions/${second.id}/end`)).status, 204);
  t.is((await s2.get('/api/auth/me')).status, 401);
  t.is((await s1.post(`/api/profile/sessions/${second.id}/end`)).status, 404, 'an ended session is gone');

  const others = await s1.post('/api/profile/sessions/end-others');
  t.is(others.status, 200);
  t.deepEqual(others.body, { ended: 1 });
  t.is((await s3.get('/api/auth/me')).status, 401);
  t.is((await s1.get('/api/auth/me')).status, 200);
  t.is((await s1.get('/api/profile/sessions')).body.items.length, 1);

  // Another agent's session is not one's own to end.
  const adminSessions = (await admin.get('/api/profile/sessions')).body.items;
  const r = await s1.post(`/api/profile/sessions/${adminSessions[0].id}/end`);
  t.is(r.status, 404);
  t.is((await admin.get('/api/auth/me')).status, 200);
  const log = (await admin.get('/api/login-log?pageSize=100')).body.items.filter((e: any) => e.agentId === 'quinn' && e.result === 'success');
  t.deepEqual(log.map((e: any) => e.logoutReason ?? 'online').sort(), ['ended_by_self', 'ended_by_self', 'online']);
});

// ---- Login IP list (LOGINIP-LIST-1 .. LOGINIP-SESSIONS-4) ----

test.serial('LOGINIP-LIST-1 off by default; an invalid entry names its row, a duplicate is duplicate_entry', async (t) => {
  const r = await admin.get('/api/settings/login-ip');
  t.is(r.status, 200);
  t.deepEqual(r.body, { enabled: false, entries: [], yourIp: '127.0.0.1' });
  const bad = await admin.put('/api/settings/login-ip', {
    enabled: false,
    entries: [
      { cidr: '10.0.0.1' },
      { cidr: '999.1.1.1' },
      { cidr: '10.0.0.0/7' },
      { cidr: 'fe80::/8' },
      { cidr: '10.0.0.1' },
      { cidr: '2001:db8::/32', note: 'IPv6 office' },
    ],
  });
  t.is(bad.status, 400, bad.text);
  t.is(bad.body.error.code, 'validation_failed');
  t.deepEqual(fieldCodes(bad), [
    ['entries.1.cidr', 'invalid_address'],
    ['entries.2.cidr', 'invalid_address'],
    ['entries.3.cidr', 'invalid_address'],
    ['entries.4.cidr', 'duplicate_entry'],
  ]);
  const note = await admin.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '10.0.0.1', note: 'n'.repeat(51) }] });
  t.deepEqual(paths(note), ['entries.0.note']);
  const empty = await admin.put('/api/settings/login-ip', { enabled: true, entries: [] });
  t.is(empty.status, 400);
  t.deepEqual(paths(empty), ['entries']);
  t.deepEqual((await admin.get('/api/settings/login-ip')).body.entries, [], 'nothing was saved');

  const ok = await admin.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '10.0.0.0/8', note: 'VPN' }, { cidr: '2001:db8::/32' }] });
  t.is(ok.status, 200, ok.text);
  t.deepEqual(
    ok.body.entries.map((e: any) => [e.cidr, e.note]),
    [
      ['10.0.0.0/8', 'VPN'],
      ['2001:db8::/32', null],
    ],
  );
});

test.serial('LOGINIP-LOCKOUT-3 switching on a list without one’s own address answers 409 would_lock_out unless confirmed', async (t) => {
  const body = { enabled: true, entries: [{ cidr: '10.0.0.0/8', note: 'VPN' }] };
  const r = await admin.put('/api/settings/login-ip', body);
  t.is(r.status, 409, r.text);
  t.is(r.body.error.code, 'would_lock_out');
  t.is(r.body.error.ip, '127.0.0.1');
  t.false((await admin.get('/api/settings/login-ip')).body.enabled, 'nothing was saved');
  // From inside the list, no confirmation is needed.
  const inside = await signIn(k, 'admin', ADMIN_PASSWORD, { ip: '10.20.30.40' });
  const saved = await inside.put('/api/settings/login-ip', body);
  t.is(saved.status, 200, saved.text);
  t.true(saved.body.enabled);
  t.is(saved.body.yourIp, '10.20.30.40');
  t.is((await admin.get('/api/auth/me')).status, 401, 'LOGINIP-SESSIONS-4: the session from 127.0.0.1 ended');
  t.is((await inside.get('/api/auth/me')).status, 200);
  t.is((await inside.put('/api/settings/login-ip', { enabled: false, entries: body.entries })).status, 200);
  admin = await k.login();
});

test.serial('LOGINIP-ENFORCE-2 with the list on, logins from outside get 403 login_ip_not_allowed with the address, before any password check', async (t) => {
  await addAgent(admin, 'local1');
  await addAgent(admin, 'remote1');
  const local = await signIn(k, 'local1');
  const remote = await signIn(k, 'remote1', AGENT_PASSWORD, { ip: '10.1.2.3' });
  const saved = await admin.put('/api/settings/login-ip', { enabled: true, entries: [{ cidr: '10.0.0.0/8' }], confirmLockout: true });
  t.is(saved.status, 200, saved.text);
  t.true(saved.body.enabled);

  // LOGINIP-SESSIONS-4: sessions from outside the list end; those inside continue.
  t.is((await local.get('/api/auth/me')).status, 401);
  t.is((await admin.get('/api/auth/me')).status, 401, 'the confirming admin was outside too');
  t.is((await remote.get('/api/auth/me')).status, 200);

  const outside = k.client();
  const answers = [
    await outside.post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD)),
    await outside.post('/api/auth/login', loginBody(k, 'admin', 'Wrong-password-1')),
    await outside.post('/api/auth/login', loginBody(k, 'no-such-agent', 'Wrong-password-1')),
    await outside.post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD, { client: 'api' })),
  ];
  for (const a of answers) {
    t.is(a.status, 403);
    t.is(a.text, answers[0].text, 'the same answer for any agent ID and password');
  }
  t.like(answers[0].body.error, { code: 'login_ip_not_allowed', ip: '127.0.0.1' });
  t.is(answers[3].body.token, undefined);

  const inside = await signIn(k, 'admin', ADMIN_PASSWORD, { ip: '10.9.9.9' });
  const log = (await inside.get('/api/login-log?pageSize=100')).body.items.filter((e: any) => e.ip === '127.0.0.1' && e.reason === 'login_ip_not_allowed');
  t.is(log.length, 4);
  t.true(log.every((e: any) => e.result === 'failure'));
  const ended = (await inside.get('/api/login-log?pageSize=100')).body.items.find((e: any) => e.agentId === 'local1' && e.result === 'success');
  t.is(ended.logoutReason, 'login_ip_not_allowed');
});

test.serial('LOGINIP-SESSIONS-4 a signed-in agent whose address moves outside the list is signed out at the next request', async (t) => {
  const remote = await signIn(k, 'remote1', AGENT_PASSWORD, { ip: '10.1.2.4' });
  t.is((await remote.get('/api/auth/me')).status, 200);
  const moved = new TestClient(k.url, { 'x-forwarded-for': '192.0.2.77' });
  moved.cookie = remote.cookie;
  const r = await moved.get('/api/auth/me');
  t.is(r.status, 401);
  t.is(r.body.error.code, 'login_ip_not_allowed');
  t.is((await remote.get('/api/auth/me')).status, 401, 'the session is over, also back inside the list');
});

test.serial('LOGINIP-LIST-1 switching the list off lets every address sign in again', async (t) => {
  const inside = await signIn(k, 'admin', ADMIN_PASSWORD, { ip: '10.9.9.9' });
  const off = await inside.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '10.0.0.0/8' }] });
  t.is(off.status, 200, off.text);
  t.false(off.body.enabled);
  t.is((await k.client().post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD))).status, 200);
  t.is((await k.client().post('/api/auth/login', loginBody(k, 'local1', AGENT_PASSWORD))).status, 200);
  admin = await k.login(); // the list had ended the old admin session; later tests get a live one
});
