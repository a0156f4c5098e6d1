import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, visitorSocket } from './helpers/sockets.ts';

/** Routing rules by page, referrer, language and time (SPEC ASSIGN-RULES-4, ASSIGN-SCOPE-3 step 4). */
let k: TestKefu;
let admin: TestClient;
const groups: Record<string, number> = {};
const agents: Record<string, number> = {};

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  for (const name of ['售前', '海外']) groups[name] = (await admin.post('/api/groups', { name })).body.id;
  agents.ann = (await addAgent(admin, 'ann', { groupIds: [groups['售前']], permissions: ['conversation.accept'] })).id;
  agents.bob = (await addAgent(admin, 'bob', { groupIds: [groups['海外']], permissions: ['conversation.accept'] })).id;
});
test.after.always(() => k?.close());

const path = '/api/settings/routing-rules';
const rule = (name: string, group: string, conditions: object, enabled = true) => ({ name, enabled, groupId: groups[group], conditions });

async function save(rules: object[]) {
  const current = await admin.get(path);
  return admin.put(path, { version: current.body.version, settings: { rules } });
}

/** A visitor who opened `url` (coming from `referrer`) and asks for a chat: the scope the request got. */
async function requestFrom(url: string, opts: { referrer?: string; language?: string } = {}) {
  const v = await visitorSocket(k.url, k.company.publicId);
  await call(v.socket, 'page.view', { url, ...opts });
  const r = await call(v.socket, 'chat.request', {});
  v.socket.close();
  return r.conversation.groupId as number | null;
}

test.serial('ASSIGN-RULES-4: the first enabled rule whose conditions all hold scopes the request to its group', async (t) => {
  const saved = await save([
    rule('停用的规则', '海外', { page: { op: 'contains', value: '/pricing' } }, false),
    rule('价格页(中文)', '售前', { page: { op: 'startsWith', value: 'https://shop.example.com/pricing' }, languages: ['zh'] }),
    rule('谷歌来的', '海外', { referrerHost: 'google.com' }),
    rule('英文访客', '海外', { languages: ['en'] }),
  ]);
  t.is(saved.status, 200);
  t.is(saved.body.version, 1);
  t.is(saved.body.settings.rules[0].enabled, false);

  t.is(await requestFrom('https://shop.example.com/pricing/pro', { language: 'zh-CN' }), groups['售前'], 'page AND language');
  t.is(
    await requestFrom('https://shop.example.com/pricing/pro', { language: 'en-US', referrer: 'https://www.google.com/search?q=kefu' }),
    groups['海外'],
    'the language condition fails, the next rule (referrer host or subdomain) matches',
  );
  t.is(await requestFrom('https://shop.example.com/', { language: 'ja' }), null, 'no rule: the whole company');
});

test.serial('ASSIGN-RULES-4: a group chosen at the entry (group-icon entry, question type) comes before the rules (ASSIGN-SCOPE-3)', async (t) => {
  await save([rule('全部', '海外', {})]);
  t.is(await requestFrom('https://shop.example.com/'), groups['海外'], 'a rule without conditions matches everyone');
  const v = await visitorSocket(k.url, k.company.publicId);
  await call(v.socket, 'page.view', { url: 'https://shop.example.com/' });
  const r = await call(v.socket, 'chat.request', { groupId: groups['售前'] });
  v.socket.close();
  t.is(r.conversation.groupId, groups['售前']);
});

test.serial('ASSIGN-RULES-4: bad conditions answer 400 naming the rule and condition; more than 100 rules → 409 routing_rule_limit', async (t) => {
  const bad = await save([
    rule('ok', '售前', {}),
    rule('bad page', '售前', { page: { op: 'contains', value: 'x'.repeat(501) }, times: [{ days: [1], from: '18:00', to: '09:00' }] }),
    rule('bad host', '售前', { referrerHost: 'http://google.com/' }),
  ]);
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'validation_failed');
  t.deepEqual(
    bad.body.error.fields.map((f: any) => f.path),
    ['settings.rules.1.conditions.page.value', 'settings.rules.1.conditions.times.0.to', 'settings.rules.2.conditions.referrerHost'],
  );
  const noGroup = await save([{ name: 'gone', enabled: true, groupId: 999999, conditions: {} }]);
  t.is(noGroup.status, 400);
  t.deepEqual(noGroup.body.error.fields, [{ path: 'settings.rules.0.groupId', code: 'group_not_found', message: 'Rule "gone": no such group' }]);

  const many = await save(Array.from({ length: 101 }, (_, i) => rule(`r${i}`, '售前', {})));
  t.is(many.status, 409);
  t.is(many.body.error.code, 'routing_rule_limit');
  t.is((await save(Array.from({ length: 100 }, (_, i) => rule(`r${i}`, '售前', {})))).status, 200);

  const stale = await admin.put(path, { version: 0, settings: { rules: [] } });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'settings_changed');

  const ann = await signIn(k, 'ann');
  t.is((await ann.get(path)).status, 403);
});

test.serial(
  'ASSIGN-RULES-4: 测试 evaluates the saved rules for a sample visitor, with weekly windows in the company time zone, and lists who is eligible now',
  async (t) => {
    await save([
      rule('工作时间·广东', '售前', {
        regions: [{ country: '中国', province: '广东省' }],
        times: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }],
      }),
      rule('搜索退款', '海外', { keyword: '退款', visitorType: 'returning', channels: ['web'] }),
    ]);
    const ann = await signIn(k, 'ann');
    const socket = await agentSocket(k.url, ann);
    await call(socket, 'presence.set', { status: 'online' });

    // Monday 2026-12-07 10:00 in Asia/Shanghai is 02:00 UTC.
    const inHours = await admin.post(`${path}/test`, {
      region: { country: '中国', province: '广东省', city: '深圳市' },
      at: '2026-12-07T02:00:00Z',
    });
    t.is(inHours.status, 200);
    t.deepEqual(inHours.body.rule, { index: 0, name: '工作时间·广东' });
    t.deepEqual(inHours.body.scope, { kind: 'group', groupId: groups['售前'] });
    t.deepEqual(
      inHours.body.agents.map((a: any) => a.nickname),
      ['ann'],
    );

    const evening = await admin.post(`${path}/test`, { region: { country: '中国', province: '广东省' }, at: '2026-12-07T11:00:00Z' });
    t.is(evening.body.rule, null, '19:00 in Shanghai is outside the window');
    t.is(evening.body.scope.kind, 'company');

    const saturday = await admin.post(`${path}/test`, { region: { country: '中国', province: '广东省' }, at: '2026-12-12T02:00:00Z' });
    t.is(saturday.body.rule, null);

    t.deepEqual((await admin.post(`${path}/test`, { keyword: '如何退款', visitorType: 'returning' })).body.rule, { index: 1, name: '搜索退款' });
    t.is((await admin.post(`${path}/test`, { keyword: '如何退款', visitorType: 'new' })).body.rule, null);
    t.is((await admin.post(`${path}/test`, { keyword: '如何退款', visitorType: 'returning', channel: 'wechat' })).body.rule, null);
    socket.close();
  },
);
