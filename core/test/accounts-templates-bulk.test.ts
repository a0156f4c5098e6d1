import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { corePermissions } from '../src/accounts/permissions.ts';
import { addAgent, patchAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next } from './helpers/sockets.ts';

const DEFAULTS = ['conversation.accept', 'conversation.transfer', 'leavemsg.handle', 'profile.edit', 'visitor.invite', 'visitor.proactive'];
const LEAD_EXTRA = ['conversation.monitor', 'history.viewAll', 'leavemsg.viewAll', 'loginlog.view', 'notice.publish'];
const REVIEW_EXTRA = ['conversation.monitor', 'history.evaluate', 'history.export', 'history.viewAll'];
const sorted = (a: string[]) => [...a].sort();

let k: TestKefu;
let admin: TestClient;
const changes: { agentId: number; kind: string; by: number | null }[] = [];

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  k.server.container.resolve(HookRegistry).addAction('agent.changed', (p) => void changes.push(p));
});
test.after.always(async () => {
  await k?.close();
});

const templates = async () =>
  (await admin.get('/api/permission-templates')).body.items as { id: number; name: string; permissions: string[]; isDefault: boolean; agentCount: number }[];
const byName = async (name: string) => (await templates()).find((x) => x.name === name)!;

test.serial('AGENT-PERMS-14 core lists exactly the permissions of the table, with the new-agent defaults', async (t) => {
  const r = await admin.get('/api/permissions');
  t.is(r.status, 200);
  const names = r.body.permissions.filter((p: any) => !p.plugin).map((p: any) => p.name);
  // The table's core rows; phone.block and analytics.view appear only with the plugins that use them.
  for (const name of [
    'conversation.accept',
    'conversation.transfer',
    'conversation.monitor',
    'visitor.invite',
    'visitor.proactive',
    'visitor.block',
    'canned.manage',
    'links.manage',
    'topics.manage',
    'agents.manage',
    'groups.manage',
    'assign.manage',
    'loginlog.view',
    'notice.publish',
    'history.viewAll',
    'history.evaluate',
    'history.export',
    'history.delete',
    'leavemsg.viewAll',
    'leavemsg.handle',
    'leavemsg.export',
    'leavemsg.delete',
    'settings.manage',
    'widget.code',
    'settings.loginIp',
    'billing.view',
    'profile.edit',
    'privacy.manage',
  ])
    t.true(names.includes(name), name);
  const zh = Object.fromEntries(r.body.permissions.map((p: any) => [p.name, p.label['zh-CN']]));
  t.is(zh['agents.manage'], '查看其它客服列表(客服管理)');
  t.is(zh['history.evaluate'], '修改对话评估(二次评估)');
  t.deepEqual(r.body.permissions.find((p: any) => p.name === 'settings.manage').includes, ['widget.code'], 'settings.manage includes widget.code');
  t.deepEqual(sorted(corePermissions.filter((p) => p.newAgent).map((p) => p.name)), DEFAULTS);
  const plain = await addAgent(admin, 'perms14');
  t.deepEqual(plain.permissions, DEFAULTS, 'a new non-admin agent gets the "new agent" column');
});

test.serial('AGENT-TEMPLATE-18 a company starts with 普通客服 (default), 组长 and 质检 holding the documented sets', async (t) => {
  const list = await templates();
  t.deepEqual(
    list.map((x) => x.name),
    ['普通客服', '组长', '质检'],
  );
  t.deepEqual(list[0].permissions, DEFAULTS);
  t.true(list[0].isDefault);
  t.deepEqual(list[1].permissions, sorted([...DEFAULTS, ...LEAD_EXTRA]));
  t.deepEqual(list[2].permissions, sorted([...DEFAULTS, ...REVIEW_EXTRA]));
  t.false(list[1].isDefault || list[2].isDefault);
});

test.serial('AGENT-TEMPLATE-18 a new agent starts from the default template, or from the one chosen', async (t) => {
  const lead = await byName('组长');
  const chosen = await admin.post('/api/agents', {
    agentId: 'lead1',
    name: 'Lead',
    password: 'Quiet-river-42',
    mustChangePassword: false,
    templateId: lead.id,
  });
  t.is(chosen.status, 201, chosen.text);
  t.deepEqual(chosen.body.permissions, lead.permissions);

  const made = await admin.post('/api/permission-templates', { name: 'Night shift', permissions: ['conversation.accept', 'settings.manage'], isDefault: true });
  t.is(made.status, 201, made.text);
  t.deepEqual(made.body.permissions, ['conversation.accept', 'settings.manage', 'widget.code'], 'included permissions are added');
  const list = await templates();
  t.deepEqual(
    list.filter((x) => x.isDefault).map((x) => x.name),
    ['Night shift'],
    'the default moved',
  );
  const plain = await addAgent(admin, 'night1');
  t.deepEqual(plain.permissions, made.body.permissions, 'new agents start from the new default');
  t.is((await admin.post('/api/agents', { agentId: 'ghost1', name: 'G', templateId: 999999 })).status, 404);
  // Restore the original default for the tests that follow.
  t.is((await admin.patch(`/api/permission-templates/${list[0].id}`, { isDefault: true })).status, 200);
});

test.serial('AGENT-TEMPLATE-18 names are unique, at most 30 templates, the default cannot be deleted, input is validated', async (t) => {
  const dup = await admin.post('/api/permission-templates', { name: '组长', permissions: [] });
  t.is(dup.status, 409);
  t.is(dup.body.error.code, 'template_name_taken');
  const bad = await admin.post('/api/permission-templates', { name: '', permissions: ['no.such'] });
  t.is(bad.status, 400);
  t.deepEqual(
    bad.body.error.fields.map((f: any) => f.path),
    ['name'],
  );
  const unknown = await admin.post('/api/permission-templates', { name: 'Odd', permissions: ['no.such'] });
  t.is(unknown.status, 400);
  t.is(unknown.body.error.fields[0].code, 'unknown_permission');

  const def = (await templates()).find((x) => x.isDefault)!;
  const del = await admin.del(`/api/permission-templates/${def.id}`);
  t.is(del.status, 409);
  t.is(del.body.error.code, 'template_is_default');

  const have = (await templates()).length;
  for (let i = have; i < 30; i++) t.is((await admin.post('/api/permission-templates', { name: `T${i}`, permissions: [] })).status, 201);
  const over = await admin.post('/api/permission-templates', { name: 'T-over', permissions: [] });
  t.is(over.status, 409);
  t.is(over.body.error.code, 'template_limit');
  for (const x of (await templates()).filter((x) => /^T\d+$/.test(x.name))) t.is((await admin.del(`/api/permission-templates/${x.id}`)).status, 204);
});

test.serial('AGENT-TEMPLATE-18 applying replaces permissions; editing changes nobody until 重新应用, which reports first', async (t) => {
  const a = await addAgent(admin, 'tplA');
  const b = await addAgent(admin, 'tplB');
  const boss = (await admin.get('/api/auth/me')).body.agent;
  const tpl = (await admin.post('/api/permission-templates', { name: 'Reviewers', permissions: ['history.viewAll'] })).body;

  const applied = await admin.post(`/api/permission-templates/${tpl.id}/apply`, { agentIds: [a.id, b.id, boss.id] });
  t.is(applied.status, 200, applied.text);
  t.deepEqual(applied.body.results, [
    { id: a.id, result: 'ok' },
    { id: b.id, result: 'ok' },
    { id: boss.id, result: 'cannot_modify_self' },
  ]);
  t.is(applied.body.changed, 2);
  t.deepEqual((await admin.get(`/api/agents/${a.id}`)).body.permissions, ['history.viewAll']);
  t.is((await byName('Reviewers')).agentCount, 2);

  // B is then tuned by hand, so re-applying leaves it alone.
  t.is((await patchAgent(admin, b.id, { permissions: ['history.viewAll', 'history.export'] })).status, 200);
  t.is((await admin.patch(`/api/permission-templates/${tpl.id}`, { permissions: ['history.viewAll', 'leavemsg.viewAll'] })).status, 200);
  t.deepEqual((await admin.get(`/api/agents/${a.id}`)).body.permissions, ['history.viewAll'], 'editing the template changes no agent');

  const preview = await admin.post(`/api/permission-templates/${tpl.id}/reapply`, { dryRun: true });
  t.deepEqual(preview.body, { results: [{ id: a.id, result: 'ok' }], changed: 1 });
  t.deepEqual((await admin.get(`/api/agents/${a.id}`)).body.permissions, ['history.viewAll'], 'the report changes nothing');

  const done = await admin.post(`/api/permission-templates/${tpl.id}/reapply`, {});
  t.is(done.body.changed, 1);
  t.deepEqual((await admin.get(`/api/agents/${a.id}`)).body.permissions, ['history.viewAll', 'leavemsg.viewAll']);
  t.deepEqual((await admin.get(`/api/agents/${b.id}`)).body.permissions, ['history.export', 'history.viewAll'], 'the hand-tuned agent kept its set');
  t.is((await admin.post(`/api/permission-templates/${tpl.id}/reapply`, { dryRun: true })).body.changed, 0);

  const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'agent.applyTemplate', target: 'tplA' });
  t.is(audit.length, 2, 'every application is audited');
});

test.serial('AGENT-TEMPLATE-18 AGENT-PERMS-16 a non-admin manager cannot reach a permission through a template', async (t) => {
  const mgr = await addAgent(admin, 'tplmgr', { permissions: [...DEFAULTS, 'agents.manage'] });
  const victim = await addAgent(admin, 'tplvictim');
  const m = await signIn(k, mgr.agentId);
  const lead = await byName('组长');
  const own = await m.post('/api/permission-templates', { name: 'Sneaky', permissions: ['history.viewAll'] });
  t.is(own.status, 403);
  t.is(own.body.error.permission, 'history.viewAll');
  const apply = await m.post(`/api/permission-templates/${lead.id}/apply`, { agentIds: [victim.id] });
  t.is(apply.status, 200);
  t.deepEqual(apply.body.results, [{ id: victim.id, result: 'forbidden' }]);
  t.deepEqual((await admin.get(`/api/agents/${victim.id}`)).body.permissions, DEFAULTS);
  t.is((await m.patch(`/api/permission-templates/${lead.id}`, { name: 'Mine' })).status, 403);
  const fine = await m.post('/api/permission-templates', { name: 'Plain', permissions: ['conversation.accept'] });
  t.is(fine.status, 201, 'templates within their own permissions are allowed');
});

test.serial('AGENT-BULK-19 bulk actions report each agent’s result; a seat limit refuses only those beyond it', async (t) => {
  const g1 = (await admin.post('/api/groups', { name: 'Bulk one' })).body.id;
  const g2 = (await admin.post('/api/groups', { name: 'Bulk two' })).body.id;
  const [x, y, z] = [await addAgent(admin, 'bulkX', { groupIds: [g1] }), await addAgent(admin, 'bulkY'), await addAgent(admin, 'bulkZ')];
  const ids = [x.id, y.id, z.id];
  const bulk = (action: Record<string, unknown>, agentIds = ids) => admin.post('/api/agents/bulk', { agentIds, action });

  const add = await bulk({ kind: 'addGroups', groupIds: [g1, g2] });
  t.is(add.status, 200, add.text);
  t.deepEqual(
    add.body.results.map((r: any) => r.result),
    ['ok', 'ok', 'ok'],
  );
  t.deepEqual((await admin.get(`/api/agents/${y.id}`)).body.groups.map((g: any) => g.id).sort(), [g1, g2].sort());
  const rm = await bulk({ kind: 'removeGroups', groupIds: [g2] });
  t.deepEqual(
    rm.body.results.map((r: any) => r.result),
    ['ok', 'ok', 'ok'],
  );
  t.deepEqual(
    (await admin.get(`/api/agents/${z.id}`)).body.groups.map((g: any) => g.id),
    [g1],
  );

  const cap = await bulk({ kind: 'setMaxChats', maxChats: 12 });
  t.is(cap.body.changed, 3);
  t.is((await admin.get(`/api/agents/${x.id}`)).body.maxChats, 12);
  t.is((await bulk({ kind: 'setMaxChats', maxChats: 12 })).body.changed, 0, 'nothing to change is reported as unchanged');

  const tpl = await byName('质检');
  const applied = await bulk({ kind: 'applyTemplate', templateId: tpl.id }, [x.id, 999999]);
  t.deepEqual(applied.body.results, [
    { id: x.id, result: 'ok' },
    { id: 999999, result: 'not_found' },
  ]);
  t.deepEqual((await admin.get(`/api/agents/${x.id}`)).body.permissions, tpl.permissions);

  t.deepEqual(
    (await bulk({ kind: 'disable' })).body.results.map((r: any) => r.result),
    ['ok', 'ok', 'ok'],
  );
  // Room for one more enabled agent only: the first is enabled, the others get seat_limit_reached.
  const [{ count }] = await k.server.db('agents').where({ company_id: k.company.id }).whereNull('disabled_at').whereNull('deleted_at').count('* as count');
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ seats: Number(count) + 1 });
  try {
    const enabled = await bulk({ kind: 'enable' });
    t.deepEqual(enabled.body.results, [
      { id: x.id, result: 'ok' },
      { id: y.id, result: 'seat_limit_reached' },
      { id: z.id, result: 'seat_limit_reached' },
    ]);
  } finally {
    await k.server.db('companies').where({ id: k.company.id }).update({ seats: null });
  }

  const tooMany = await admin.post('/api/agents/bulk', { agentIds: Array.from({ length: 201 }, (_, i) => i + 1), action: { kind: 'disable' } });
  t.is(tooMany.status, 400);
  t.is(tooMany.body.error.fields[0].path, 'agentIds');
  const badCap = await bulk({ kind: 'setMaxChats', maxChats: 51 });
  t.is(badCap.status, 400);
  t.is(badCap.body.error.fields[0].path, 'action.maxChats');
});

test.serial('AGENT-MAXCHATS-12 the cap is 1–50 or company default (null), edited in the editor and shown on the profile', async (t) => {
  const a = await addAgent(admin, 'capper');
  t.is(a.maxChats, null, 'company default is the initial choice');
  for (const bad of [0, 51, 2.5]) {
    const r = await patchAgent(admin, a.id, { maxChats: bad });
    t.is(r.status, 400, `cap ${bad}`);
    t.deepEqual(
      r.body.error.fields.map((f: any) => f.path),
      ['maxChats'],
    );
  }
  t.is((await patchAgent(admin, a.id, { maxChats: 50 })).body.maxChats, 50);
  const own = await signIn(k, 'capper');
  t.like((await own.get('/api/profile')).body, { maxChats: 50, effectiveMaxChats: 50 }, 'the agent sees their cap on their profile');
  t.is((await patchAgent(admin, a.id, { maxChats: null })).body.maxChats, null);
  t.like((await own.get('/api/profile')).body, { maxChats: null, effectiveMaxChats: 5 }, 'following the company default (5)');
});

test.serial('PROFILE-VIEW-1 the profile lists groups, permissions, cap, created at and the latest sign-in with address and method', async (t) => {
  const g = (await admin.post('/api/groups', { name: 'Profile group' })).body.id;
  await addAgent(admin, 'viewer1', { groupIds: [g] });
  const own = await signIn(k, 'viewer1');
  const p = (await own.get('/api/profile')).body;
  t.like(p, { agentId: 'viewer1', role: 'agent', permissions: DEFAULTS, groups: [{ id: g, name: 'Profile group' }], effectiveMaxChats: 5 });
  t.true(Date.now() - Date.parse(p.createdAt) < 60_000);
  t.is(p.lastLogin.ip, '127.0.0.1');
  t.is(p.lastLogin.method, 'web');
  t.true(Date.now() - Date.parse(p.lastLogin.at) < 60_000);
});

test.serial('AGENT-EVENTS-21 every change reaches open consoles and the agent.changed hook, and is audited without passwords', async (t) => {
  const watcher = await addAgent(admin, 'watcher');
  const s = await agentSocket(k.url, await signIn(k, 'watcher'));
  try {
    const me = (await admin.get('/api/auth/me')).body.agent.id;
    changes.length = 0;
    const created = next(s, 'agents.changed', (m) => m.kind === 'created');
    const made = await admin.post('/api/agents', { agentId: 'evt1', name: 'Evt', password: 'Quiet-river-42', mustChangePassword: false });
    t.deepEqual(await created, { agentId: made.body.id, kind: 'created' });
    const id = made.body.id;
    const steps: [string, () => Promise<unknown>][] = [
      ['updated', () => patchAgent(admin, id, { note: 'hello' })],
      ['permissionsChanged', () => patchAgent(admin, id, { permissions: ['conversation.accept'] })],
      ['disabled', () => admin.post(`/api/agents/${id}/disable`)],
      ['enabled', () => admin.post(`/api/agents/${id}/enable`)],
      ['deleted', () => admin.del(`/api/agents/${id}?confirmAgentId=evt1`)],
    ];
    for (const [kind, act] of steps) {
      const seen = next(s, 'agents.changed', (m) => m.agentId === id && m.kind === kind);
      await act();
      t.deepEqual(await seen, { agentId: id, kind }, kind);
    }
    t.deepEqual(
      changes.filter((c) => c.agentId === id),
      ['created', 'updated', 'permissionsChanged', 'disabled', 'enabled', 'deleted'].map((kind) => ({ agentId: id, kind, by: me })),
    );
    const audit = await k.server.db('audit_log').where({ company_id: k.company.id, target: 'evt1' }).orderBy('id');
    t.deepEqual(
      audit.map((r) => r.action),
      ['agent.create', 'agent.update', 'agent.update', 'agent.disable', 'agent.enable', 'agent.delete'],
    );
    t.false(JSON.stringify(audit).includes('Quiet-river-42'), 'no password value in the audit log');
    const edit = audit[1];
    t.like(typeof edit.old_value === 'string' ? JSON.parse(edit.old_value) : edit.old_value, { note: null });
    t.like(typeof edit.new_value === 'string' ? JSON.parse(edit.new_value) : edit.new_value, { note: 'hello' });
    void watcher;
  } finally {
    s.disconnect();
  }
});

test.serial(
  'AGENT-DETAIL-2 the detail has the agent, live status, load, today’s accepted chats, active sessions and the last 10 login-log entries',
  async (t) => {
    const a = await addAgent(admin, 'detail1');
    for (let i = 0; i < 11; i++) await signIn(k, 'detail1');
    const s = await agentSocket(k.url, await signIn(k, 'detail1'));
    try {
      // The console's presence is recorded just after its socket connects: read the detail once it is.
      let d = (await admin.get(`/api/agents/${a.id}/detail`)).body;
      for (const end = Date.now() + 5000; d.status !== 'online' && Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
        d = (await admin.get(`/api/agents/${a.id}/detail`)).body;
      t.is(d.agent.agentId, 'detail1');
      t.is(d.status, 'online', 'a connected console with conversation.accept is online');
      t.like(d, { load: 0, acceptedToday: 0 });
      t.true((await call(s, 'presence.set', { status: 'busy' })).ok);
      const busy = (await admin.get(`/api/agents/${a.id}/detail`)).body;
      t.is(busy.status, 'busy');
      t.true(Date.now() - Date.parse(busy.statusSince) < 60_000, 'since when');
      t.is(d.sessions.length, 10, '12 logins, of which the 10 newest stay open (LOGIN-MULTI-8 allows 10 at a time)');
      t.is(d.loginLog.length, 10, 'the last 10 entries only');
      t.like(d.loginLog[0], { result: 'success', ip: '127.0.0.1', method: 'web' });
      t.is((await admin.get('/api/agents/999999/detail')).status, 404);
    } finally {
      s.disconnect();
    }
  },
);
