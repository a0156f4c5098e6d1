import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** Agent management, company, profile, login IP and notice screens of issue 7 in real Chromium against a started server. */
const PASSWORD = 'Quiet-Harbour-2026!';
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
const pageErrors: string[] = [];

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

async function addAgent(agentId: string, extra: Record<string, unknown> = {}) {
  const r = await admin.post('/api/agents', { agentId, name: `${agentId} Name`, password: PASSWORD, mustChangePassword: false, ...extra });
  if (r.status !== 201) throw new Error(r.text);
  return r.body as { id: number; agentId: string };
}

async function signIn(agentId: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${agentId}: ${e.message}`));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId, password });
  return page;
}

let adminPage: Page | undefined;
const asAdmin = async () => (adminPage ??= await signIn('admin', ADMIN_PASSWORD));
const row = (page: Page, agentId: string) => page.locator('[data-test="agents-table"] .el-table__body-wrapper tr', { hasText: agentId });

test.serial('AGENT-BULK-19 AGENT-EVENTS-21 agents added elsewhere appear live; selected agents get a cap at once, and a refusal is listed per agent', async (t) => {
  await addAgent('bulk-a');
  const page = await asAdmin();
  await page.goto(k.url + '/agents');
  await row(page, 'bulk-a').waitFor({ timeout: 15_000 });

  // Added through the API while the list is open: it shows without a reload.
  await addAgent('bulk-b');
  await row(page, 'bulk-b').waitFor({ timeout: 10_000 });

  for (const id of ['bulk-a', 'bulk-b']) await row(page, id).first().locator('.el-checkbox').click();
  await page.locator('[data-test="agents-bulk"]', { hasText: /2/ }).waitFor();
  await page.locator('[data-test="agents-bulk-menu"]').click();
  await page.locator('[data-test="agents-bulk-setMaxChats"]').click();
  const dialog = page.locator('[data-test="agents-bulk-dialog"]');
  await dialog.locator('.el-radio', { hasText: /Custom|自定义/ }).click();
  await dialog.locator('[data-test="agents-bulk-cap"] input').fill('12');
  await dialog.locator('[data-test="agents-bulk-cap"] input').blur();
  await dialog.locator('[data-test="agents-bulk-run"]').click();
  await row(page, 'bulk-a').first().locator('td', { hasText: /^12$/ }).waitFor({ timeout: 10_000 });
  await row(page, 'bulk-b').first().locator('td', { hasText: /^12$/ }).waitFor({ timeout: 10_000 });
  const stored = await admin.get('/api/agents?q=bulk-');
  t.deepEqual(
    stored.body.items.map((a: any) => a.maxChats),
    [12, 12],
  );

  // With one seat left, enabling both disabled agents enables one and names the other with the reason.
  const both = stored.body.items.map((a: any) => a.id);
  await admin.post('/api/agents/bulk', { agentIds: both, action: { kind: 'disable' } });
  const [{ count }] = await k.server.db('agents').where({ company_id: k.company.id }).whereNull('disabled_at').whereNull('deleted_at').count('* as count');
  await k.server.db('companies').where({ id: k.company.id }).update({ seats: Number(count) + 1 });
  try {
    await page.reload();
    for (const id of ['bulk-a', 'bulk-b']) await row(page, id).first().locator('.el-checkbox').click();
    await page.locator('[data-test="agents-bulk-menu"]').click();
    await page.locator('[data-test="agents-bulk-enable"]').click();
    await page.locator('[data-test="agents-bulk-dialog"] [data-test="agents-bulk-run"]').click();
    const results = page.locator('[data-test="agents-bulk-results"]');
    const refused = results.locator('tr', { hasText: 'bulk-b' });
    await refused.waitFor({ timeout: 10_000 });
    t.regex(await refused.innerText(), /seats are in use|坐席已用完/);
    await page.screenshot({ path: screenshotPath('agents-bulk-results') });
    await page.keyboard.press('Escape');
  } finally {
    await k.server.db('companies').where({ id: k.company.id }).update({ seats: null });
  }
  t.deepEqual(pageErrors, []);
});

test.serial('AGENT-TEMPLATE-18 the templates dialog lists the built-in ones; a new agent starts from the default and keeps the link for 重新应用', async (t) => {
  const page = await asAdmin();
  await page.goto(k.url + '/agents');
  await page.locator('[data-test="agent-templates"]').click();
  const dialog = page.locator('[data-test="templates-dialog"]');
  for (const name of ['普通客服', '组长', '质检']) await dialog.locator(`[data-test="template-row-${name}"]`).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('agents-templates') });
  await dialog.locator('[data-test="template-add"]').click();
  await dialog.locator('[data-test="template-name"] input, input[data-test="template-name"]').first().fill('Night desk');
  await dialog.locator('[data-test="permission-editor"] .el-checkbox', { hasText: /登录日志|Login log/ }).click();
  await dialog.locator('[data-test="template-save"]').click();
  await dialog.locator('[data-test="template-row-Night desk"]').waitFor({ timeout: 10_000 });
  const tpl = (await admin.get('/api/permission-templates')).body.items.find((x: any) => x.name === 'Night desk');
  t.deepEqual(tpl.permissions, ['loginlog.view']);
  await page.keyboard.press('Escape');

  // The editor preselects the default template; choosing Night desk fills its permissions.
  await page.locator('[data-test="agent-add"]').click();
  const editor = page.locator('.el-dialog', { has: page.locator('[data-test="agent-save"]') });
  await editor.locator('[data-test="agent-template"]').waitFor({ timeout: 10_000 });
  t.regex(await editor.locator('[data-test="agent-template"]').innerText(), /普通客服/);
  await editor.locator('[data-test="agent-template"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: 'Night desk' }).click();
  await editor.locator('input[data-test="agent-field-agentId"], [data-test="agent-field-agentId"] input').first().fill('night1');
  await editor.locator('input[data-test="agent-field-name"], [data-test="agent-field-name"] input').first().fill('Night One');
  await editor.locator('input[data-test="agent-field-password"], [data-test="agent-field-password"] input').first().fill(PASSWORD);
  await editor.locator('[data-test="agent-save"]').click();
  await row(page, 'night1').waitFor({ timeout: 10_000 });
  const made = (await admin.get('/api/agents?q=night1')).body.items[0];
  t.deepEqual(made.permissions, ['loginlog.view']);
  t.is((await admin.get('/api/permission-templates')).body.items.find((x: any) => x.name === 'Night desk').agentCount, 1, 'linked for 重新应用');
});

test.serial('PROFILE-VIEW-1 an agent sees company ID, groups, permissions by label, cap and the latest sign-in on their profile', async (t) => {
  const group = (await admin.post('/api/groups', { name: 'Front desk' })).body.id;
  await addAgent('viewer', { groupIds: [group], permissions: ['conversation.accept', 'loginlog.view'], maxChats: 7 });
  const page = await signIn('viewer', PASSWORD);
  await page.goto(k.url + '/profile');
  await page.locator('[data-test="profile-group"]', { hasText: 'Front desk' }).waitFor({ timeout: 15_000 });
  const text = await page.locator('.profile-info').innerText();
  t.true(text.includes(String(k.company.publicId)));
  t.true(text.includes('viewer'));
  await page.locator('[data-test="profile-permission"]', { hasText: /登录日志|Login log/ }).waitFor({ timeout: 10_000 });
  t.is((await page.locator('[data-test="profile-max-chats"]').innerText()).trim(), '7');
  t.regex(await page.locator('[data-test="profile-last-login"]').innerText(), /127\.0\.0\.1 · (网页端|Web)/);
  await page.screenshot({ path: screenshotPath('profile-view') });
  await page.context().close();
});

test.serial('COMPANY-LOGO-6 COMPANY-LOCALE-7 COMPANY-EMAIL-5 an admin uploads the logo, sets the calling code; a new e-mail is confirmed on the link page', async (t) => {
  const page = await asAdmin();
  await page.goto(k.url + '/company');
  await page.locator('[data-test="company-logo-default"]').waitFor({ timeout: 15_000 });
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.locator('[data-test="company-logo-input"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
  await page.locator('[data-test="company-logo-image"]').waitFor({ timeout: 10_000 });
  t.regex((await page.locator('[data-test="company-logo-image"]').getAttribute('src')) ?? '', /^\/company-logos\//);

  const code = page.locator('[data-test="company-field-callingCode"] input, input[data-test="company-field-callingCode"]').first();
  t.is(await code.inputValue(), '+86', 'the default calling code');
  await code.fill('+852');
  await page.locator('[data-test="company-save"]').click();
  await page.locator('.el-message--success').first().waitFor({ timeout: 10_000 });
  t.is((await admin.get('/api/company')).body.callingCode, '+852');

  // Without a mail server the address applies at once and says it is unverified.
  await page.locator('[data-test="company-field-email"] input, input[data-test="company-field-email"]').first().fill('desk@acme.test');
  await page.locator('[data-test="company-save"]').click();
  await page.locator('[data-test="company-email-unverified"]').waitFor({ timeout: 10_000 });

  // With one, the change waits for the link; the link page confirms it without signing in.
  const mailVersion = (await admin.get('/api/settings/mail')).body.version;
  await admin.put('/api/settings/mail', {
    version: mailVersion,
    forwardEnabled: false,
    smtp: { host: '127.0.0.1', port: 2525, security: 'none', fromAddress: 'kefu@acme.test', fromName: 'Kefu' },
  });
  await page.reload();
  await page.locator('[data-test="company-field-email"] input, input[data-test="company-field-email"]').first().fill('boss@acme.test');
  await page.locator('[data-test="company-save"]').click();
  await page.locator('[data-test="company-email-pending"]', { hasText: 'boss@acme.test' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('company-email-pending') });
  const [mail] = await k.server.db('mail_outbox').where({ company_id: k.company.id, to: 'boss@acme.test' });
  const link = /https?:\/\/\S+\/confirm-company-email\?token=\S+/.exec(mail.body)![0];
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(k.url + new URL(link).pathname + new URL(link).search);
  await stranger.locator('[data-test="confirm-email-submit"]').click();
  await stranger.locator('[data-test="confirm-email-done"]').waitFor({ timeout: 10_000 });
  t.like((await admin.get('/api/company')).body, { email: 'boss@acme.test', emailVerified: true, pendingEmail: null });
  await stranger.context().close();
});

test.serial('LOGINIP-SCREEN-5 the login IP screen shows your address with one-click add, and the paste box reports errors per line', async (t) => {
  const page = await asAdmin();
  await page.goto(k.url + '/settings/login-ip');
  await page.locator('[data-test="login-ip-yours"]', { hasText: '127.0.0.1' }).waitFor({ timeout: 15_000 });
  await page.locator('[data-test="login-ip-add-mine"]').click();
  t.is(await page.locator('[data-test="login-ip-cidr-0"] input, input[data-test="login-ip-cidr-0"]').first().inputValue(), '127.0.0.1');

  await page.locator('[data-test="login-ip-paste-input"] textarea, textarea[data-test="login-ip-paste-input"]').first().fill('10.0.0.0/8 office\nnot-an-ip\n192.168.1.300\n203.0.113.7,home');
  await page.locator('[data-test="login-ip-paste-add"]').click();
  const errors = page.locator('[data-test="login-ip-paste-errors"]');
  await errors.waitFor({ timeout: 10_000 });
  const text = await errors.innerText();
  t.regex(text, /(Line|第) ?2/);
  t.regex(text, /(Line|第) ?3/);
  t.notRegex(text, /(Line|第) ?(1|4)\b/, 'valid lines are not reported');
  await page.screenshot({ path: screenshotPath('login-ip-paste') });

  await page.locator('[data-test="login-ip-save"]').click();
  // Saved: nothing is left to save.
  await page.waitForFunction(() => document.querySelector('[data-test="login-ip-save"]')?.hasAttribute('disabled'), undefined, { timeout: 10_000 });
  const saved = (await admin.get('/api/settings/login-ip')).body;
  t.deepEqual(saved.entries.map((e: any) => e.cidr).sort(), ['10.0.0.0/8', '127.0.0.1', '203.0.113.7'].sort());
  t.is(saved.entries.find((e: any) => e.cidr === '10.0.0.0/8').note, 'office');
});

test.serial('NOTICE-SIGNIN-4 NOTICE-LIST-6 more than five notices waiting at sign-in come as one box; 查看全部 opens the list, searchable by title', async (t) => {
  await addAgent('reader');
  const published: number[] = [];
  // Withdrawn at the end, so the admin's console used by later tests has no box over it.
  t.teardown(async () => {
    for (const id of published) await admin.post(`/api/notices/${id}/withdraw`);
  });
  for (let i = 1; i <= 6; i++) {
    const r = await admin.post('/api/notices', { title: `Bulletin ${i}`, content: `Text ${i}`, everyone: true, important: i === 1 });
    t.is(r.status, 201, r.text);
    published.push(r.body.id);
  }
  const page = await signIn('reader', PASSWORD);
  const box = page.locator('[data-test="notice-combined"]');
  await box.locator('[data-test="notice-combined-item"]').first().waitFor({ timeout: 15_000 });
  const items = await box.locator('[data-test="notice-combined-item"]').allInnerTexts();
  t.is(items.length, 6);
  t.regex(items[0], /Bulletin 1/, 'the important one first');
  t.regex(items[1], /Bulletin 6/, 'then the newest');
  await page.screenshot({ path: screenshotPath('notice-combined') });
  await box.locator('[data-test="notice-see-all"]').click();
  await page.locator('[data-test="notices-page"]').waitFor({ timeout: 10_000 });
  await page.locator('[data-test="notice-item"]').nth(5).waitFor({ timeout: 10_000 });
  t.is(await page.locator('[data-test="notice-item"].unread').count(), 6, 'unread ones are marked');
  await page.locator('[data-test="notices-search"] input, input[data-test="notices-search"]').first().fill('Bulletin 3');
  await page.locator('[data-test="notice-item"]').nth(1).waitFor({ state: 'detached', timeout: 10_000 });
  t.deepEqual(
    (await page.locator('[data-test="notice-item"] .title').allInnerTexts()).map((s) => s.trim()),
    ['Bulletin 3'],
  );
  t.falsy(await page.locator('[data-test="notice-box"] [data-test="notice-content"]').isVisible(), 'nothing pops up one by one after 查看全部');
  t.deepEqual(pageErrors, []);
  await page.context().close();
});

test.serial('AGENT-DETAIL-2 clicking an agent opens the detail with groups, permissions by section, status, sessions, login log and allowed actions', async (t) => {
  const group = (await admin.post('/api/groups', { name: 'Detail desk' })).body.id;
  await addAgent('detailee', { groupIds: [group], permissions: ['conversation.accept', 'history.viewAll'] });
  const own = await signIn('detailee', PASSWORD);
  const page = await asAdmin();
  await page.goto(k.url + '/agents');
  await page.locator('[data-test="agent-open-detailee"]').click();
  const drawer = page.locator('[data-test="agent-detail"]');
  await drawer.locator('[data-test="agent-detail-status"]').waitFor({ timeout: 15_000 });
  const text = await drawer.innerText();
  t.true(text.includes('Detail desk'));
  t.regex(text, /查看所有对话记录|See all conversations/);
  t.regex(text, /对话留言|History and leave-messages/, 'grouped by section');
  t.regex(await drawer.locator('[data-test="agent-detail-status"]').innerText(), /在线|Online|离开|Away/);
  t.true((await drawer.locator('[data-test="agent-detail-sessions"] .el-table__body tr').count()) >= 1);
  t.true((await drawer.locator('[data-test="agent-detail-login-log"] .el-table__body tr').count()) >= 1);
  await drawer.locator('[data-test="agent-detail-disable"]').waitFor();
  await page.screenshot({ path: screenshotPath('agent-detail') });
  await own.context().close();
  t.deepEqual(pageErrors, []);
});
