import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
let admin: TestClient;
const formEvents: any[] = [];

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  k.server.container.resolve(HookRegistry).addAction('visitor.formSubmitted', (p) => void formEvents.push(p), { owner: 'core' });
});
test.after.always(() => k?.close());

const put = async (c: TestClient, settings: unknown) =>
  c.put('/api/settings/widget', { version: (await c.get('/api/settings/widget')).body.version, settings });
const until = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms: number) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
};

test.serial('WINDOW-TEXT-1 STYLE-STORE-2 settings have defaults, round-trip and are versioned (409 settings_changed)', async (t) => {
  const first = await admin.get('/api/settings/widget');
  t.is(first.status, 200, first.text);
  t.is(first.body.version, 0);
  t.is(first.body.settings.texts.en.welcome, 'Hello and welcome! How can we help you today?');
  t.is(first.body.settings.texts['zh-CN'].offline, '当前没有客服在线,请稍后再来。');
  t.like(first.body.settings.prechat, { enabled: false });
  t.like(first.body.settings.leaveMessage, { enabled: true, externalUrl: null, requireContact: true });

  const saved = await admin.put('/api/settings/widget', {
    version: 0,
    settings: { texts: { en: { welcome: 'Hi there' } }, style: { themeColor: '#ff6600', position: 'bottom-left' }, invite: { auto: true, delaySeconds: 30 } },
  });
  t.is(saved.status, 200, saved.text);
  t.is(saved.body.version, 1);
  const again = (await admin.get('/api/settings/widget')).body;
  t.is(again.settings.texts.en.welcome, 'Hi there');
  t.is(again.settings.texts.en.closing, 'Thank you for chatting with us. Have a nice day!', 'other texts keep their defaults');
  t.like(again.settings.style, { themeColor: '#ff6600', position: 'bottom-left' });
  t.like(again.settings.invite, { auto: true });
  t.deepEqual(
    again.settings.invite.strategies.map((r: any) => r.conditions),
    [{ minSeconds: 30 }],
    'the former delaySeconds became the rule "time on site ≥ 30 s" (INVITE-STRATEGY-4)',
  );

  const stale = await admin.put('/api/settings/widget', { version: 0, settings: {} });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'settings_changed');
  t.is((await admin.get('/api/settings/widget')).body.settings.texts.en.welcome, 'Hi there', 'the stale save changed nothing');
  const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'settings.widget.update' });
  t.is(audit.length, 1);
});

test.serial('STYLE-STORE-2 invalid values get field-level errors with their paths', async (t) => {
  const r = await put(admin, {
    texts: { fr: { welcome: 'Bonjour' } },
    invite: { delaySeconds: -5 },
    style: { themeColor: 'red' },
    leaveMessage: { externalUrl: 'javascript:alert(1)', fields: { qq: { shown: false, required: true } } },
    prechat: { enabled: true, questionTypes: [] },
  });
  t.is(r.status, 400, r.text);
  t.is(r.body.error.code, 'validation_failed');
  const fields = Object.fromEntries(r.body.error.fields.map((f: any) => [f.path, f.code]));
  t.like(fields, {
    'settings.texts.fr': 'unknown_language',
    'settings.invite.delaySeconds': 'too_small',
    'settings.style.themeColor': 'invalid_color',
    'settings.leaveMessage.externalUrl': 'invalid_url',
    'settings.leaveMessage.fields.qq.required': 'required_field_hidden',
    'settings.prechat.questionTypes': 'question_types_required',
  });
  const badGroup = await put(admin, { prechat: { questionTypes: [{ id: 'x', label: { en: 'X' }, groupId: 999999 }] } });
  t.is(badGroup.status, 400);
  t.deepEqual(
    badGroup.body.error.fields.map((f: any) => [f.path, f.code]),
    [['settings.prechat.questionTypes.0.groupId', 'unknown_group']],
  );
});

test.serial('WINDOW-TEXT-1 TOOLBAR-BUSY-10 the widget config is public, shows only what a visitor may see, and is fresh within 5 s', async (t) => {
  const anon = k.client();
  const r = await anon.request('GET', `/api/widget/config?c=${k.company.publicId}`, undefined, { origin: 'https://shop.example' });
  t.is(r.status, 200, r.text);
  t.regex(r.headers.get('cache-control') ?? '', /max-age=5\b/);
  t.is(r.headers.get('access-control-allow-origin'), 'https://shop.example', 'callable from the customer’s site');
  t.is(r.body.companyId, k.company.publicId);
  t.is(r.body.online, false, 'nobody is signed in');
  t.is(r.body.texts.en.welcome, 'Hi there');
  t.is(r.body.leaveMessage.types, undefined, 'leave-message types are for agents');
  t.deepEqual(
    r.body.leaveMessage.fields.map((f: any) => f.key),
    ['name', 'mobile', 'email', 'content'],
  );
  t.is((await anon.get('/api/widget/config?c=99999999')).status, 404);
  t.is((await anon.get('/api/widget/config')).status, 400);

  // A save on this node applies at once; one made elsewhere (written straight to the table) within 5 s.
  await put(admin, { texts: { en: { welcome: 'Saved here' } } });
  t.is((await anon.get(`/api/widget/config?c=${k.company.publicId}`)).body.texts.en.welcome, 'Saved here');
  const start = Date.now();
  await k.server
    .db('widget_settings')
    .where({ company_id: k.company.id })
    .update({ settings: JSON.stringify({ texts: { en: { welcome: 'From another node' } } }) });
  const fresh = await until(
    () => anon.get(`/api/widget/config?c=${k.company.publicId}`),
    (x) => x.body.texts.en.welcome === 'From another node',
    6000,
  );
  t.is(fresh.body.texts.en.welcome, 'From another node');
  t.true(Date.now() - start <= 5500, `fresh after ${Date.now() - start} ms`);

  // An agent signing in turns `online` on within the cache time.
  const ann = await addAgent(admin, 'ann');
  const sock = await agentSocket(k.url, await signIn(k, ann.agentId));
  const online = await until(
    () => anon.get(`/api/widget/config?c=${k.company.publicId}`),
    (x) => x.body.online === true,
    6000,
  );
  t.true(online.body.online);
  t.false(online.body.busy);
  // TOOLBAR-BUSY-10: the only agent turns 忙碌: still reachable, but the window says busy.
  t.true((await call(sock, 'presence.set', { status: 'busy' })).ok);
  const busy = await until(
    () => anon.get(`/api/widget/config?c=${k.company.publicId}`),
    (x) => x.body.busy === true,
    6000,
  );
  t.true(busy.body.online, 'busy agents still take chats from the queue');
  sock.close();
});

test.serial('PRECHAT-STORE-8 PRECHAT-QTYPE-2 pre-chat answers are validated, stored on the visitor and route to the bound group', async (t) => {
  const v = await visitorSocket(k.url, k.company.publicId);
  const off = await call(v.socket, 'prechat.submit', { fields: { name: 'Li' } });
  t.is(off.error.code, 'prechat_disabled');

  const group = (await admin.post('/api/groups', { name: 'After-sales' })).body;
  const saved = await put(admin, {
    prechat: {
      enabled: true,
      fields: { email: { shown: true, required: true }, orderNumber: { shown: true } },
      questionTypes: [
        { id: 'refund', label: { 'zh-CN': '退款', en: 'Refund' }, groupId: group.id, order: 1 },
        { id: 'presales', label: { en: 'Before buying' }, order: 0 },
      ],
    },
  });
  t.is(saved.status, 200, saved.text);
  const config = (await k.client().get(`/api/widget/config?c=${k.company.publicId}`)).body;
  t.true(config.prechat.enabled);
  t.deepEqual(
    config.prechat.questionTypes.map((q: any) => q.id),
    ['presales', 'refund'],
    'ordered, without group bindings',
  );
  t.is(config.prechat.questionTypes[1].groupId, undefined);

  const bad = await call(v.socket, 'prechat.submit', { fields: { email: 'not-an-email', mobile: '12', questionType: 'nope', website: 'x' } });
  t.is(bad.error.code, 'validation_failed');
  t.deepEqual(Object.fromEntries(bad.error.fields.map((f: any) => [f.path, f.code])), {
    'fields.name': 'required',
    'fields.email': 'invalid_email',
    'fields.mobile': 'invalid_phone',
    'fields.questionType': 'unknown_question_type',
  });
  t.is(formEvents.length, 0);

  const ok = await call(v.socket, 'prechat.submit', {
    fields: { name: ' 李雷 ', email: 'li@example.com', mobile: '13800138000', questionType: 'refund', orderNumber: 'A-1001', website: 'ignored' },
  });
  t.true(ok.ok, JSON.stringify(ok));
  t.is(ok.groupId, group.id);
  t.is(ok.questionType, 'refund');
  const row = await k.server.db('visitors').where({ company_id: k.company.id, number: v.visitorNumber }).first();
  t.like(row, { name: '李雷', email: 'li@example.com', phone: '13800138000' });
  t.like(row.attributes.prechat, { questionType: 'refund', orderNumber: 'A-1001' });
  t.is(row.attributes.prechat.website, undefined, 'hidden items are dropped');
  t.is(formEvents.length, 1);
  t.like(formEvents[0], { visitorId: Number(row.id), source: 'prechat', questionType: 'refund' });

  const req = await call(v.socket, 'chat.request', { groupId: ok.groupId });
  t.true(req.ok, JSON.stringify(req));
  const conv = await k.server.db('conversations').where({ id: req.conversation.id }).first();
  t.is(Number(conv.group_id), group.id, 'the conversation is scoped to the question type’s group');
  v.socket.close();
});

test.serial(
  'PRECHAT-SWITCH-1 PRECHAT-WHEN-4 with the form on, a visitor-started chat needs a submission made for it; held chats and proactive chats do not',
  async (t) => {
    const agent = await agentSocket(k.url, admin);
    const prechat = (enabled: boolean) => put(admin, { prechat: { enabled, questionTypes: [{ id: 'sales', label: { en: 'Sales' }, order: 0 }] } });
    t.is((await prechat(false)).status, 200);
    const v = await visitorSocket(k.url, k.company.publicId);
    const free = await call(v.socket, 'chat.request', {});
    t.true(free.ok, 'off: no form is needed');
    await call(v.socket, 'chat.end', { conversationId: free.conversation.id });

    const on = await prechat(true);
    t.is(on.status, 200, on.text);
    const refused = await call(v.socket, 'chat.request', {});
    t.is(refused.error.code, 'prechat_required', 'an earlier chat’s answers do not open a new one');
    t.true((await call(v.socket, 'prechat.submit', { fields: { name: 'Wang', email: 'w@example.com', mobile: '13900001111' } })).ok);
    const first = await call(v.socket, 'chat.request', {});
    t.true(first.ok, JSON.stringify(first));
    const again = await call(v.socket, 'chat.request', {});
    t.is(again.conversation.id, first.conversation.id, 'the open (or held) chat comes back without the form');
    await call(v.socket, 'chat.end', { conversationId: first.conversation.id });
    t.is((await call(v.socket, 'chat.request', {})).error.code, 'prechat_required', 'the next chat asks again');

    // An agent's proactive chat never asks for the form (PRECHAT-WHEN-4).
    const fresh = await visitorSocket(k.url, k.company.publicId);
    await call(fresh.socket, 'page.view', { url: 'https://shop.example/' });
    t.is((await call(fresh.socket, 'chat.request', {})).error.code, 'prechat_required');
    const visitorId = Number((await k.server.db('visitors').where({ company_id: k.company.id, number: fresh.visitorNumber }).first('id')).id);
    const proactive = await call(agent, 'visitor.proactive', { visitorId, text: 'Can I help?' });
    t.falsy(proactive.error, JSON.stringify(proactive.error));
    t.is(proactive.conversation.status, 'active');
    for (const s of [agent, v.socket, fresh.socket]) s.close();
  },
);

test.serial('PRECHAT-FIELDS-3 the form’s items: a required item must be shown, at least one is shown, question type needs types', async (t) => {
  const fields = (f: object, extra: object = {}) => put(admin, { prechat: { fields: f, ...extra } });
  const codeOf = (r: any) => r.body.error.fields.map((f: any) => [f.path, f.code]);
  const hiddenRequired = await fields({ mobile: { shown: false, required: true } });
  t.is(hiddenRequired.status, 400);
  t.deepEqual(codeOf(hiddenRequired), [['settings.prechat.fields.mobile.required', 'required_field_hidden']]);
  const none = Object.fromEntries(['name', 'questionType', 'email', 'phone', 'mobile', 'company', 'title'].map((f) => [f, { shown: false, required: false }]));
  const empty = await fields(none);
  t.is(empty.status, 400);
  t.true(codeOf(empty).some(([, code]: string[]) => code === 'fields_required'));
  const noTypes = await fields({ questionType: { shown: true } }, { enabled: true, questionTypes: [] });
  t.true(codeOf(noTypes).some(([, code]: string[]) => code === 'question_types_required'));
  const config = (await k.client().get(`/api/widget/config?c=${k.company.publicId}`)).body;
  t.is(config.prechat.welcome.en, 'Please fill in your contact details so we can serve you better.');
  t.is(config.prechat.welcome['zh-CN'], '请填写您的联系方式,以便我们更好地为您服务。');
});

test.serial('STYLE-STORE-2 tenant isolation: another company has its own settings and config', async (t) => {
  const other = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
  const mine = (await otherAdmin.get('/api/settings/widget')).body;
  t.is(mine.version, 0);
  t.is(mine.settings.texts.en.welcome, 'Hello and welcome! How can we help you today?');
  t.is(mine.settings.prechat.questionTypes.length, 0);
  const cfg = (await k.client().get(`/api/widget/config?c=${other.publicId}`)).body;
  t.false(cfg.prechat.enabled);
  t.is((await put(otherAdmin, { texts: { en: { welcome: 'Other' } } })).status, 200);
  const ours = (await admin.get('/api/settings/widget')).body.settings;
  t.true(ours.prechat.enabled, 'our settings are untouched');
  t.is(ours.texts.en.welcome, 'Hello and welcome! How can we help you today?');
  const plain = await addAgent(admin, 'plain');
  const s = await signIn(k, plain.agentId);
  const denied = await s.get('/api/settings/widget');
  t.is(denied.status, 403);
  t.is(denied.body.error.permission, 'settings.manage');
});
