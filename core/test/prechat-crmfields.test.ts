import path from 'node:path';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { call, visitorSocket } from './helpers/sockets.ts';

/** Plugins' items in the pre-chat form through the `widget.config` filter (PRECHAT-CRMFIELDS-6), with a test CRM plugin. */
let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer({ KEFU_PLUGINS_DIR: path.join(import.meta.dirname, 'fixtures', 'prechat-plugins') });
  admin = await k.login();
  const current = (await admin.get('/api/settings/widget')).body;
  const r = await admin.put('/api/settings/widget', {
    version: current.version,
    settings: { prechat: { enabled: true, fields: { questionType: { shown: false } } } },
  });
  if (r.status !== 200) throw new Error(r.text);
});
test.after.always(() => k?.close());

const config = async () => (await k.client().get(`/api/widget/config?c=${k.company.publicId}`)).body.prechat.fields;
/** The public config is cached up to 5 s per node; enabling a plugin shows within that. */
const until = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean) => {
  for (const end = Date.now() + 7000; ; await new Promise((r) => setTimeout(r, 250))) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
  }
};

const ORDER = { key: 'crm_order', label: { 'zh-CN': '订单', en: 'Order' }, type: 'text', required: true };
const LEVEL = { key: 'crm_level', label: { 'zh-CN': '会员等级', en: 'Membership' }, type: 'choice', required: false, options: ['金卡', '银卡'] };

test.serial('PRECHAT-CRMFIELDS-6 an enabled plugin adds items after the standard ones and renames standard labels; disabled, they go', async (t) => {
  const before = await config();
  t.false(
    before.some((f: any) => f.key.startsWith('crm_')),
    'nothing added without the plugin',
  );
  t.is((await admin.post('/api/plugins/testcrm/enable', {})).status, 200);
  const saved = await admin.put('/api/p/testcrm/prechat', {
    fields: [ORDER, LEVEL],
    labels: { name: { 'zh-CN': '联系人', en: 'Contact' }, crm_order: { en: 'x' } },
  });
  t.is(saved.status, 200, saved.text);

  const fields = await until(config, (f) => f.some((x: any) => x.key === 'crm_order'));
  t.deepEqual(fields.slice(-2), [ORDER, LEVEL], 'after the standard items, with their labels, types and options');
  t.deepEqual(
    fields.slice(0, -2).map((f: any) => f.key),
    before.map((f: any) => f.key),
  );
  t.deepEqual(fields.find((f: any) => f.key === 'name').label, { 'zh-CN': '联系人', en: 'Contact' }, 'a renamed standard label');
  t.is(fields.find((f: any) => f.key === 'email').label, undefined, 'the others keep the window’s own');

  await admin.post('/api/plugins/testcrm/disable', {});
  const off = await until(config, (f) => !f.some((x: any) => x.key.startsWith('crm_')));
  t.false(off.some((x: any) => x.key.startsWith('crm_')));
  t.is(off.find((f: any) => f.key === 'name').label, undefined);
  await admin.post('/api/plugins/testcrm/enable', {});
});

test.serial('PRECHAT-CRMFIELDS-6 at most 5 items: a 6th is refused with prechat_field_limit; bad items never reach the form', async (t) => {
  const six = Array.from({ length: 6 }, (_, i) => ({ ...ORDER, key: `crm_f${i}`, required: false }));
  const r = await admin.put('/api/p/testcrm/prechat', { fields: six });
  t.is(r.status, 409);
  t.is(r.body.error.code, 'prechat_field_limit');

  const bad = [
    { ...ORDER, key: 'email' },
    { ...LEVEL, options: undefined },
    { ...ORDER, label: { en: 'far too long a label for it' } },
    { ...ORDER, key: 'crm_ok', required: false },
  ];
  t.is((await admin.put('/api/p/testcrm/prechat', { fields: bad })).status, 200);
  const fields = await until(config, (f) => f.some((x: any) => x.key === 'crm_ok'));
  t.deepEqual(
    fields.filter((f: any) => f.key.startsWith('crm_') || f.label).map((f: any) => f.key),
    ['crm_ok'],
    'a standard key, a choice without options and a long label are left out',
  );
  t.is(fields.filter((f: any) => f.key === 'email').length, 1);
});

test.serial('PRECHAT-CRMFIELDS-6 submitted values of the added items are checked and passed to the plugin', async (t) => {
  t.is((await admin.put('/api/p/testcrm/prechat', { fields: [ORDER, LEVEL] })).status, 200);
  await until(config, (f) => f.some((x: any) => x.key === 'crm_level'));
  const v = await visitorSocket(k.url, k.company.publicId);
  t.teardown(() => v.socket.close());

  const missing = await call(v.socket, 'prechat.submit', { fields: { name: 'Li', mobile: '13800138000', crm_level: '铜卡' } });
  t.is(missing.error.code, 'validation_failed');
  t.deepEqual(
    missing.error.fields.map((f: any) => [f.path, f.code]),
    [
      ['fields.crm_order', 'required'],
      ['fields.crm_level', 'invalid_choice'],
    ],
  );
  const ok = await call(v.socket, 'prechat.submit', { fields: { name: 'Li', mobile: '13800138000', crm_order: 'A-1001', crm_level: '金卡' } });
  t.true(ok.ok, JSON.stringify(ok));
  t.deepEqual((await admin.get('/api/p/testcrm/received')).body.items, [{ crm_order: 'A-1001', crm_level: '金卡' }]);
  const row = await k.server.db('visitors').where({ company_id: k.company.id }).orderBy('id', 'desc').first('attributes');
  t.is(row.attributes.prechat.crm_order, undefined, 'kept by the plugin, not on the visitor');
});
