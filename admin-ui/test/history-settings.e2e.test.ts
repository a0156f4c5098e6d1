import fs from 'node:fs';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, agentSocket, call, next, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 对话查询, 对话设置, 自动分配 and 自动应答 in real Chromium against a started server. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const pageErrors: string[] = [];
let conversationId: number;

const input = (name: string, on = page) => on.locator(`[data-test="${name}"] input, input[data-test="${name}"], textarea[data-test="${name}"]`).first();
/** The policies' save button: the 工作台与登录 sub-tab keeps its own settings frame, hidden, on the same page. */
const policySave = () => page.locator('[data-test="policy-settings"] [data-test="settings-save"]');
async function signIn(agentId: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, acceptDownloads: true, locale: 'zh-CN' });
  const p = await context.newPage();
  p.on('pageerror', (e) => pageErrors.push(`${agentId}: ${e.message}`));
  await signInWith(p, k.url, { companyId: k.company.publicId, agentId, password });
  return p;
}
/** Drawers and boxes slide or fade in; pictures are taken once everything stands still. */
const settle = () => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
const saved = () => page.locator('.el-message--success').last().waitFor({ timeout: 10_000 });

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  // One ended conversation whose visitor wrote a Chinese sentence; the admin, alone online, serves it.
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  const connected = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const req = await call(v.socket, 'chat.request', {});
  conversationId = req.conversation.id;
  await connected;
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '你好,我想申请退款了' });
  await call(agent, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '好的,马上为您处理' });
  await call(v.socket, 'chat.end', { conversationId });
  v.socket.disconnect();
  agent.disconnect();

  page = await signIn('admin', ADMIN_PASSWORD);
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

test.serial('HISTORY-KEYWORD-2 HISTORY-LIST-4 HISTORY-DETAIL-6 HISTORY-LOCK-9 HISTORY-EXPORT-10 a two-character Chinese keyword finds the conversation, the transcript opens, the export downloads', async (t) => {
  await page.goto(k.url + '/history');
  await page.locator('[data-test="history-total"]', { hasText: '共 1 条' }).waitFor({ timeout: 10_000 });

  await input('history-keyword').fill('退');
  await page.locator('[data-test="history-search"]').click();
  const tooShort = page.locator('[data-test="history-filters"] .el-form-item__error');
  await tooShort.waitFor({ timeout: 10_000 });
  t.regex(await tooShort.innerText(), /2/, 'a one-character keyword is refused beside the field');

  await input('history-keyword').fill('退货');
  await page.locator('[data-test="history-search"]').click();
  await page.locator('[data-test="history-total"]', { hasText: '共 0 条' }).waitFor({ timeout: 10_000 });
  // The total and the page are separate calls: the empty list may show a moment after the total.
  await page.locator('[data-test="history-table"]', { hasText: '没有符合条件的对话' }).waitFor({ timeout: 10_000 });

  await input('history-keyword').fill('退款');
  await page.locator('[data-test="history-search"]').click();
  const hit = page.locator('[data-test="history-preview"] mark', { hasText: '退款' });
  await hit.waitFor({ timeout: 10_000 });
  t.is(await page.locator('[data-test="history-preview"]').first().innerText(), '你好,我想申请退款了');
  t.true(page.url().includes(`keyword=${encodeURIComponent('退款')}`), 'the search is kept in the address');
  await page.screenshot({ path: screenshotPath('history-search') });

  // HISTORY-LOCK-9: the editable window is a setting of the screen's header for settings.manage holders.
  await page.locator('[data-test="history-window"]').click();
  const days = input('history-window-days');
  await page.waitForFunction(() => (document.querySelector('[data-test="history-window-days"] input') as HTMLInputElement | null)?.value === '365');
  await days.fill('400');
  await days.blur();
  await page.locator('[data-test="history-window-save"]').click();
  await saved();
  t.deepEqual((await admin.get('/api/history/settings')).body, { editableDays: 400 });

  await hit.click();
  const drawer = page.locator('[data-test="history-drawer"]');
  await drawer.locator('[data-test="history-transcript"]', { hasText: '马上为您处理' }).waitFor({ timeout: 10_000 });
  t.true(await drawer.getByText('你好,我想申请退款了').isVisible());
  t.true(await drawer.getByText('访客结束').isVisible(), 'the end reason by name');
  await settle();
  await page.screenshot({ path: screenshotPath('history-transcript') });
  await page.keyboard.press('Escape');

  await page.locator('[data-test="history-export"]').click();
  const download = page.waitForEvent('download');
  await page.locator('[data-test="history-export-messagesCsv"]').click();
  const file = await download;
  t.regex(file.suggestedFilename(), /\.csv$/);
  const content = fs.readFileSync((await file.path())!, 'utf8');
  t.true(content.includes('我想申请退款了'), 'the messages export holds the conversation');
  await page.locator('.el-message--success', { hasText: '已下载' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('history-export') });
  t.deepEqual(pageErrors, []);
});

test.serial('HISTORY-VISIBILITY-5 an agent without history permissions sees only their own conversations and no export', async (t) => {
  const made = await admin.post('/api/agents', { agentId: 'bob', name: 'Bob', password: 'Quiet-Harbour-2026!', mustChangePassword: false, permissions: ['conversation.accept'] });
  t.is(made.status, 201, made.text);
  const bob = await signIn('bob', 'Quiet-Harbour-2026!');
  await bob.goto(k.url + '/history');
  await bob.locator('[data-test="history-total"]', { hasText: '共 0 条' }).waitFor({ timeout: 10_000 });
  t.true(await bob.getByText('您接待或协助过的对话').isVisible());
  t.is(await bob.locator('[data-test="history-export"]').count(), 0, 'no export without history.export');
  await bob.screenshot({ path: screenshotPath('history-own') });
  await bob.context().close();
});

test.serial('POLICY-SCREEN-13 POLICY-HOLD-8 the hold time saves and reads back; push stays off while hold is off', async (t) => {
  await page.goto(k.url + '/settings/conversation?tab=hold');
  const minutes = input('hold-minutes');
  await minutes.waitFor({ timeout: 10_000 });
  t.is(await minutes.inputValue(), '10', 'the default hold time');
  await minutes.fill('25');
  await minutes.blur();
  await policySave().click();
  await saved();
  t.like((await admin.get('/api/settings/policies')).body, { version: 1, settings: { hold: { enabled: true, minutes: 25 } } });

  await page.reload();
  await minutes.waitFor({ timeout: 10_000 });
  t.is(await minutes.inputValue(), '25', 'read back after a reload');
  await page.screenshot({ path: screenshotPath('policy-hold') });

  await page.locator('[data-test="hold-enabled"]').click();
  await page.locator('[data-test="policy-settings"] [data-test="policy-tab-push"]').click();
  await page.locator('[data-test="push-needs-hold"]').waitFor();
  t.true(await page.locator('[data-test="push-enabled"]').evaluate((el) => el.classList.contains('is-disabled')), 'push cannot be switched on without hold');
  await page.locator('[data-test="push-log"]').waitFor();
  await page.screenshot({ path: screenshotPath('policy-push') });
  t.deepEqual(pageErrors, []);
});

test.serial('POLICY-PUSH-10 push without an address is refused beside the field; the first save shows the secret once', async (t) => {
  await page.goto(k.url + '/settings/conversation?tab=push');
  await page.locator('[data-test="push-enabled"]').click();
  await policySave().click();
  const urlError = page.locator('.el-form-item', { has: page.locator('[data-test="push-url"]') }).locator('.el-form-item__error');
  await urlError.waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('policy-push-error') });

  await input('push-url').fill('https://app.example.com/kefu-push');
  await policySave().click();
  const box = page.locator('.push-secret-box');
  await box.waitFor({ timeout: 10_000 });
  const shown = await box.innerText();
  t.regex(shown, /whsec_[A-Za-z0-9+/=]{40,}/, 'the whole secret, this once');
  await settle();
  await page.screenshot({ path: screenshotPath('policy-push-secret') });
  await box.locator('button', { hasText: '关闭' }).click();
  const masked = (await admin.get('/api/settings/policies')).body.pushSecret as string;
  t.regex(masked, /^••••.{4}$/);
  t.true(shown.includes(masked.slice(4)));
  t.is(await page.locator('[data-test="push-secret"]').innerText(), masked, 'afterwards only the masked form');
  t.like((await admin.get('/api/settings/policies')).body.settings.push, { enabled: true, url: 'https://app.example.com/kefu-push' });
  t.deepEqual(pageErrors, []);
});

test.serial('POLICY-PUSH-12 a failed delivery shows in the log and is pushed again', async (t) => {
  await k.server.db('policy_push_outbox').insert({
    company_id: k.company.id,
    event_id: 'msg_e2e_failed',
    type: 'message.created',
    conversation_id: conversationId,
    body: JSON.stringify({}),
    status: 'failed',
    attempts: 6,
    last_status: 500,
    last_error: 'HTTP 500',
  });
  await page.goto(k.url + '/settings/conversation?tab=push');
  const log = page.locator('[data-test="push-log"]');
  const row = log.locator('.el-table__row', { hasText: 'message.created' });
  await row.waitFor({ timeout: 10_000 });
  t.true((await row.innerText()).includes('失败'));
  await row.locator('button', { hasText: '重新推送' }).click();
  await page.locator('.el-message--success', { hasText: '已加入重新推送' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('policy-push-log') });
  t.deepEqual(pageErrors, []);
});

test.serial('ASSIGN-SCREEN-16 ASSIGN-CONNECT-15 ASSIGN-CAP-6 the agent-must-confirm option saves with its time; an agent cap saves from the table', async (t) => {
  await page.goto(k.url + '/settings/assignment');
  await page.locator('[data-test="assign-confirm"]').waitFor({ timeout: 10_000 });
  t.true(await input('assign-confirm-seconds').isDisabled(), 'the time is off while confirmation is off');
  await page.locator('[data-test="assign-confirm"]').click();
  const seconds = input('assign-confirm-seconds');
  await seconds.fill('45');
  await seconds.blur();
  await page.locator('[data-test="settings-save"]').click();
  await saved();
  t.like((await admin.get('/api/settings/assignment')).body, { version: 1, settings: { confirm: { enabled: true, seconds: 45 }, autoAssign: true } });
  const cap = input('assign-cap-bob');
  await cap.fill('8');
  await cap.blur();
  await page.locator('.el-message--success', { hasText: 'bob' }).waitFor({ timeout: 10_000 });
  const bob = (await admin.get('/api/agents?q=bob')).body.items.find((a: { agentId: string }) => a.agentId === 'bob');
  t.is(bob.maxChats, 8, 'ASSIGN-CAP-6 the agent table saves a cap');
  await page.screenshot({ path: screenshotPath('assignment-settings'), fullPage: true });
  t.deepEqual(pageErrors, []);
});

test.serial('CHATSET-WELCOME-1 my welcome text saves from the profile, with a placeholder preview', async (t) => {
  await page.goto(k.url + '/profile?tab=autoReply');
  await page.locator('[data-test="auto-welcome-enabled"]').waitFor({ timeout: 10_000 });
  await page.locator('[data-test="auto-welcome-enabled"]').click();
  await input('auto-welcome-text').fill('{visitor}您好,我是{agent}');
  await page.locator('[data-test="auto-reply-save"]').click();
  await saved();
  t.like((await admin.get('/api/profile/auto-reply')).body, { welcome: { enabled: true, text: '{visitor}您好,我是{agent}' } });
  await page.screenshot({ path: screenshotPath('auto-reply') });
  t.deepEqual(pageErrors, []);
});
