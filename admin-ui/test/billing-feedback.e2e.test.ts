import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, call, startTestServer, type TestClient, visitorSocket, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** Billing, feedback and personal settings in real Chromium against a started server. */
const OPERATOR = 'operator-token-for-browser-tests-0123';
const FAY_PASSWORD = 'Quiet-Harbour-2026!';
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let op: TestClient;
const sockets: Socket[] = [];
const pageErrors: string[] = [];

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer({ KEFU_OPERATOR_TOKEN: OPERATOR }), launchBrowser()]);
  admin = await k.login();
  op = k.client();
  op.bearer = OPERATOR;
  const fay = await admin.post('/api/agents', {
    agentId: 'fay',
    name: 'Fay Agent',
    nickname: 'Fay',
    email: 'fay@example.com',
    password: FAY_PASSWORD,
    mustChangePassword: false,
    permissions: ['conversation.accept'],
  });
  if (fay.status !== 201) throw new Error(fay.text);
});
test.after.always(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await k?.close();
});

const field = (page: Page, name: string) => page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first();

async function signIn(agentId: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${agentId}: ${e.message}`));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId, password });
  return page;
}

let fayPage: Page | undefined;
const asFay = async () => (fayPage ??= await signIn('fay', FAY_PASSWORD));

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

test.serial('OTHERSET-SENDKEY-5 DISPLAY-SETTINGS-1 the send key chosen in 设置 is saved on the server and used by the composer', async (t) => {
  const page = await asFay();
  await page.goto(k.url + '/preferences');
  await page.locator('[data-test="preferences-page"] .el-tabs__item', { hasText: '对话设置' }).click();
  await page.locator('[data-test="pref-sendkey-ctrl"]').click();
  await page.locator('.el-message--success').first().waitFor();
  await page.screenshot({ path: screenshotPath('preferences-chat') });
  const fay = k.client();
  await fay.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'fay', password: FAY_PASSWORD });
  t.is((await fay.get('/api/preferences')).body.preferences.chat.sendKey, 'ctrlEnter', 'saved on the server');

  // Fay is the only agent online, so the chat is hers.
  await page.goto(k.url + '/');
  await page.locator('[data-test="workbench"]').waitFor();
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const received: string[] = [];
  v.socket.on('message', (m) => m.message?.text && received.push(m.message.text));
  await call(v.socket, 'page.view', { url: 'https://shop.example.com/', title: 'Shop' });
  const requested = await call(v.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  await page.locator('[data-test="conv-mine"]').first().waitFor({ timeout: 20_000 });
  await page.locator('[data-test="conv-mine"]').first().click();
  const input = field(page, 'composer-input');
  await input.click();
  await input.pressSequentially('第一行');
  await input.press('Enter');
  await input.pressSequentially('second line');
  t.is(await input.inputValue(), '第一行\nsecond line', 'Enter makes a new line');
  await input.press('Control+Enter');
  await t.notThrowsAsync(page.waitForFunction(() => !(document.querySelector('[data-test="composer-input"] textarea, textarea[data-test="composer-input"]') as HTMLTextAreaElement)?.value));
  const deadline = Date.now() + 5000;
  while (!received.includes('第一行\nsecond line') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  t.true(received.includes('第一行\nsecond line'), 'Ctrl+Enter sent both lines');
  await page.screenshot({ path: screenshotPath('composer-ctrl-enter') });
});

test.serial('BILLING-VIEW-1 BILLING-ACTIVE-7 BILLING-REMAIN-3 BILLING-SEATS-4 BILLING-CONTACT-11 BILLING-HISTORY-10 the billing page for admins, 无权访问 for others', async (t) => {
  t.is((await op.put(`/api/operator/companies/${k.company.publicId}/licences/seats`, { quantity: 5 })).status, 200);
  t.is((await op.put(`/api/operator/companies/${k.company.publicId}/licences/otp`, { expiresOn: isoDay(20) })).status, 200);
  t.is((await op.put('/api/operator/billing/contact', { name: '运营部 李', phone: '+86 10 1234 5678', email: 'renew@example.com' })).status, 200);

  const page = await signIn('admin', ADMIN_PASSWORD);
  await page.goto(k.url + '/billing');
  const table = page.locator('[data-test="billing-table"]');
  await table.waitFor();
  await page.locator('[data-test="billing-state-otp"]').waitFor();
  t.regex(await table.locator('tbody tr').first().innerText(), /坐席[\s\S]*已用 2 \/ 5/);
  t.is((await page.locator('[data-test="billing-state-otp"]').innerText()).trim(), '即将到期');
  t.regex(await page.locator('[data-test="billing-remaining-otp"]').innerText(), /^(19|20) 天$/);
  t.is((await page.locator('[data-test="billing-state-robot"]').innerText()).trim(), '未开通');
  t.regex(await page.locator('[data-test="billing-contact"]').innerText(), /运营部 李[\s\S]*renew@example\.com/);
  const card = page.locator('[data-test="billing-active-otp"]');
  t.regex(await card.innerText(), /动态口令/, 'BILLING-ACTIVE-7: a card for the active service');
  t.true((await card.locator('a').count()) > 0, 'with links to its screens');
  t.is(await page.locator('[data-test="billing-active-robot"]').count(), 0, 'none for a service not activated');
  t.regex(await page.locator('[data-test="billing-history"]').innerText(), /服务器运营方/);
  await page.screenshot({ path: screenshotPath('billing-page'), fullPage: true });

  const fay = await asFay();
  await fay.goto(k.url + '/billing');
  await fay.locator('[data-test="no-access"]').waitFor();
  await page.close();
});

test.serial('FEEDBACK-SUBMIT-1 FEEDBACK-LIST-3 FEEDBACK-THREAD-4 an agent sends feedback, sees the operator’s reply badge and reads the thread', async (t) => {
  const page = await asFay();
  await page.goto(k.url + '/feedback');
  await page.locator('[data-test="feedback-new"]').click();
  const form = page.locator('[data-test="feedback-form"]');
  await form.waitFor();
  t.is(await field(page, 'feedback-contact').inputValue(), 'fay@example.com', 'contact prefilled from the profile');
  await page.locator('[data-test="feedback-send"]').click();
  await page.locator('[data-test="feedback-form"] .el-form-item__error').first().waitFor();
  await page.screenshot({ path: screenshotPath('feedback-form-errors') });
  await page.locator('[data-test="feedback-type-suggestion"]').click();
  await field(page, 'feedback-title').fill('希望支持批量结束对话');
  await field(page, 'feedback-content').fill('End several finished chats at once from the list.');
  await page.locator('[data-test="feedback-send"]').click();
  const row = page.locator('[data-test="feedback-table"] tbody tr', { hasText: '希望支持批量结束对话' });
  await row.waitFor();
  t.regex(await row.innerText(), /改进建议[\s\S]*已提交/);

  const item = (await op.get('/api/operator/feedback?type=suggestion')).body.items[0];
  t.is(item.title, '希望支持批量结束对话');
  t.truthy((await op.get(`/api/operator/feedback/${item.id}`)).body.diagnostics.browser, 'diagnostics attached by default');
  t.is((await op.post(`/api/operator/feedback/${item.id}/messages`, { content: '已列入下个版本。' })).status, 200);
  await row.locator('[data-test="feedback-unread"]').waitFor({ timeout: 5000 });
  t.regex(await row.innerText(), /已回复/);
  await page.screenshot({ path: screenshotPath('feedback-list') });

  await row.click();
  const thread = page.locator('[data-test="feedback-thread"]');
  await thread.locator('[data-test="feedback-message"]', { hasText: '已列入下个版本。' }).waitFor();
  t.regex(await thread.innerText(), /服务器运营方/);
  await field(page, 'feedback-reply').fill('谢谢!');
  await page.locator('[data-test="feedback-reply-send"]').click();
  await thread.locator('[data-test="feedback-message"]', { hasText: '谢谢!' }).waitFor();
  await page.screenshot({ path: screenshotPath('feedback-thread') });
  await page.locator('[data-test="feedback-close"]').click();
  await page.locator('[data-test="feedback-reopen"]').waitFor();
  t.is((await page.locator('[data-test="feedback-thread-state"]').innerText()).trim(), '已关闭');
  t.deepEqual(pageErrors, []);
});
