import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';

let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(() => k?.close());

const save = async (c: TestClient, settings: Record<string, unknown>) => {
  const version = (await c.get('/api/settings/policies')).body.version;
  return c.put('/api/settings/policies', { version, settings });
};
const codes = (r: { body: any }) => Object.fromEntries(r.body.error.fields.map((f: any) => [f.path, f.code]));

test.serial(
  'POLICY-TIMEOUT-1 POLICY-HOLD-8 POLICY-SPAM-4 POLICY-PUSH-10 defaults: timeout off (180/120 s), hold on 10 min, anti-spam off, push off',
  async (t) => {
    const r = await admin.get('/api/settings/policies');
    t.is(r.status, 200, r.text);
    t.is(r.body.version, 0);
    t.like(r.body.settings, {
      timeout: { enabled: false, firstSeconds: 180, secondSeconds: 120 },
      proactive: { enabled: false, delaySeconds: 30, maxPerVisit: 1 },
      antiSpam: { enabled: false, mode: 'suspicious', perIp: { count: 5, minutes: 10 }, perVisitor: { count: 5, minutes: 10 }, companyPerMinute: 60 },
      hold: { enabled: true, minutes: 10 },
      push: { enabled: false, url: null, events: { agentMessage: true, conversationEnded: false } },
    });
    t.is(r.body.pushSecret, null);
  },
);

test.serial('POLICY-TIMEOUT-1 POLICY-PUSH-10 bad settings answer 400 with one entry per field, never a 500', async (t) => {
  const bad = await save(admin, {
    timeout: { firstSeconds: 29, secondSeconds: 3601, first: { fr: 'Bonjour' }, second: { en: 'x'.repeat(201) } },
    hold: { minutes: 0 },
    antiSpam: { mode: 'never', perIp: { count: 101 } },
    push: { url: 'ftp://example.com/push' },
    extra: true,
  });
  t.is(bad.status, 400, bad.text);
  t.deepEqual(codes(bad), {
    'settings.timeout.firstSeconds': 'too_small',
    'settings.timeout.secondSeconds': 'too_big',
    'settings.timeout.first.fr': 'unknown_field',
    'settings.timeout.second.en': 'too_big',
    'settings.hold.minutes': 'too_small',
    'settings.antiSpam.mode': 'invalid_value',
    'settings.antiSpam.perIp.count': 'too_big',
    'settings.push.url': 'invalid_url',
    'settings.extra': 'unknown_field',
  });
  const noHold = await save(admin, { hold: { enabled: false }, push: { enabled: true, url: 'https://app.example.com/push' } });
  t.is(noHold.status, 400);
  t.deepEqual(codes(noHold), { 'settings.push.enabled': 'push_requires_hold' });
  const plainHttp = await save(admin, { push: { enabled: true, url: 'http://app.example.com/push' } });
  t.deepEqual(codes(plainHttp), { 'settings.push.url': 'https_required' }, 'http needs the operator’s permission');
  const noUrl = await save(admin, { push: { enabled: true } });
  t.deepEqual(codes(noUrl), { 'settings.push.url': 'required' });
});

test.serial('POLICY-PUSH-10 saving: versioned, audited, the secret is shown once and reads back masked; rotation', async (t) => {
  const ok = await save(admin, {
    timeout: { enabled: true, firstSeconds: 60, first: { en: 'Still there?' } },
    push: { enabled: true, url: 'https://app.example.com/push' },
  });
  t.is(ok.status, 200, ok.text);
  t.is(ok.body.version, 1);
  t.regex(ok.body.newPushSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  t.is(ok.body.pushSecret, `••••${ok.body.newPushSecret.slice(-4)}`);
  const read = await admin.get('/api/settings/policies');
  t.is(read.body.newPushSecret, undefined, 'shown in full only once');
  t.like(read.body.settings.timeout, { enabled: true, firstSeconds: 60, secondSeconds: 120, first: { en: 'Still there?' } });
  const row = await k.server.db('policy_settings').where({ company_id: k.company.id }).first();
  t.false(String(row.push_secret).includes(ok.body.newPushSecret.slice(6)), 'stored sealed');
  const stale = await admin.put('/api/settings/policies', { version: 0, settings: {} });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'settings_changed');
  const holdOff = await save(admin, { hold: { enabled: false }, push: { enabled: true, url: 'https://app.example.com/push' } });
  t.deepEqual(codes(holdOff), { 'settings.push.enabled': 'push_requires_hold' }, 'turning hold off while push is on');
  const rotated = await admin.post('/api/settings/policies/push-secret', {});
  t.is(rotated.status, 200, rotated.text);
  t.not(rotated.body.secret, ok.body.newPushSecret);
  t.truthy(rotated.body.previousValidUntil, 'the old secret stays valid 24 h');
  const audit = await k.server.db('audit_log').where({ company_id: k.company.id }).whereLike('action', 'settings.policies%');
  t.is(audit.length, 2);
  t.false(JSON.stringify(audit).includes(rotated.body.secret.slice(6)), 'secrets never reach the audit log');
});

test.serial('POLICY-SCREEN-13 settings are per company and need settings.manage', async (t) => {
  const other = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
  const theirs = await otherAdmin.get('/api/settings/policies');
  t.is(theirs.body.version, 0, 'another company sees its own defaults');
  t.false(theirs.body.settings.timeout.enabled);
  await addAgent(admin, 'plain', { permissions: [] });
  const plain = await signIn(k, 'plain');
  const r = await plain.get('/api/settings/policies');
  t.is(r.status, 403);
  t.is(r.body.error.permission, 'settings.manage');
  t.is((await plain.get('/api/policies/push-deliveries')).status, 403);
});

test.serial('CHATSET-WELCOME-1 CHATSET-AUTOREPLY-2 CHATSET-AUTORULES-3 each agent edits only their own automatic replies', async (t) => {
  const agent = await signIn(k, 'plain');
  const defaults = await agent.get('/api/profile/auto-reply');
  t.deepEqual(defaults.body, { welcome: { enabled: false, text: '' }, noReply: { enabled: false, delaySeconds: 60, text: '' } });
  const bad = await agent.put('/api/profile/auto-reply', {
    welcome: { enabled: true, text: 'Hi {name}, I am {agent}' },
    noReply: { enabled: true, delaySeconds: 5 },
  });
  t.is(bad.status, 400);
  t.deepEqual(codes(bad), { 'welcome.text': 'unknown_placeholder', 'noReply.delaySeconds': 'too_small', 'noReply.text': 'required' });
  const ok = await agent.put('/api/profile/auto-reply', { welcome: { enabled: true, text: 'Hi {visitor}, {agent} of {company} here' } });
  t.is(ok.status, 200, ok.text);
  t.true(ok.body.welcome.enabled);
  t.deepEqual((await admin.get('/api/profile/auto-reply')).body.welcome, { enabled: false, text: '' }, 'the admin has their own, untouched');
});
