import test from 'ava';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, AGENT_PASSWORD, clientAt, loginBody, patchAgent, signIn } from './helpers/accounts.ts';

let k: TestKefu;
let admin: TestClient;
let primaryId: number;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  primaryId = (await admin.get('/api/auth/me')).body.agent.id;
});
test.after.always(async () => {
  await k?.close();
});

const paths = (r: { body: any }) => r.body.error.fields.map((f: any) => f.path).sort();

test.serial('AGENT-ADD-4 an agent is created with a generated password shown once, which signs in', async (t) => {
  const r = await admin.post('/api/agents', { agentId: 'Alice', name: 'Alice Liddell in Wonderland, a very long name' });
  t.is(r.status, 201, r.text);
  t.like(r.body, { agentId: 'Alice', role: 'agent', isPrimary: false, disabled: false, version: 1, maxChats: null, note: null });
  t.is(r.body.nickname, 'Alice Liddell in Won', 'the nickname defaults to the first 20 characters of the name');
  t.deepEqual(r.body.permissions, ['conversation.accept', 'conversation.transfer', 'leavemsg.handle', 'profile.edit', 'visitor.invite', 'visitor.proactive']);
  const pw = r.body.initialPassword;
  t.regex(pw, /^[A-Za-z0-9]{16}$/);
  t.regex(pw, /\d/);

  const again = await admin.get(`/api/agents/${r.body.id}`);
  t.is(again.status, 200);
  t.false('initialPassword' in again.body, 'the generated password is returned only once');
  t.false(JSON.stringify(again.body).includes(pw));
  const list = await admin.get('/api/agents?q=alice');
  t.is(list.body.total, 1);
  t.false(JSON.stringify(list.body).includes(pw));
  t.false(JSON.stringify(list.body).toLowerCase().includes('hash'), 'no password hash is ever returned');

  const login = await k.client().post('/api/auth/login', loginBody(k, 'alice', pw));
  t.is(login.status, 200, login.text);
  t.true(login.body.mustChangePassword, 'a password set by someone else must be changed (LOGIN-FIRSTPW-15 default)');
});

test.serial('AGENT-ADD-4 a taken agent ID, in any case, answers 409 agent_id_taken', async (t) => {
  for (const agentId of ['alice', 'ALICE', 'Admin']) {
    const r = await admin.post('/api/agents', { agentId, name: 'Copy', password: AGENT_PASSWORD });
    t.is(r.status, 409, agentId);
    t.is(r.body.error.code, 'agent_id_taken');
  }
});

test.serial('AGENT-ADD-4 a typed initial password follows the password rules', async (t) => {
  for (const password of ['short1', 'lettersonly', '1234567890', 'x1'.repeat(33), 'bob-is-Bob-123']) {
    const r = await admin.post('/api/agents', { agentId: 'bob', name: 'Bob', password });
    t.is(r.status, 400, password);
    t.is(r.body.error.code, 'validation_failed');
    t.deepEqual(
      r.body.error.fields.map((f: any) => [f.path, f.code]),
      [['password', 'password_weak']],
      password,
    );
  }
  t.is((await admin.get('/api/agents?q=bob')).body.total, 0, 'nothing was created');
  const ok = await admin.post('/api/agents', { agentId: 'bob', name: 'Bob', password: AGENT_PASSWORD });
  t.is(ok.status, 201);
  t.false('initialPassword' in ok.body, 'a typed password is not echoed');
});

test.serial('AGENT-FIELDS-3 invalid values answer 400 validation_failed naming each field', async (t) => {
  const r = await admin.post('/api/agents', {
    agentId: '-starts-with-dash',
    name: '   ',
    nickname: 'n'.repeat(21),
    email: 'not-an-email',
    phone: '1'.repeat(31),
    role: 'boss',
    groupIds: Array.from({ length: 21 }, (_, i) => i + 1),
    maxChats: 51,
    language: 'fr',
    note: 'x'.repeat(201),
    password: AGENT_PASSWORD,
  });
  t.is(r.status, 400, r.text);
  t.is(r.body.error.code, 'validation_failed');
  t.deepEqual(paths(r), ['agentId', 'email', 'groupIds', 'language', 'maxChats', 'name', 'nickname', 'note', 'phone', 'role']);

  for (const agentId of ['', 'a'.repeat(33), 'has space', 'ünicode', 'semi;colon']) {
    const bad = await admin.post('/api/agents', { agentId, name: 'X', password: AGENT_PASSWORD });
    t.is(bad.status, 400, agentId);
    t.deepEqual(paths(bad), ['agentId'], agentId);
  }
  const zero = await admin.post('/api/agents', { agentId: 'zero', name: 'Zero', maxChats: 0, password: AGENT_PASSWORD });
  t.deepEqual(paths(zero), ['maxChats']);
  const missing = await admin.post('/api/agents', { agentId: 'nameless', password: AGENT_PASSWORD });
  t.deepEqual(
    missing.body.error.fields.map((f: any) => [f.path, f.code]),
    [['name', 'required']],
  );

  // The longest valid ID and every allowed character.
  const id32 = 'A' + 'b'.repeat(27) + '_-.9';
  const ok = await admin.post('/api/agents', { agentId: id32, name: 'Edge', email: 'edge@example.com', maxChats: 50, password: AGENT_PASSWORD });
  t.is(ok.status, 201, ok.text);
  t.is(ok.body.agentId, id32);
});

test.serial('AGENT-EDIT-5 edits carry a version; a stale one answers 409 agent_changed with the current values', async (t) => {
  const a = await addAgent(admin, 'carol');
  const first = await admin.patch(`/api/agents/${a.id}`, { version: a.version, name: 'Carol C', nickname: 'CC', maxChats: 7, note: 'night shift' });
  t.is(first.status, 200, first.text);
  t.like(first.body, { name: 'Carol C', nickname: 'CC', maxChats: 7, note: 'night shift', version: a.version + 1 });

  const stale = await admin.patch(`/api/agents/${a.id}`, { version: a.version, name: 'Overwritten' });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'agent_changed');
  t.like(stale.body.error.current, { id: a.id, name: 'Carol C', version: a.version + 1 });
  t.is((await admin.get(`/api/agents/${a.id}`)).body.name, 'Carol C');

  const cleared = await admin.patch(`/api/agents/${a.id}`, { version: a.version + 1, note: null, maxChats: null });
  t.is(cleared.status, 200, cleared.text);
  t.like(cleared.body, { note: null, maxChats: null });
});

test.serial('AGENT-EDIT-5 the agent ID is read-only: field_read_only', async (t) => {
  const a = await addAgent(admin, 'dave');
  const r = await admin.patch(`/api/agents/${a.id}`, { version: a.version, agentId: 'david' });
  t.is(r.status, 400, r.text);
  t.is(r.body.error.code, 'validation_failed');
  t.deepEqual(
    r.body.error.fields.map((f: any) => [f.path, f.code]),
    [['agentId', 'field_read_only']],
  );
  const bad = await admin.patch(`/api/agents/${a.id}`, { version: a.version, email: 'nope', maxChats: 99 });
  t.is(bad.status, 400);
  t.deepEqual(paths(bad), ['email', 'maxChats']);
  t.is((await admin.get(`/api/agents/${a.id}`)).body.agentId, 'dave');
});

test.serial('AGENT-DISABLE-6 disabling ends the agent’s sessions at once; login then answers 403 agent_disabled', async (t) => {
  const a = await addAgent(admin, 'erin');
  const s1 = await signIn(k, 'erin');
  const s2 = await signIn(k, 'erin', AGENT_PASSWORD, { ip: '198.51.100.30' });
  t.is((await s1.get('/api/auth/me')).status, 200);
  const r = await admin.post(`/api/agents/${a.id}/disable`);
  t.is(r.status, 200, r.text);
  t.true(r.body.disabled);
  for (const s of [s1, s2]) {
    const me = await s.get('/api/auth/me');
    t.is(me.status, 401);
    t.is(me.body.error.code, 'unauthenticated');
  }
  const right = await k.client().post('/api/auth/login', loginBody(k, 'erin', AGENT_PASSWORD));
  t.is(right.status, 403);
  t.is(right.body.error.code, 'agent_disabled');
  const wrong = await k.client().post('/api/auth/login', loginBody(k, 'erin', 'Wrong-password-9'));
  t.is(wrong.status, 401);
  t.is(wrong.body.error.code, 'invalid_credentials');
  const list = await admin.get('/api/agents?status=disabled');
  t.true(list.body.items.some((x: any) => x.agentId === 'erin'));
  const log = (await admin.get(`/api/login-log?agentId=${a.id}&pageSize=100`)).body.items;
  t.true(log.some((e: any) => e.type === 'event' && e.reason === 'agent_disabled'));
  t.true(log.filter((e: any) => e.result === 'success').every((e: any) => e.logoutReason === 'agent_disabled'));
});

test.serial('AGENT-ENABLE-7 enabling restores the agent with role, groups and permissions; sign-in works at once', async (t) => {
  const g = await admin.post('/api/groups', { name: 'Night' });
  const a = await addAgent(admin, 'frank', { permissions: ['conversation.accept', 'loginlog.view'], groupIds: [g.body.id] });
  t.is((await admin.post(`/api/agents/${a.id}/disable`)).status, 200);
  const r = await admin.post(`/api/agents/${a.id}/enable`);
  t.is(r.status, 200, r.text);
  t.like(r.body, { disabled: false, role: 'agent' });
  t.deepEqual(r.body.permissions, ['conversation.accept', 'loginlog.view']);
  t.deepEqual(r.body.groups, [{ id: g.body.id, name: 'Night' }]);
  const s = await signIn(k, 'frank');
  t.is((await s.get('/api/login-log')).status, 200, 'the restored permission works');
});

test.serial('AGENT-DELETE-8 deleting needs the typed ID, ends sessions, and the ID stays reserved', async (t) => {
  const a = await addAgent(admin, 'Grace');
  const s = await signIn(k, 'grace');
  const mismatch = await admin.del(`/api/agents/${a.id}?confirmAgentId=grac`);
  t.is(mismatch.status, 409);
  t.is(mismatch.body.error.code, 'confirmation_mismatch');
  const missing = await admin.del(`/api/agents/${a.id}`);
  t.is(missing.status, 400);
  t.deepEqual(paths(missing), ['query.confirmAgentId']);

  const r = await admin.del(`/api/agents/${a.id}?confirmAgentId=GRACE`);
  t.is(r.status, 204, r.text);
  t.is((await s.get('/api/auth/me')).status, 401, 'the deleted agent’s session ended');
  const gone = await admin.get(`/api/agents/${a.id}`);
  t.is(gone.status, 404);
  t.is(gone.body.error.code, 'not_found');
  t.false((await admin.get('/api/agents?pageSize=100')).body.items.some((x: any) => x.id === a.id));
  t.is((await admin.del(`/api/agents/${a.id}?confirmAgentId=grace`)).status, 404, 'deleting twice');

  for (const agentId of ['grace', 'GRACE']) {
    const reuse = await admin.post('/api/agents', { agentId, name: 'New Grace', password: AGENT_PASSWORD });
    t.is(reuse.status, 409, agentId);
    t.is(reuse.body.error.code, 'agent_id_taken');
  }
  const login = await k.client().post('/api/auth/login', loginBody(k, 'grace', AGENT_PASSWORD));
  t.is(login.status, 401);
  t.is(login.body.error.code, 'invalid_credentials');
  // Log entries stay, attributed to the deleted agent.
  const log = (await admin.get(`/api/login-log?agentId=${a.id}&pageSize=100`)).body.items;
  t.true(log.some((e: any) => e.result === 'success'));
});

test.serial('AGENT-DELETE-8 deleting oneself answers 409 cannot_delete_self', async (t) => {
  const r = await admin.del(`/api/agents/${primaryId}?confirmAgentId=admin`);
  t.is(r.status, 409);
  t.is(r.body.error.code, 'cannot_delete_self');
  const other = await addAgent(admin, 'heidi', { role: 'admin' });
  const s = await signIn(k, 'heidi');
  const self = await s.del(`/api/agents/${other.id}?confirmAgentId=heidi`);
  t.is(self.status, 409);
  t.is(self.body.error.code, 'cannot_delete_self');
});

test.serial('AGENT-PRIMARY-10 the primary admin cannot be disabled, demoted or deleted (409 primary_admin_protected)', async (t) => {
  const ivan = await addAgent(admin, 'ivan', { role: 'admin' });
  const other = await signIn(k, 'ivan');
  const dis = await other.post(`/api/agents/${primaryId}/disable`);
  t.is(dis.status, 409, dis.text);
  t.is(dis.body.error.code, 'primary_admin_protected');
  const del = await other.del(`/api/agents/${primaryId}?confirmAgentId=admin`);
  t.is(del.status, 409);
  t.is(del.body.error.code, 'primary_admin_protected');
  const demote = await patchAgent(other, primaryId, { role: 'agent' });
  t.is(demote.status, 409, demote.text);
  t.is(demote.body.error.code, 'primary_admin_protected');

  // No other agent may edit it, reset its password or end its sessions.
  const edit = await patchAgent(other, primaryId, { name: 'Hijacked' });
  t.is(edit.status, 403);
  t.is(edit.body.error.code, 'forbidden');
  const reset = await other.post(`/api/agents/${primaryId}/password`, { password: 'Taken-over-2026' });
  t.is(reset.status, 403);
  const end = await other.post(`/api/agents/${primaryId}/sessions/end`);
  t.is(end.status, 403);

  const me = await admin.get('/api/auth/me');
  t.is(me.status, 200, 'the primary admin’s session is untouched');
  t.like(me.body.agent, { name: 'admin', role: 'admin', isPrimary: true });
  t.is((await k.client().post('/api/auth/login', loginBody(k, 'admin', ADMIN_PASSWORD))).status, 200);

  // The primary admin itself may edit its own details.
  const own = await patchAgent(admin, primaryId, { name: 'Primary Person' });
  t.is(own.status, 200, own.text);
  t.is((await admin.get(`/api/agents/${ivan.id}`)).status, 200);
});

test.serial('AGENT-ROLE-9 an admin’s permissions are fixed (409 admin_permissions_fixed); a demoted admin gets the default set', async (t) => {
  const judy = await addAgent(admin, 'judy', { role: 'admin' });
  t.deepEqual(judy.permissions, [], 'admins hold everything implicitly, no stored list');
  const fixed = await patchAgent(admin, judy.id, { permissions: ['loginlog.view'] });
  t.is(fixed.status, 409);
  t.is(fixed.body.error.code, 'admin_permissions_fixed');

  const s = await signIn(k, 'judy');
  const me = (await s.get('/api/auth/me')).body.agent;
  t.true(me.permissions.includes('settings.loginIp') && me.permissions.includes('agents.manage'), 'an admin holds every permission');

  const demoted = await patchAgent(admin, judy.id, { role: 'agent' });
  t.is(demoted.status, 200, demoted.text);
  t.is(demoted.body.role, 'agent');
  t.deepEqual(demoted.body.permissions, [
    'conversation.accept',
    'conversation.transfer',
    'leavemsg.handle',
    'profile.edit',
    'visitor.invite',
    'visitor.proactive',
  ]);
  const after = await s.get('/api/agents');
  t.is(after.status, 403, 'the demotion applies to the open session at once');

  const promoted = await patchAgent(admin, judy.id, { role: 'admin' });
  t.is(promoted.status, 200);
  t.is((await s.get('/api/agents')).status, 200);
});

test.serial('AGENT-ROLE-9 the company keeps an enabled admin: nobody changes their own role, and the primary stays an admin', async (t) => {
  // The last-admin rule (409 last_admin) cannot be reached through the API: the acting admin is itself an enabled
  // admin and may not demote, disable or delete itself, and the primary admin is protected. These are the guards.
  const selfDemote = await patchAgent(admin, primaryId, { role: 'agent' });
  t.is(selfDemote.status, 409);
  t.is(selfDemote.body.error.code, 'cannot_modify_self');
  const selfDisable = await admin.post(`/api/agents/${primaryId}/disable`);
  t.is(selfDisable.status, 409);
  t.is(selfDisable.body.error.code, 'cannot_modify_self');
  const admins = (await admin.get('/api/agents?role=admin&status=enabled&pageSize=100')).body.items;
  t.true(admins.some((a: any) => a.isPrimary));
});

test.serial('AGENT-EDIT-5 nobody changes their own role or permissions (409 cannot_modify_self)', async (t) => {
  const m = await addAgent(admin, 'mallory', { permissions: ['agents.manage', 'conversation.accept', 'profile.edit'] });
  const s = await signIn(k, 'mallory');
  const perms = await patchAgent(s, m.id, { permissions: ['conversation.accept'] });
  t.is(perms.status, 409, perms.text);
  t.is(perms.body.error.code, 'cannot_modify_self');
  const role = await patchAgent(s, m.id, { role: 'admin' });
  t.is(role.status, 409);
  t.is(role.body.error.code, 'cannot_modify_self');
  const adminSelf = await patchAgent(admin, primaryId, { permissions: [] });
  t.is(adminSelf.status, 409);
  t.is(adminSelf.body.error.code, 'cannot_modify_self');
  t.deepEqual((await admin.get(`/api/agents/${m.id}`)).body.permissions, ['agents.manage', 'conversation.accept', 'profile.edit']);
});

test.serial('AGENT-PASSWORD-11 a reset follows the password rules, ends the agent’s sessions and the new password signs in', async (t) => {
  const a = await addAgent(admin, 'kim');
  const s = await signIn(k, 'kim');
  for (const password of ['short1', 'no-digits-here', 'kim-Password-1']) {
    const weak = await admin.post(`/api/agents/${a.id}/password`, { password });
    t.is(weak.status, 400, password);
    t.deepEqual(
      weak.body.error.fields.map((f: any) => [f.path, f.code]),
      [['password', 'password_weak']],
    );
  }
  const same = await admin.post(`/api/agents/${a.id}/password`, { password: AGENT_PASSWORD });
  t.is(same.status, 400, 'the current password counts among the last three');
  t.deepEqual(
    same.body.error.fields.map((f: any) => [f.path, f.code]),
    [['password', 'password_reused']],
  );
  t.is((await s.get('/api/auth/me')).status, 200, 'refused resets end nothing');

  const r = await admin.post(`/api/agents/${a.id}/password`, { password: 'Fresh-start-2027' });
  t.is(r.status, 200, r.text);
  t.deepEqual(r.body, {}, 'a typed password is not echoed');
  t.is((await s.get('/api/auth/me')).status, 401, 'the reset ended the agent’s session');
  t.is((await k.client().post('/api/auth/login', loginBody(k, 'kim', AGENT_PASSWORD))).status, 401);
  const fresh = await k.client().post('/api/auth/login', loginBody(k, 'kim', 'Fresh-start-2027'));
  t.is(fresh.status, 200);
  t.true(fresh.body.mustChangePassword);

  const back = await admin.post(`/api/agents/${a.id}/password`, { password: AGENT_PASSWORD });
  t.is(back.status, 400, 'the previous password is still among the last three');
  t.is(back.body.error.fields[0].code, 'password_reused');

  const gen = await admin.post(`/api/agents/${a.id}/password`);
  t.is(gen.status, 200);
  t.regex(gen.body.password, /^[A-Za-z0-9]{16}$/);
  t.is((await k.client().post('/api/auth/login', loginBody(k, 'kim', gen.body.password))).status, 200);
  const log = (await admin.get(`/api/login-log?agentId=${a.id}&pageSize=100`)).body.items;
  t.is(log.filter((e: any) => e.type === 'event' && e.reason === 'password_reset').length, 2);
  t.false(JSON.stringify(log).includes('Fresh-start-2027'));
});

test.serial('AGENT-SESSIONS-20 ending an agent’s sessions signs them out everywhere', async (t) => {
  const a = await addAgent(admin, 'liam');
  const s1 = await signIn(k, 'liam');
  const s2 = await signIn(k, 'liam', AGENT_PASSWORD, { ip: '198.51.100.31' });
  const r = await admin.post(`/api/agents/${a.id}/sessions/end`);
  t.is(r.status, 200, r.text);
  t.is(r.body.ended, 2);
  t.is((await s1.get('/api/auth/me')).status, 401);
  t.is((await s2.get('/api/auth/me')).status, 401);
  t.is((await admin.get('/api/auth/me')).status, 200);
  const log = (await admin.get(`/api/login-log?agentId=${a.id}&pageSize=100`)).body.items;
  t.true(log.filter((e: any) => e.result === 'success').every((e: any) => e.logoutReason === 'ended_by_admin'));
});

test.serial('AGENT-LIST-1 the list filters by search, role and status and pages', async (t) => {
  const all = await admin.get('/api/agents?pageSize=100');
  t.is(all.status, 200);
  t.is(all.body.total, all.body.items.length);
  const page = await admin.get('/api/agents?pageSize=20&page=1');
  t.true(page.body.items.length <= 20);
  const bad = await admin.get('/api/agents?pageSize=7');
  t.is(bad.status, 400);
  t.deepEqual(paths(bad), ['query.pageSize']);
  const admins = await admin.get('/api/agents?role=admin');
  t.true(admins.body.items.every((a: any) => a.role === 'admin'));
  const anon = await clientAt(k, '127.0.0.1').get('/api/agents');
  t.is(anon.status, 401);
});

test.serial('AGENT-ADD-4 concurrent creations of one agent ID: one 201, the others 409 agent_id_taken, never 500', async (t) => {
  const results = await Promise.all(
    ['Racer', 'racer', 'RACER', 'racer'].map((agentId) => admin.post('/api/agents', { agentId, name: 'Racer', password: AGENT_PASSWORD })),
  );
  const statuses = results.map((r) => r.status).sort();
  t.deepEqual(statuses, [201, 409, 409, 409], results.map((r) => r.text).join('\n'));
  for (const r of results.filter((x) => x.status === 409)) t.is(r.body.error.code, 'agent_id_taken');
});
