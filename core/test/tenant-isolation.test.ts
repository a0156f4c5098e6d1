import test from 'ava';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestCompany, type TestKefu } from '@kefu/core/testing';
import { addAgent, AGENT_PASSWORD, clientAt, type CreatedAgent } from './helpers/accounts.ts';

let k: TestKefu;
let b: TestCompany;
let adminA: TestClient;
let adminB: TestClient;
let bob: CreatedAgent;
let bobSession: TestClient;
let primaryB: number;
let groupB: number;

test.before(async () => {
  k = await startTestServer();
  b = await k.createCompany('Beta');
  adminA = await k.login();
  adminB = await k.login('admin', ADMIN_PASSWORD, b.publicId);
  primaryB = (await adminB.get('/api/auth/me')).body.agent.id;
  groupB = (await adminB.post('/api/groups', { name: 'Beta secret group', description: 'only for Beta' })).body.id;
  bob = await addAgent(adminB, 'bob', { groupIds: [groupB], name: 'Bob of Beta' });
  bobSession = await k.login('bob', AGENT_PASSWORD, b.publicId);
  // Something in B's login log and login IP list.
  await clientAt(k, '198.51.100.99').post('/api/auth/login', { companyId: String(b.publicId), agentId: 'bob', password: 'Wrong-password-1' });
  const ip = await adminB.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '203.0.113.0/24', note: 'Beta office' }] });
  if (ip.status !== 200) throw new Error(ip.text);
});
test.after.always(async () => {
  await k?.close();
});

const isNotFound = (t: any, r: { status: number; body: any; text: string }, what: string) => {
  t.is(r.status, 404, `${what}: ${r.text}`);
  t.is(r.body?.error?.code, 'not_found', what);
  t.false(r.text.includes('bob') || r.text.includes('Beta'), `${what} leaks nothing of B`);
};

test.serial('COMPANY-ID-4 two companies on one server get their own company IDs', async (t) => {
  t.is(k.company.publicId, 10001);
  t.is(b.publicId, 10002);
  t.is((await adminA.get('/api/company')).body.name, 'Acme');
  t.is((await adminB.get('/api/company')).body.name, 'Beta');
});

test.serial('AGENT-PERMS-15 company A’s admin cannot read, change, disable, delete, reset or sign out company B’s agents (404 not_found)', async (t) => {
  for (const id of [bob.id, primaryB]) {
    const version = (await adminB.get(`/api/agents/${id}`)).body.version;
    isNotFound(t, await adminA.get(`/api/agents/${id}`), `read ${id}`);
    isNotFound(t, await adminA.patch(`/api/agents/${id}`, { version, name: 'Pwned' }), `edit ${id}`);
    isNotFound(t, await adminA.post(`/api/agents/${id}/disable`), `disable ${id}`);
    isNotFound(t, await adminA.post(`/api/agents/${id}/enable`), `enable ${id}`);
    isNotFound(t, await adminA.post(`/api/agents/${id}/password`, { password: 'Taken-over-2026' }), `reset ${id}`);
    isNotFound(t, await adminA.post(`/api/agents/${id}/password`), `generated reset ${id}`);
    isNotFound(t, await adminA.post(`/api/agents/${id}/sessions/end`), `end sessions ${id}`);
    isNotFound(t, await adminA.del(`/api/agents/${id}?confirmAgentId=bob`), `delete ${id}`);
  }
  const list = await adminA.get('/api/agents?pageSize=100');
  t.false(list.body.items.some((a: any) => a.id === bob.id || a.id === primaryB));
  t.is((await adminA.get('/api/agents?q=bob')).body.total, 0);

  // B's agent is untouched and still signed in, with the same password.
  t.is((await bobSession.get('/api/auth/me')).status, 200);
  t.like((await adminB.get(`/api/agents/${bob.id}`)).body, { name: 'Bob of Beta', disabled: false, version: bob.version });
  t.is((await k.client().post('/api/auth/login', { companyId: String(b.publicId), agentId: 'bob', password: AGENT_PASSWORD })).status, 200);
});

test.serial('GROUP-ADD-3 company A sees none of B’s groups and cannot change them or use them', async (t) => {
  const list = await adminA.get('/api/groups');
  t.is(list.status, 200);
  t.false(list.text.includes('Beta'));
  isNotFound(t, await adminA.patch(`/api/groups/${groupB}`, { name: 'Renamed by A' }), 'edit B group');
  isNotFound(t, await adminA.del(`/api/groups/${groupB}`), 'delete B group');
  // Nor put B's agent into A's group, or A's agent into B's group.
  isNotFound(t, await adminA.post('/api/groups', { name: 'Poach', memberIds: [bob.id] }), 'group with B member');
  t.false((await adminA.get('/api/groups')).text.includes('Poach'), 'nothing was created');
  isNotFound(t, await adminA.post('/api/agents', { agentId: 'spy', name: 'Spy', password: AGENT_PASSWORD, groupIds: [groupB] }), 'agent in B group');
  t.is((await adminA.get('/api/agents?q=spy')).body.total, 0, 'nothing was created');
  const groupsB = (await adminB.get('/api/groups')).body.items;
  t.deepEqual(groupsB, [
    {
      id: groupB,
      name: 'Beta secret group',
      description: 'only for Beta',
      memberIds: [bob.id],
      overflow: { target: 'leave_message', groupId: null, waitSeconds: 60 },
      live: { state: 'offline', onDuty: 0, waiting: 0 },
    },
  ]);
});

test.serial('LOGINLOG-SCOPE-6 company A’s login log holds no entry of company B', async (t) => {
  const logA = await adminA.get('/api/login-log?pageSize=100');
  t.is(logA.status, 200);
  t.true(logA.body.total > 0);
  t.false(logA.body.items.some((e: any) => e.agentId === 'bob' || e.ip === '198.51.100.99'));
  const filtered = await adminA.get(`/api/login-log?agentId=${bob.id}`);
  t.is(filtered.body.total, 0, 'filtering by B’s agent shows nothing');
  const logB = (await adminB.get('/api/login-log?pageSize=100')).body.items;
  t.true(logB.some((e: any) => e.agentId === 'bob' && e.reason === 'wrong_password'));
});

test.serial('LOGINIP-LIST-1 company A reads and saves only its own login IP list', async (t) => {
  const a = await adminA.get('/api/settings/login-ip');
  t.is(a.status, 200);
  t.deepEqual(a.body.entries, []);
  t.false(a.body.enabled);
  const saved = await adminA.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '192.0.2.0/24' }] });
  t.is(saved.status, 200, saved.text);
  const bList = (await adminB.get('/api/settings/login-ip')).body;
  t.deepEqual(
    bList.entries.map((e: any) => [e.cidr, e.note]),
    [['203.0.113.0/24', 'Beta office']],
  );
});

test.serial('COMPANY-EDIT-3 company A’s save changes only company A', async (t) => {
  const before = (await adminB.get('/api/company')).body;
  const v = (await adminA.get('/api/company')).body.version;
  t.is((await adminA.patch('/api/company', { version: v, name: 'Acme Renamed' })).status, 200);
  t.deepEqual((await adminB.get('/api/company')).body, before);
});

test.serial('LOGIN-ERRORS-4 company A’s ID with company B’s agent ID and password fails like any wrong login', async (t) => {
  const c = clientAt(k, '198.51.100.98');
  const cross = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'bob', password: AGENT_PASSWORD });
  const unknown = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'nobody-at-all', password: AGENT_PASSWORD });
  t.is(cross.status, 401);
  t.is(cross.text, unknown.text);
  // And B's session cannot reach A's records either.
  const aAgents = (await adminA.get('/api/agents')).body.items;
  const r = await bobSession.get(`/api/agents/${aAgents[0].id}`);
  t.is(r.status, 403, 'bob lacks agents.manage: refused before any lookup');
  const asAdminB = await adminB.get(`/api/agents/${aAgents[0].id}`);
  t.is(asAdminB.status, 404);
});

test.serial('PROFILE-SESSIONS-5 an agent cannot end a session of another company', async (t) => {
  const sessionsB = (await bobSession.get('/api/profile/sessions')).body.items;
  const r = await adminA.post(`/api/profile/sessions/${sessionsB[0].id}/end`);
  t.is(r.status, 404, r.text);
  t.is((await bobSession.get('/api/auth/me')).status, 200);
});
