import fs from 'node:fs';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, agentSocket, call, next, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath } from './browser.ts';

/** 对话查询, 对话设置, 自动分配 and 自动应答 in real Chromium against a started server. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const pageErrors: string[] = [];
let conversationId: number;

const input = (name: string, on = page) => on.locator(`[data-test="${name}"] input, input[data-test="${name}"], textarea[data-test="${name}"]`).first();
async function signIn(agentId: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, acceptDownloads: true, locale: 'zh-CN' });
  const p = await context.newPage();
  p.on('pageerror', (e) => pageErrors.push(`${agentId}: ${e.message}`));
  await p.goto(k.url + '/');
  await input('login-company', p).fill(String(k.company.publicId));
  await input('login-agent', p).fill(agentId);
  await input('login-password', p).fill(password);
  await p.locator('[data-test="login-submit"]').click();
  await p.locator('[data-test="workbench"]').waitFor({ timeout: 15_000 });
  return p;
}
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

test.serial('HISTORY-KEYWORD-2 HISTORY-LIST-4 HISTORY-DETAIL-6 HISTORY-EXPORT-10 a two-character Chinese keyword finds the conversation, the transcript opens, the export downloads', async (t) => {
  await page.goto(k.url + '/history');
  await page.locator('[data-test="history-total"]', { hasText: '共 1 条' }).waitFor({ timeout: 10_000 });

  await input('history-keyword').fill('退货');
  await page.locator('[data-test="history-search"]').click();
  await page.locator('[data-test="history-total"]', { hasText: '共 0 条' }).waitFor({ timeout: 10_000 });
  t.true(await page.locator('[data-test="history-table"]', { hasText: '没有符合条件的对话' }).isVisible(), 'an empty search says so');

  await input('history-keyword').fill('退款');
  await page.locator('[data-test="history-search"]').click();
  const hit = page.locator('[data-test="history-preview"] mark', { hasText: '退款' });
  await hit.waitFor({ timeout: 10_000 });
  t.is(await page.locator('[data-test="history-preview"]').first().innerText(), '你好,我想申请退款了');
  t.true(page.url().includes(`keyword=${encodeURIComponent('退款')}`), 'the search is kept in the address');
  await page.screenshot({ path: screenshotPath('history-search') });

  await hit.click();
  const drawer = page.locator('[data-test="history-drawer"]');
  await drawer.locator('[data-test="history-transcript"]', { hasText: '马上为您处理' }).waitFor({ timeout: 10_000 });
  t.true(await drawer.getByText('你好,我想申请退款了').isVisible());
  t.true(await drawer.getByText('访客结束').isVisible(), 'the end reason by name');
  // The drawer slides in; the picture is taken once it stands still.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
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
  await page.locator('[data-test="settings-save"]').click();
  await saved();
  t.like((await admin.get('/api/settings/policies')).body, { version: 1, settings: { hold: { enabled: true, minutes: 25 } } });

  await page.reload();
  await minutes.waitFor({ timeout: 10_000 });
  t.is(await minutes.inputValue(), '25', 'read back after a reload');
  await page.screenshot({ path: screenshotPath('policy-hold') });

  await page.locator('[data-test="hold-enabled"]').click();
  await page.locator('[data-test="policy-tab-push"]').click();
  await page.locator('[data-test="push-needs-hold"]').waitFor();
  t.true(await page.locator('[data-test="push-enabled"]').evaluate((el) => el.classList.contains('is-disabled')), 'push cannot be switched on without hold');
  await page.locator('[data-test="push-log"]').waitFor();
  await page.screenshot({ path: screenshotPath('policy-push') });
  t.deepEqual(pageErrors, []);
});

test.serial('ASSIGN-SCREEN-16 ASSIGN-CONNECT-15 the agent-must-confirm option saves with its time', async (t) => {
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
  await page.screenshot({ path: screenshotPath('assignment-settings') });
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
