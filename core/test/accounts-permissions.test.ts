import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, AGENT_PASSWORD, patchAgent, setPermissions, signIn, type CreatedAgent } from './helpers/accounts.ts';
import { pngBytes, upload } from './helpers/uploads.ts';

type Res = Awaited<ReturnType<TestClient['get']>>;

const DEFAULTS = ['conversation.accept', 'conversation.transfer', 'leavemsg.handle', 'profile.edit', 'visitor.invite', 'visitor.proactive'];

let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  // In-house feedback (FEEDBACK-LOCAL-6), so the admin-only state route has something to allow.
  k = await startTestServer({ KEFU_FEEDBACK_TO_ADMINS: 'true' });
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

let seq = 0;
const next = () => ++seq;

/**
 * One real call per permission-guarded core route, and the status it answers
 * when allowed. `target` is a plain agent (default permissions) the caller acts on.
 */
function guardedCalls(target: () => CreatedAgent): Record<string, { ok: number; call: (c: TestClient) => Promise<Res> }> {
  const version = async (path: string) => (await admin.get(path)).body.version;
  const throwawayAgent = async () => addAgent(admin, `tmp${next()}`);
  const throwawayGroup = async () => (await admin.post('/api/groups', { name: `Tmp ${next()}` })).body.id;
  const throwawayTemplate = async () => (await admin.post('/api/permission-templates', { name: `Tmp ${next()}`, permissions: [] })).body.id;
  const leaveMessage = async () =>
    (
      await k.server
        .db('leave_messages')
        .insert({ company_id: k.company.id, content: `m${next()}`, email: 'visitor@example.com' })
        .returning('id')
    )[0].id as number;
  const throwawayIcon = async () => (await admin.post('/api/icons', { name: `Tmp ${next()}`, type: 'float' })).body.id;
  return {
    'get /api/agents': { ok: 200, call: (c) => c.get('/api/agents') },
    'post /api/agents': { ok: 201, call: (c) => c.post('/api/agents', { agentId: `made${next()}`, name: 'Made', password: AGENT_PASSWORD }) },
    'get /api/agents/{id}': { ok: 200, call: (c) => c.get(`/api/agents/${target().id}`) },
    'get /api/agents/{id}/detail': { ok: 200, call: (c) => c.get(`/api/agents/${target().id}/detail`) },
    'patch /api/agents/{id}': {
      ok: 200,
      call: async (c) => c.patch(`/api/agents/${target().id}`, { version: await version(`/api/agents/${target().id}`), note: `n${next()}` }),
    },
    'post /api/agents/{id}/disable': { ok: 200, call: (c) => c.post(`/api/agents/${target().id}/disable`) },
    'post /api/agents/{id}/enable': { ok: 200, call: (c) => c.post(`/api/agents/${target().id}/enable`) },
    'delete /api/agents/{id}': {
      ok: 204,
      call: async (c) => {
        const a = await throwawayAgent();
        return c.del(`/api/agents/${a.id}?confirmAgentId=${a.agentId}`);
      },
    },
    'post /api/agents/{id}/password': { ok: 200, call: (c) => c.post(`/api/agents/${target().id}/password`, { password: `Reset-pass-${next()}x` }) },
    'post /api/agents/{id}/sessions/end': { ok: 200, call: (c) => c.post(`/api/agents/${target().id}/sessions/end`) },
    'post /api/agents/bulk': { ok: 200, call: (c) => c.post('/api/agents/bulk', { agentIds: [target().id], action: { kind: 'setMaxChats', maxChats: null } }) },
    'get /api/permission-templates': { ok: 200, call: (c) => c.get('/api/permission-templates') },
    'post /api/permission-templates': { ok: 201, call: (c) => c.post('/api/permission-templates', { name: `Tpl ${next()}`, permissions: [] }) },
    'patch /api/permission-templates/{id}': {
      ok: 200,
      call: async (c) => c.patch(`/api/permission-templates/${await throwawayTemplate()}`, { name: `Tpl ${next()}` }),
    },
    'delete /api/permission-templates/{id}': { ok: 204, call: async (c) => c.del(`/api/permission-templates/${await throwawayTemplate()}`) },
    'post /api/permission-templates/{id}/apply': {
      ok: 200,
      call: async (c) => c.post(`/api/permission-templates/${await throwawayTemplate()}/apply`, { agentIds: [target().id] }),
    },
    'post /api/permission-templates/{id}/reapply': { ok: 200, call: async (c) => c.post(`/api/permission-templates/${await throwawayTemplate()}/reapply`, {}) },
    'post /api/login-log/{id}/sign-out': {
      ok: 200,
      call: async (c) => {
        // A plain agent signed in, so there is a row still 在线中 to sign out.
        const a = await throwawayAgent();
        await signIn(k, a.agentId);
        const [row] = (await admin.get(`/api/login-log?agentId=${a.id}&result=success`)).body.items;
        return c.post(`/api/login-log/${row.id}/sign-out`);
      },
    },
    'post /api/groups': { ok: 201, call: (c) => c.post('/api/groups', { name: `Group ${next()}` }) },
    'patch /api/groups/{id}': { ok: 200, call: async (c) => c.patch(`/api/groups/${await throwawayGroup()}`, { description: 'changed' }) },
    'delete /api/groups/{id}': { ok: 204, call: async (c) => c.del(`/api/groups/${await throwawayGroup()}`) },
    'get /api/groups/{id}/detail': { ok: 200, call: async (c) => c.get(`/api/groups/${await throwawayGroup()}/detail`) },
    'get /api/login-log': { ok: 200, call: (c) => c.get('/api/login-log') },
    'get /api/settings/login-ip': { ok: 200, call: (c) => c.get('/api/settings/login-ip') },
    'put /api/settings/login-ip': {
      ok: 200,
      call: (c) => c.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '10.0.0.0/8', note: 'office' }] }),
    },
    'patch /api/company': { ok: 200, call: async (c) => c.patch('/api/company', { version: await version('/api/company'), contact: `Contact ${next()}` }) },
    'post /api/company/logo': {
      ok: 200,
      call: async (c) => upload(k.url, '/api/company/logo', { file: { bytes: await pngBytes(64, 64), name: 'logo.png' } }, c),
    },
    'delete /api/company/logo': { ok: 200, call: (c) => c.del('/api/company/logo') },
    'patch /api/profile': { ok: 200, call: (c) => c.patch('/api/profile', { nickname: `Nick${next()}` }) },
    'post /api/notices': { ok: 201, call: (c) => c.post('/api/notices', { title: `Notice ${next()}`, content: 'C', everyone: true }) },
    'post /api/notices/recipients/count': { ok: 200, call: (c) => c.post('/api/notices/recipients/count', { everyone: true }) },
    'post /api/notices/{id}/withdraw': {
      ok: 200,
      // The caller's own notice (publishers manage their own); denied, both calls answer 403 before looking at the id.
      call: async (c) => c.post(`/api/notices/${(await c.post('/api/notices', { title: 'Mine', content: 'C', everyone: true })).body?.id ?? 1}/withdraw`),
    },
    'get /api/blocks': { ok: 200, call: (c) => c.get('/api/blocks') },
    'post /api/blocks': { ok: 201, call: (c) => c.post('/api/blocks', { kind: 'chat', cidr: `198.51.100.${next()}` }) },
    'delete /api/blocks/{id}': {
      ok: 204,
      call: async (c) => c.del(`/api/blocks/${(await admin.post('/api/blocks', { kind: 'chat', cidr: `198.51.${next()}.1` })).body.items[0].id}`),
    },
    'post /api/visitors/{id}/block': {
      ok: 201,
      call: async (c) => {
        const [row] = await k.server
          .db('visitors')
          .insert({ company_id: k.company.id, number: 100000 + next(), channel: 'web' })
          .returning('id');
        return c.post(`/api/visitors/${row.id}/block`, { kind: 'chat' });
      },
    },
    'get /api/settings/widget': { ok: 200, call: (c) => c.get('/api/settings/widget') },
    'put /api/settings/widget': { ok: 200, call: async (c) => c.put('/api/settings/widget', { version: await version('/api/settings/widget'), settings: {} }) },
    'get /api/settings/mail': { ok: 200, call: (c) => c.get('/api/settings/mail') },
    'put /api/settings/mail': {
      ok: 200,
      call: async (c) => c.put('/api/settings/mail', { version: await version('/api/settings/mail'), forwardEnabled: false }),
    },
    'patch /api/leave-messages/{id}': {
      ok: 200,
      call: async (c) => {
        const [row] = await k.server
          .db('leave_messages')
          .insert({ company_id: k.company.id, content: `m${next()}` })
          .returning('id');
        return c.patch(`/api/leave-messages/${row.id}`, { note: 'seen' });
      },
    },
    'get /api/settings/assignment': { ok: 200, call: (c) => c.get('/api/settings/assignment') },
    'get /api/queue/dashboard': { ok: 200, call: (c) => c.get('/api/queue/dashboard') },
    // Allowed, it reaches the agent check: an unknown agent is 404.
    'post /api/queue/dispatch': { ok: 404, call: (c) => c.post('/api/queue/dispatch', { conversationId: 987654, agentId: 987654 }) },
    'put /api/settings/assignment': {
      ok: 200,
      call: async (c) => c.put('/api/settings/assignment', { version: await version('/api/settings/assignment'), settings: {} }),
    },
    'get /api/history/export': { ok: 200, call: (c) => c.get('/api/history/export?format=csv') },
    'put /api/history/settings': { ok: 200, call: (c) => c.put('/api/history/settings', { editableDays: 365 }) },
    'get /api/icons': { ok: 200, call: (c) => c.get('/api/icons') },
    'post /api/icons': { ok: 201, call: (c) => c.post('/api/icons', { name: `Icon ${next()}`, type: 'float' }) },
    'put /api/icons/{id}': { ok: 200, call: async (c) => c.put(`/api/icons/${await throwawayIcon()}`, { name: `Icon ${next()}`, type: 'text' }) },
    'delete /api/icons/{id}': { ok: 204, call: async (c) => c.del(`/api/icons/${await throwawayIcon()}`) },
    'post /api/icons/images': {
      ok: 201,
      call: async (c) => upload(k.url, '/api/icons/images', { file: { bytes: await pngBytes(64, 64), name: 'icon.png' } }, c),
    },
    'get /api/icons/styles/{style}': { ok: 200, call: (c) => c.get('/api/icons/styles/3') },
    'get /api/settings/tags': { ok: 200, call: (c) => c.get('/api/settings/tags') },
    'put /api/settings/tags': { ok: 200, call: async (c) => c.put('/api/settings/tags', { version: await version('/api/settings/tags'), settings: {} }) },
    'get /api/settings/region': { ok: 200, call: (c) => c.get('/api/settings/region') },
    'put /api/settings/region': { ok: 200, call: async (c) => c.put('/api/settings/region', { version: await version('/api/settings/region'), settings: {} }) },
    'get /api/settings/avatars': { ok: 200, call: (c) => c.get('/api/settings/avatars') },
    'put /api/settings/avatars': {
      ok: 200,
      call: async (c) => c.put('/api/settings/avatars', { version: await version('/api/settings/avatars'), settings: {} }),
    },
    'post /api/settings/avatars/images': {
      ok: 201,
      call: async (c) => upload(k.url, '/api/settings/avatars/images', { file: { bytes: await pngBytes(64, 64), name: 'a.png' } }, c),
    },
    'post /api/profile/avatar': {
      ok: 200,
      call: async (c) => upload(k.url, '/api/profile/avatar', { file: { bytes: await pngBytes(64, 64), name: 'a.png' } }, c),
    },
    'delete /api/profile/avatar': { ok: 200, call: (c) => c.del('/api/profile/avatar') },
    'get /api/settings/mobile': { ok: 200, call: (c) => c.get('/api/settings/mobile') },
    'put /api/settings/mobile': { ok: 200, call: async (c) => c.put('/api/settings/mobile', { version: await version('/api/settings/mobile'), settings: {} }) },
    'get /api/icons/{id}/chat-link': { ok: 200, call: async (c) => c.get(`/api/icons/${await throwawayIcon()}/chat-link`) },
    'get /api/settings/policies': { ok: 200, call: (c) => c.get('/api/settings/policies') },
    'put /api/settings/policies': {
      ok: 200,
      call: async (c) => c.put('/api/settings/policies', { version: await version('/api/settings/policies'), settings: {} }),
    },
    'post /api/settings/policies/push-secret': { ok: 200, call: (c) => c.post('/api/settings/policies/push-secret') },
    // No push URL is saved: the test push answers with the failure, which is still an allowed call.
    'post /api/settings/policies/push-test': { ok: 200, call: (c) => c.post('/api/settings/policies/push-test') },
    'get /api/policies/push-deliveries': { ok: 200, call: (c) => c.get('/api/policies/push-deliveries') },
    'post /api/policies/push-deliveries/{id}/resend': {
      ok: 202,
      call: async (c) => {
        const [row] = await k.server
          .db('policy_push_outbox')
          .insert({ company_id: k.company.id, event_id: `msg_${next()}`, type: 'push.test', body: JSON.stringify({}), status: 'failed' })
          .returning('id');
        return c.post(`/api/policies/push-deliveries/${row.id}/resend`);
      },
    },
    'post /api/topics': { ok: 201, call: (c) => c.post('/api/topics', { name: `Topic ${next()}` }) },
    'put /api/topics/order': {
      ok: 200,
      call: async (c) => c.put('/api/topics/order', { ids: (await admin.get('/api/topics')).body.items.map((i: { id: number }) => i.id) }),
    },
    'patch /api/topics/{id}': {
      ok: 200,
      call: async (c) => c.patch(`/api/topics/${(await admin.post('/api/topics', { name: `Topic ${next()}` })).body.id}`, { name: `Renamed ${next()}` }),
    },
    'delete /api/topics/{id}': {
      ok: 204,
      call: async (c) => c.del(`/api/topics/${(await admin.post('/api/topics', { name: `Topic ${next()}` })).body.id}`),
    },
    'get /api/login-log/export': { ok: 200, call: (c) => c.get('/api/login-log/export?format=csv') },
    'get /api/settings/login-log': { ok: 200, call: (c) => c.get('/api/settings/login-log') },
    'put /api/settings/login-log': { ok: 200, call: (c) => c.put('/api/settings/login-log', { retentionDays: 365 }) },
    'post /api/settings/widget/ad-image': {
      ok: 201,
      call: async (c) => upload(k.url, '/api/settings/widget/ad-image', { file: { bytes: await pngBytes(64, 64), name: 'ad.png' } }, c),
    },
    'post /api/settings/leave-message/types/replace': {
      ok: 200,
      call: (c) => c.post('/api/settings/leave-message/types/replace', { from: 'Unused', to: null }),
    },
    'post /api/settings/widget/logo': {
      ok: 201,
      call: async (c) => upload(k.url, '/api/settings/widget/logo', { file: { bytes: await pngBytes(64, 64), name: 'logo.png' } }, c),
    },
    'post /api/settings/widget/invite-image': {
      ok: 201,
      call: async (c) => upload(k.url, '/api/settings/widget/invite-image', { file: { bytes: await pngBytes(64, 64), name: 'bg.png' } }, c),
    },
    'get /api/leave-messages/export': { ok: 200, call: (c) => c.get('/api/leave-messages/export?format=csv') },
    'post /api/leave-messages/{id}/replying': { ok: 204, call: async (c) => c.post(`/api/leave-messages/${await leaveMessage()}/replying`, { active: true }) },
    // No mail server in this test: past the permission check the reply is refused for that reason alone.
    'post /api/leave-messages/{id}/replies': { ok: 409, call: async (c) => c.post(`/api/leave-messages/${await leaveMessage()}/replies`, { body: 'Thanks' }) },
    'get /api/settings/routing-rules': { ok: 200, call: (c) => c.get('/api/settings/routing-rules') },
    'put /api/settings/routing-rules': {
      ok: 200,
      call: async (c) => c.put('/api/settings/routing-rules', { version: await version('/api/settings/routing-rules'), settings: {} }),
    },
    'post /api/settings/routing-rules/test': { ok: 200, call: (c) => c.post('/api/settings/routing-rules/test', {}) },
    'get /api/settings/workbench': { ok: 200, call: (c) => c.get('/api/settings/workbench') },
    'put /api/settings/workbench': {
      ok: 200,
      call: async (c) => c.put('/api/settings/workbench', { version: await version('/api/settings/workbench'), settings: {} }),
    },
    'get /api/settings/visitor-list': { ok: 200, call: (c) => c.get('/api/settings/visitor-list') },
    'put /api/settings/visitor-list': {
      ok: 200,
      call: async (c) => c.put('/api/settings/visitor-list', { version: await version('/api/settings/visitor-list'), settings: {} }),
    },
    'get /api/settings/live-view': { ok: 200, call: (c) => c.get('/api/settings/live-view') },
    'put /api/settings/live-view': {
      ok: 200,
      call: async (c) => c.put('/api/settings/live-view', { version: await version('/api/settings/live-view'), settings: {} }),
    },
    'get /api/settings/workbench-chat': { ok: 200, call: (c) => c.get('/api/settings/workbench-chat') },
    'put /api/settings/workbench-chat': {
      ok: 200,
      call: async (c) => c.put('/api/settings/workbench-chat', { version: await version('/api/settings/workbench-chat'), settings: {} }),
    },
    'post /api/history/conversations/delete': { ok: 200, call: (c) => c.post('/api/history/conversations/delete', { ids: [987654321] }) },
    'get /api/billing': { ok: 200, call: (c) => c.get('/api/billing') },
    'put /api/feedback/{id}/state': {
      ok: 200,
      call: async (c) => {
        const item = await admin.post('/api/feedback', { type: 'problem', title: `Item ${next()}`, content: 'The list does not refresh' });
        return c.put(`/api/feedback/${item.body.id}/state`, { state: 'in_progress' });
      },
    },
    'get /api/plugins': { ok: 200, call: (c) => c.get('/api/plugins') },
    'post /api/plugins/{id}/enable': { ok: 200, call: (c) => c.post('/api/plugins/otp/enable', {}) },
    'post /api/plugins/{id}/disable': { ok: 200, call: (c) => c.post('/api/plugins/otp/disable') },
  };
}

test.serial('AGENT-PERMS-15 every permission-guarded core route answers 403 forbidden naming the permission, and works once it is granted', async (t) => {
  const doc = (await admin.get('/api/openapi.json')).body;
  const guarded = new Map<string, string>();
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths))
    for (const [method, op] of Object.entries<any>(ops))
      if (op['x-permission'] && !path.startsWith('/api/p/')) guarded.set(`${method} ${path}`, op['x-permission']);

  const probe = await addAgent(admin, 'probe');
  const target = await addAgent(admin, 'target');
  const calls = guardedCalls(() => target);
  t.deepEqual([...guarded.keys()].sort(), Object.keys(calls).sort(), 'this table covers every guarded core route');

  const s = await signIn(k, 'probe');
  const everything = (await admin.get('/api/permissions')).body.permissions.map((p: any) => p.name);
  for (const [key, permission] of guarded) {
    const { ok, call } = calls[key];
    if (permission === 'admin') {
      // No permission grants an admin-only ability (COMPANY-EDIT-3, AGENT-ROLE-9).
      await setPermissions(admin, probe.id, everything);
      const denied = await call(s);
      t.is(denied.status, 403, `${key} with every permission: ${denied.text}`);
      t.like(denied.body.error, { code: 'forbidden', permission: 'admin' }, key);
      t.is((await patchAgent(admin, probe.id, { role: 'admin' })).status, 200);
      const allowed = await call(s);
      t.is(allowed.status, ok, `${key} as admin: ${allowed.text}`);
      t.is((await patchAgent(admin, probe.id, { role: 'agent' })).status, 200);
    } else {
      await setPermissions(
        admin,
        probe.id,
        DEFAULTS.filter((p) => p !== permission),
      );
      const denied = await call(s);
      t.is(denied.status, 403, `${key} without ${permission}: ${denied.text}`);
      t.deepEqual(denied.body.error, { code: 'forbidden', message: `Missing permission: ${permission}`, permission }, key);
      // Granted while signed in: the very next request is allowed.
      await setPermissions(admin, probe.id, [...DEFAULTS, permission]);
      const allowed = await call(s);
      t.is(allowed.status, ok, `${key} with ${permission}: ${allowed.text}`);
    }
    if (key.includes('disable') && key.includes('agents')) await admin.post(`/api/agents/${target.id}/enable`);
  }
});

test.serial('AGENT-PERMS-15 permissions are checked on every request: a removed permission refuses the next call', async (t) => {
  const a = await addAgent(admin, 'reader', { permissions: [...DEFAULTS, 'loginlog.view'] });
  const cookie = await signIn(k, 'reader');
  const api = k.client();
  const login = await api.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'reader', password: AGENT_PASSWORD, client: 'api' });
  api.bearer = login.body.token;
  t.is((await cookie.get('/api/login-log')).status, 200);
  t.is((await api.get('/api/login-log')).status, 200);
  await setPermissions(admin, a.id, DEFAULTS);
  for (const c of [cookie, api]) {
    const r = await c.get('/api/login-log');
    t.is(r.status, 403);
    t.is(r.body.error.permission, 'loginlog.view');
  }
  t.deepEqual((await cookie.get('/api/auth/me')).body.agent.permissions, DEFAULTS, 'the session shows the current set');
});

test.serial('AGENT-PERMS-15 an unknown permission answers 400 validation_failed with unknown_permission', async (t) => {
  const a = await addAgent(admin, 'unknowns');
  const r = await patchAgent(admin, a.id, { permissions: ['conversation.accept', 'root.everything'] });
  t.is(r.status, 400, r.text);
  t.is(r.body.error.code, 'validation_failed');
  t.deepEqual(
    r.body.error.fields.map((f: any) => [f.path, f.code]),
    [['permissions', 'unknown_permission']],
  );
  const c = await admin.post('/api/agents', { agentId: 'unknowns2', name: 'U', password: AGENT_PASSWORD, permissions: ['root.everything'] });
  t.is(c.status, 400);
  t.is(c.body.error.fields[0].code, 'unknown_permission');
  t.deepEqual((await admin.get(`/api/agents/${a.id}`)).body.permissions, DEFAULTS);
});

test.serial('AGENT-PERMS-13 a granted permission carries the ones it includes (settings.manage → widget.code)', async (t) => {
  const a = await addAgent(admin, 'configurer', { permissions: ['settings.manage'] });
  t.deepEqual(a.permissions, ['settings.manage', 'widget.code']);
});

test.serial('AGENT-PERMS-16 an agents.manage holder cannot grant what it lacks, manage a stronger agent, or make admins', async (t) => {
  const managerPerms = [...DEFAULTS, 'agents.manage'];
  const m = await addAgent(admin, 'manager', { permissions: managerPerms });
  const weak = await addAgent(admin, 'weakling');
  const strong = await addAgent(admin, 'strongling', { permissions: [...DEFAULTS, 'loginlog.view'] });
  const boss = await addAgent(admin, 'boss', { role: 'admin' });
  const s = await signIn(k, 'manager');

  const expectForbidden = (r: Res, permission: string, what: string) => {
    t.is(r.status, 403, `${what}: ${r.text}`);
    t.is(r.body.error.code, 'forbidden', what);
    t.is(r.body.error.permission, permission, what);
  };

  // Create.
  expectForbidden(
    await s.post('/api/agents', { agentId: 'mint1', name: 'M', password: AGENT_PASSWORD, permissions: ['loginlog.view'] }),
    'loginlog.view',
    'create with a permission it lacks',
  );
  expectForbidden(await s.post('/api/agents', { agentId: 'mint2', name: 'M', password: AGENT_PASSWORD, role: 'admin' }), 'admin', 'create an admin');
  expectForbidden(
    await s.post('/api/agents', { agentId: 'mint3', name: 'M', password: AGENT_PASSWORD, permissions: ['settings.manage'] }),
    'settings.manage',
    'create with an including permission',
  );
  const fine = await s.post('/api/agents', { agentId: 'mint4', name: 'M', password: AGENT_PASSWORD, permissions: ['agents.manage', 'conversation.accept'] });
  t.is(fine.status, 201, 'granting what it holds is allowed');

  // Edit a weaker agent: only within its own set.
  expectForbidden(await patchAgent(s, weak.id, { permissions: [...DEFAULTS, 'loginlog.view'] }), 'loginlog.view', 'grant a permission it lacks');
  expectForbidden(await patchAgent(s, weak.id, { role: 'admin' }), 'admin', 'promote to admin');
  const ok = await patchAgent(s, weak.id, { permissions: ['conversation.accept', 'agents.manage'] });
  t.is(ok.status, 200, ok.text);

  // A stronger agent or an admin: no action at all.
  for (const [target, permission] of [
    [strong, 'loginlog.view'],
    [boss, 'admin'],
  ] as const) {
    expectForbidden(await patchAgent(s, target.id, { name: 'Renamed' }), permission, `edit ${target.agentId}`);
    expectForbidden(await s.post(`/api/agents/${target.id}/password`, { password: 'Taken-over-2026' }), permission, `reset ${target.agentId}`);
    expectForbidden(await s.post(`/api/agents/${target.id}/disable`), permission, `disable ${target.agentId}`);
    expectForbidden(await s.post(`/api/agents/${target.id}/sessions/end`), permission, `end sessions of ${target.agentId}`);
    expectForbidden(await s.del(`/api/agents/${target.id}?confirmAgentId=${target.agentId}`), permission, `delete ${target.agentId}`);
  }
  // Nor its own rights.
  const self = await patchAgent(s, m.id, { permissions: [...managerPerms, 'loginlog.view'] });
  t.is(self.status, 409);
  t.is(self.body.error.code, 'cannot_modify_self');

  // The stronger agents are untouched and can still sign in with their passwords.
  t.like((await admin.get(`/api/agents/${strong.id}`)).body, { name: 'strongling', disabled: false });
  t.like((await admin.get(`/api/agents/${boss.id}`)).body, { role: 'admin', disabled: false });
  await signIn(k, 'strongling');
  await signIn(k, 'boss');
  // And the manager itself gained nothing.
  t.deepEqual((await s.get('/api/auth/me')).body.agent.permissions.sort(), managerPerms.sort());
});

test.serial('AGENT-PERMS-16 a manager’s password reset cannot be used to reach a stronger account', async (t) => {
  await addAgent(admin, 'manager2', { permissions: [...DEFAULTS, 'agents.manage'] });
  const strong = await addAgent(admin, 'auditor', { permissions: [...DEFAULTS, 'loginlog.view'] });
  const s = await signIn(k, 'manager2');
  const r = await s.post(`/api/agents/${strong.id}/password`);
  t.is(r.status, 403);
  t.is(r.body.password, undefined);
  const login = await k.client().post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'auditor', password: AGENT_PASSWORD });
  t.is(login.status, 200, 'the old password still works: nothing was reset');
});

test.serial('PROFILE-PASSWORD-3 changing one’s password needs profile.edit: 403 forbidden naming it', async (t) => {
  await addAgent(admin, 'readonly', { permissions: ['conversation.accept'] });
  const s = await signIn(k, 'readonly');
  const r = await s.post('/api/profile/password', { currentPassword: AGENT_PASSWORD, newPassword: 'Another-pass-77' });
  t.is(r.status, 403, r.text);
  t.like(r.body.error, { code: 'forbidden', permission: 'profile.edit' });
  t.is((await s.get('/api/profile')).status, 200, 'viewing needs no permission');
  t.is((await s.get('/api/profile/sessions')).status, 200);
  t.is((await s.get('/api/groups')).status, 200, 'every agent sees group names');
});
