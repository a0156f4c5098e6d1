import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { pngBytes, upload } from './helpers/uploads.ts';

let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

const company = async () => (await admin.get('/api/company')).body;
const patch = async (body: Record<string, unknown>) => admin.patch('/api/company', { version: (await company()).version, ...body });
const outbox = (to: string) => k.server.db('mail_outbox').where({ company_id: k.company.id, to }).orderBy('id');
const tokenOf = (body: string) => /token=([A-Za-z0-9_-]+)/.exec(body)![1];

test.serial('COMPANY-LOCALE-7 time zone, visitor and console languages and calling code default and are admin-only settings', async (t) => {
  t.like(await company(), { timezone: 'Asia/Shanghai', visitorLanguage: 'zh-CN', consoleLanguage: 'zh-CN', callingCode: '+86' });
  const r = await patch({ timezone: 'Europe/Berlin', visitorLanguage: 'en', consoleLanguage: 'en', callingCode: '+49' });
  t.is(r.status, 200, r.text);
  t.like(r.body, { timezone: 'Europe/Berlin', visitorLanguage: 'en', consoleLanguage: 'en', callingCode: '+49' });

  const bad = await patch({ timezone: 'Mars/Olympus', callingCode: '0049', consoleLanguage: 'xx' });
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), ['callingCode', 'consoleLanguage', 'timezone']);

  // A new agent's console follows the company default.
  const a = await addAgent(admin, 'locale1');
  const s = await signIn(k, a.agentId);
  t.is((await s.get('/api/auth/me')).body.agent.language, 'en');
  const denied = await s.patch('/api/company', { version: (await company()).version, callingCode: '+1' });
  t.is(denied.status, 403);
  t.is(denied.body.error.permission, 'admin');
  t.is((await patch({ timezone: 'Asia/Shanghai', visitorLanguage: 'zh-CN', consoleLanguage: 'zh-CN', callingCode: '+86' })).status, 200);
});

test.serial('COMPANY-EMAIL-5 without a mail server a new e-mail applies at once and is marked unverified', async (t) => {
  const r = await patch({ email: 'office@acme.test' });
  t.is(r.status, 200, r.text);
  t.like(r.body, { email: 'office@acme.test', emailVerified: false, pendingEmail: null });
});

test.serial('COMPANY-EMAIL-5 with a mail server the new address gets a 24-hour link, the old one is told, and it applies only when opened', async (t) => {
  const version = (await admin.get('/api/settings/mail')).body.version;
  const mail = await admin.put('/api/settings/mail', {
    version,
    forwardEnabled: false,
    smtp: { host: '127.0.0.1', port: 2525, security: 'none', fromAddress: 'kefu@acme.test', fromName: 'Kefu' },
  });
  t.is(mail.status, 200, mail.text);

  const r = await patch({ email: 'new-office@acme.test', contact: 'Ms Li' });
  t.is(r.status, 200, r.text);
  t.like(r.body, { email: 'office@acme.test', contact: 'Ms Li' }, 'the other fields are saved, the e-mail waits');
  t.is(r.body.pendingEmail.email, 'new-office@acme.test');
  const ttl = Date.parse(r.body.pendingEmail.expiresAt) - Date.now();
  t.true(ttl > 23.9 * 3600_000 && ttl <= 24 * 3600_000, 'the link is valid 24 hours');

  const [toNew] = await outbox('new-office@acme.test');
  t.truthy(toNew, 'the new address receives the link');
  t.regex(toNew.body, /\/confirm-company-email\?token=/);
  const [toOld] = await outbox('office@acme.test');
  t.truthy(toOld, 'the old address is told');
  t.notRegex(toOld.body, /token=/, 'the old address never gets the link');

  const token = tokenOf(toNew.body);
  t.is((await k.client().post('/api/company/email/confirm', { token: 'x'.repeat(40) })).status, 410);
  const ok = await k.client().post('/api/company/email/confirm', { token });
  t.is(ok.status, 200, ok.text);
  t.is(ok.body.publicId, k.company.publicId);
  t.like(await company(), { email: 'new-office@acme.test', emailVerified: true, pendingEmail: null });
  const again = await k.client().post('/api/company/email/confirm', { token });
  t.is(again.status, 410, 'a link works once');
  t.is(again.body.error.code, 'email_link_invalid');
});

test.serial('COMPANY-EMAIL-5 an expired link changes nothing', async (t) => {
  await patch({ email: 'late@acme.test' });
  const [mail] = await outbox('late@acme.test');
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ pending_email_expires_at: new Date(Date.now() - 1000) });
  t.is((await k.client().post('/api/company/email/confirm', { token: tokenOf(mail.body) })).status, 410);
  t.like(await company(), { email: 'new-office@acme.test', pendingEmail: null });
});

test.serial('COMPANY-LOGO-6 an admin uploads a logo (image, ≤ 200 KB) served at a random address; removing it restores the Kefu mark', async (t) => {
  t.is((await company()).logoUrl, null);
  const r = await upload(k.url, '/api/company/logo', { file: { bytes: await pngBytes(120, 40), name: 'logo.png' } }, admin);
  t.is(r.status, 200, r.text);
  t.regex(r.body.logoUrl, /^\/company-logos\/[A-Za-z0-9_-]{22,}$/);
  const img = await fetch(k.url + r.body.logoUrl);
  t.is(img.status, 200);
  t.is(img.headers.get('content-type'), 'image/png');
  t.regex(img.headers.get('cache-control') ?? '', /immutable/);

  const svg = await upload(k.url, '/api/company/logo', { file: { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: 'x.svg' } }, admin);
  t.is(svg.status, 400);
  t.like(svg.body.error.fields[0], { path: 'file', code: 'unsupported_image' });
  const big = await upload(k.url, '/api/company/logo', { file: { bytes: Buffer.alloc(201 * 1024, 1), name: 'big.png' } }, admin);
  t.is(big.status, 400);
  t.like(big.body.error.fields[0], { path: 'file', code: 'image_too_large' });

  const a = await addAgent(admin, 'logo1');
  const s = await signIn(k, a.agentId);
  t.is((await s.get('/api/company')).body.logoUrl, r.body.logoUrl, 'every agent sees it');
  t.is((await upload(k.url, '/api/company/logo', { file: { bytes: await pngBytes(10, 10), name: 'l.png' } }, s)).status, 403);

  const removed = await admin.del('/api/company/logo');
  t.is(removed.status, 200);
  t.is(removed.body.logoUrl, null);
  t.is((await fetch(k.url + r.body.logoUrl)).status, 404, 'the old address stops working');
});
