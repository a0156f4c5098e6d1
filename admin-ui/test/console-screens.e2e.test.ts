import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, call, next, startTestServer, type TestClient, visitorSocket, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, previewFrame, screenshotPath, signInWith } from './browser.ts';

/** The console screens of issue 7 in real Chromium against a started server: monitoring, leave-messages, settings, notices. */
const BOB_PASSWORD = 'Quiet-Harbour-2026!';
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let bobId: number;
const sockets: Socket[] = [];
const pages: Page[] = [];
const pageErrors: string[] = [];

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  const bob = await admin.post('/api/agents', {
    agentId: 'bob',
    name: 'Bob Agent',
    nickname: 'Bob',
    password: BOB_PASSWORD,
    mustChangePassword: false,
    role: 'agent',
    permissions: ['conversation.accept'],
  });
  if (bob.status !== 201) throw new Error(bob.text);
  bobId = bob.body.id;
});
test.after.always(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await k?.close();
});

const field = (page: Page, name: string) => page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first();

async function signIn(agentId: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${agentId}: ${e.message}`));
  pages.push(page);
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId, password });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 15_000 });
  return page;
}

async function visitor() {
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  return v;
}

// Signed in once and shared, in whichever test needs them first.
let adminPage: Page | undefined;
let bobPage: Page | undefined;
const asAdmin = async () => (adminPage ??= await signIn('admin', ADMIN_PASSWORD));
const asBob = async () => (bobPage ??= await signIn('bob', BOB_PASSWORD));

test.serial('CONV-MONITOR-35 CONV-WHISPER-37 CONV-TAKEOVER-38 a supervisor watches, whispers to the agent (never the visitor) and takes over', async (t) => {
  // Bob alone is online when the visitor asks, so automatic assignment gives him the chat.
  const bobPage = await asBob();
  const v = await visitor();
  const seenByVisitor: any[] = [];
  v.socket.on('message', (m) => seenByVisitor.push(m.message));
  await call(v.socket, 'page.view', { url: 'https://shop.example.com/cart', title: 'Cart' });
  const requested = await call(v.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  const conversationId = requested.conversation.id as number;
  await bobPage.locator('[data-test="conv-mine"]').first().waitFor({ timeout: 20_000 });
  await bobPage.locator('[data-test="conv-mine"]').first().click();
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: 'Is shipping free?' });

  const adminPage = await asAdmin();
  await adminPage.locator('[data-test="wb-monitor"]').click();
  const bobRow = adminPage.locator('[data-test="monitor-agent"]', { hasText: 'Bob' });
  await bobRow.waitFor({ timeout: 10_000 });
  await bobRow.locator('.el-checkbox').click();
  await adminPage.screenshot({ path: screenshotPath('monitor-dialog') });
  await adminPage.locator('[data-test="monitor-start"]').click();
  const watched = adminPage.locator('[data-test="conv-monitored"]');
  await watched.first().waitFor({ timeout: 10_000 });
  await watched.first().click();
  // The monitor reads the live transcript, read-only.
  await adminPage.locator('[data-test="message-text"]', { hasText: 'Is shipping free?' }).waitFor({ timeout: 10_000 });
  t.is(await adminPage.locator('[data-test="composer-input"]').count(), 0, 'no visitor-facing input for the monitor');
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: 'Hello?' });
  await adminPage.locator('[data-test="message-text"]', { hasText: 'Hello?' }).waitFor({ timeout: 10_000 });

  await field(adminPage, 'whisper-input').fill('Offer code FREESHIP');
  await adminPage.locator('[data-test="whisper-send"]').click();
  // Bob's console shows it marked as a whisper.
  const bobWhisper = bobPage.locator('[data-test="message-whisper"]', { hasText: 'Offer code FREESHIP' });
  await bobWhisper.waitFor({ timeout: 10_000 });
  t.regex((await bobWhisper.textContent()) ?? '', /Whisper|悄悄话/);
  await adminPage.locator('[data-test="message-whisper"]', { hasText: 'Offer code FREESHIP' }).waitFor();
  await adminPage.screenshot({ path: screenshotPath('monitor-whisper') });
  await bobPage.screenshot({ path: screenshotPath('agent-sees-whisper') });

  // Bob replies; the visitor gets that reply and never the whisper.
  const reply = next(v.socket, 'message', (m) => m.message.text === 'Shipping is free today');
  const bobInput = field(bobPage, 'composer-input');
  await bobInput.fill('Shipping is free today');
  await bobInput.press('Enter');
  await reply;
  t.false(
    seenByVisitor.some((m) => m.kind === 'whisper' || m.text === 'Offer code FREESHIP'),
    'the visitor socket never received the whisper',
  );
  const replay = await call(v.socket, 'sync', { conversationId, afterSeq: 0 });
  t.false(
    replay.messages.some((m: any) => m.kind === 'whisper'),
    'nor does the visitor replay contain it',
  );

  // Take over: the conversation moves to the admin, who can now answer the visitor.
  await adminPage.locator('[data-test="takeover"]').click();
  await adminPage.locator('.el-message-box__btns .el-button--primary').click();
  await adminPage.locator('[data-test="conv-mine"]').first().waitFor({ timeout: 10_000 });
  await field(adminPage, 'composer-input').waitFor({ timeout: 10_000 });
  await bobPage.locator('[data-test="conv-mine"]').waitFor({ state: 'detached', timeout: 10_000 });
  const adminReply = next(v.socket, 'message', (m) => m.message.text === 'I will take it from here');
  await field(adminPage, 'composer-input').fill('I will take it from here');
  await field(adminPage, 'composer-input').press('Enter');
  t.is((await adminReply).message.senderKind, 'agent');
  await adminPage.screenshot({ path: screenshotPath('monitor-takeover') });
  // What was read while monitoring does not come back as unread after a reload.
  await adminPage.reload();
  await adminPage.waitForFunction(() => document.querySelector('[data-test="wb-toolbar"]') && !document.querySelector('.wb-body > .el-loading-mask'));
  t.is((await adminPage.locator('[data-test="wb-unread"] b').textContent())?.trim(), '0');
});

test.serial('LEAVEMSG-LIST-1 LEAVEMSG-DETAIL-4 LEAVEMSG-STATUS-5 LEAVEMSG-TYPE-6 an agent reads a leave-message and marks it replied with a note', async (t) => {
  const v = await visitor();
  const left = await call(v.socket, 'leavemsg.submit', {
    fields: { name: 'Wang Fang', mobile: '13800138000', content: '请给我回电 <b>now</b>' },
    clientId: crypto.randomUUID(),
  });
  t.truthy(left.leaveMessage?.id, JSON.stringify(left));
  const id = left.leaveMessage.id as number;

  const adminPage = await asAdmin();
  await adminPage.goto(k.url + '/leave-messages');
  const row = adminPage.locator('[data-test="lm-table"] .el-table__row', { hasText: 'Wang Fang' });
  await row.waitFor({ timeout: 10_000 });
  t.regex((await adminPage.locator('[data-test="lm-tab-unreplied"]').textContent()) ?? '', /1/);
  t.is(await row.locator('[data-test="lm-content"]').textContent(), '请给我回电 <b>now</b>', 'markup stays text');
  await adminPage.screenshot({ path: screenshotPath('leave-messages-list') });

  await row.click();
  const drawer = adminPage.locator('[data-test="lm-drawer"]');
  await drawer.locator('[data-test="lm-toggle"]').waitFor({ timeout: 10_000 });
  t.regex((await drawer.textContent()) ?? '', /13800138000/);
  await drawer.locator('[data-test="lm-toggle"]').click();
  await drawer.locator('[data-test="lm-detail-status"]', { hasText: /Replied|已回复/ }).waitFor({ timeout: 10_000 });
  await field(adminPage, 'lm-note').fill('Called back at 3 pm');
  await drawer.locator('[data-test="lm-save"]').click();
  await adminPage.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  await adminPage.screenshot({ path: screenshotPath('leave-message-detail') });

  const stored = await admin.get(`/api/leave-messages/${id}`);
  t.is(stored.body.status, 'replied');
  t.is(stored.body.note, 'Called back at 3 pm');
  await adminPage.locator('[data-test="lm-drawer"] .el-drawer__close-btn').click();
  await adminPage.locator('[data-test="lm-table"] [data-test="lm-status"]', { hasText: /Replied|已回复/ }).waitFor({ timeout: 10_000 });
});

async function widgetConfig(where: (c: any) => boolean) {
  // The public configuration is cached for up to 5 seconds (STYLE-CONFIG-3).
  for (let i = 0; i < 40; i++) {
    const r = await fetch(`${k.url}/api/widget/config?c=${k.company.publicId}`);
    const body = await r.json();
    if (where(body)) return body;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error('the widget configuration never showed the saved settings');
}

test.serial('WINDOW-SCREEN-10 STYLE-STORE-2 STYLE-CONFIG-3 PRECHAT-SCREEN-9 saved settings reach /api/widget/config; bad input shows beside its field', async (t) => {
  const adminPage = await asAdmin();
  await adminPage.goto(k.url + '/settings/chat-window');
  await adminPage.locator('[data-test="widget-preview"]').waitFor({ timeout: 10_000 });
  await adminPage.locator('.lang-tabs .el-tabs__item', { hasText: 'English' }).first().click();
  await field(adminPage, 'text-en-welcome').fill('Welcome to ACME!');
  await adminPage.frameLocator('[data-test="preview-frame"]').locator('.msg.agent .text', { hasText: 'Welcome to ACME!' }).waitFor();

  // A colour the server refuses: its message appears next to the field and nothing is saved.
  await field(adminPage, 'theme-color').fill('red');
  await adminPage.locator('[data-test="settings-save"]').click();
  await adminPage.locator('[data-test="settings-error"]').waitFor({ timeout: 10_000 });
  t.true((await adminPage.locator('.el-form-item.is-error').count()) >= 1, 'the colour field is marked');
  await adminPage.screenshot({ path: screenshotPath('settings-window-error') });

  await field(adminPage, 'theme-color').fill('#aa3300');
  await adminPage.locator('[data-test="tool-emoji"]').click();
  await adminPage.locator('[data-test="settings-save"]').click();
  await adminPage.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  await adminPage.screenshot({ path: screenshotPath('settings-window') });
  const config = await widgetConfig((c) => c.texts?.en?.welcome === 'Welcome to ACME!');
  t.is(config.style.themeColor, '#aa3300');
  t.false(config.toolbar.emoji);

  await adminPage.goto(k.url + '/settings/prechat');
  const prechatPreview = await previewFrame(adminPage);
  await adminPage.locator('[data-test="prechat-enabled"]').click();
  // Hiding the question type avoids defining types; the website item is asked as required.
  await adminPage.locator('[data-test="shown-questionType"]').click();
  await adminPage.locator('[data-test="required-website"]').click();
  await prechatPreview.locator('#prechat input[name="website"][required]').waitFor();
  await adminPage.locator('[data-test="settings-save"]').click();
  await adminPage.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  await adminPage.screenshot({ path: screenshotPath('settings-prechat') });
  const prechat = (await widgetConfig((c) => c.prechat?.enabled === true)).prechat;
  t.deepEqual(
    prechat.fields.find((f: any) => f.key === 'website'),
    { key: 'website', required: true },
  );
  t.false(prechat.fields.some((f: any) => f.key === 'questionType'));
});

test.serial('NOTICE-COMPOSE-1 NOTICE-DELIVER-3 NOTICE-READ-5 a notice published in the console pops up for another agent, who confirms it', async (t) => {
  const [adminPage, bobPage] = [await asAdmin(), await asBob()];
  await adminPage.goto(k.url + '/notices');
  await adminPage.locator('.el-tabs__item', { hasText: /Publish|发布通知/ }).click();
  await field(adminPage, 'notice-title').fill('System upgrade tonight');
  await field(adminPage, 'notice-body').fill('The console restarts at 23:00.\nDetails: https://status.example.com');
  await adminPage.locator('[data-test="notice-count"]', { hasText: /\d/ }).waitFor({ timeout: 10_000 });
  await adminPage.screenshot({ path: screenshotPath('notice-compose') });
  await adminPage.locator('[data-test="notice-publish"]').click();

  const box = bobPage.locator('[data-test="notice-box"]');
  await box.locator('[data-test="notice-content"]', { hasText: 'The console restarts at 23:00.' }).waitFor({ timeout: 10_000 });
  t.is(await box.locator('a[href^="https://status.example.com"]').getAttribute('rel'), 'noopener noreferrer nofollow');
  await bobPage.screenshot({ path: screenshotPath('notice-box') });
  await box.locator('[data-test="notice-ack"]').click();
  await box.locator('[data-test="notice-content"]').waitFor({ state: 'hidden', timeout: 10_000 });

  const mine = await admin.get('/api/notices?scope=recent');
  const notice = mine.body.items.find((n: any) => n.title === 'System upgrade tonight');
  const receipts = await admin.get(`/api/notices/${notice.id}/receipts`);
  t.truthy(receipts.body.recipients.find((r: any) => r.agentId === bobId)?.readAt, 'bob’s read is recorded');

  // The admin, a recipient too, confirms the box; the list then shows the notice as read.
  await adminPage.locator('[data-test="notice-ack"]').click();
  await adminPage.locator('.el-tabs__item', { hasText: /My notices|我的通知/ }).click();
  await adminPage.locator('[data-test="notice-item"]', { hasText: 'System upgrade tonight' }).waitFor();
  await adminPage.screenshot({ path: screenshotPath('notices-list') });
  await adminPage.goto(k.url + '/workbench');
  await adminPage.locator('[data-test="workbench"]').waitFor();
});

test.serial('INTERNAL-DIRECT-3 INTERNAL-UNREAD-6 agents chat with each other from the header; the unread count shows and clears', async (t) => {
  const [adminPage, bobPage] = [await asAdmin(), await asBob()];
  await bobPage.locator('[data-test="internal-open"]').click();
  const drawer = bobPage.locator('[data-test="internal-drawer"]');
  await drawer.locator('[data-test="internal-colleague"]', { hasText: 'admin' }).click();
  await field(bobPage, 'internal-input').fill('Can you cover lunch?');
  await field(bobPage, 'internal-input').press('Enter');
  await drawer.locator('[data-test="internal-thread"]', { hasText: 'Can you cover lunch?' }).waitFor({ timeout: 10_000 });

  const badge = adminPage.locator('.el-badge:has([data-test="internal-open"]) .el-badge__content');
  await badge.filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
  await adminPage.locator('[data-test="internal-open"]').click();
  await adminPage.locator('[data-test="internal-colleague"]', { hasText: 'Bob' }).click();
  await adminPage.locator('[data-test="internal-thread"]', { hasText: 'Can you cover lunch?' }).waitFor({ timeout: 10_000 });
  await adminPage.screenshot({ path: screenshotPath('internal-chat') });
  await badge.waitFor({ state: 'hidden', timeout: 10_000 });
  t.is(await adminPage.locator('[data-test="internal-thread"] .msg').count(), 1);
});

test.serial('OTHERSET-SHORTCUTS-7 “?” outside an input lists the shortcuts the agent can use', async (t) => {
  const [adminPage, bobPage] = [await asAdmin(), await asBob()];
  for (const page of [adminPage, bobPage]) {
    await page.goto(k.url + '/workbench');
    await page.locator('[data-test="wb-toolbar"]').waitFor();
    await page.keyboard.press('Shift+Slash');
  }
  const adminHelp = adminPage.locator('[data-test="shortcuts-dialog"]');
  await adminHelp.getByText('Alt', { exact: true }).first().waitFor({ timeout: 10_000 });
  t.regex((await adminHelp.textContent()) ?? '', /Monitor agents|监控客服/);
  await adminPage.screenshot({ path: screenshotPath('shortcuts') });
  const bobHelp = bobPage.locator('[data-test="shortcuts-dialog"]');
  await bobHelp.getByText('Alt', { exact: true }).first().waitFor({ timeout: 10_000 });
  t.notRegex((await bobHelp.textContent()) ?? '', /Monitor agents|监控客服/, 'no monitor shortcut without conversation.monitor');
  t.deepEqual(pageErrors, []);
});
