import test from 'ava';
import type { BrowserContext, Page } from 'playwright-core';
import { call, visitorSocket } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** Several tabs, ended sessions and the 工作台与登录 settings (SPEC §1.1–1.2), in real Chromium. */
const s = serverAndBrowser();
const PASSWORD = 'Quiet-river-42';

async function addAgent(agentId: string) {
  const r = await s.admin.post('/api/agents', { agentId, name: agentId, password: PASSWORD, mustChangePassword: false });
  if (r.status !== 201) throw new Error(`creating ${agentId}: ${r.status} ${r.text}`);
}
async function saveWorkbench(patch: Record<string, unknown>) {
  const cur = await s.admin.get('/api/settings/workbench');
  const r = await s.admin.put('/api/settings/workbench', { version: cur.body.version, settings: { ...cur.body.settings, ...patch } });
  if (r.status !== 200) throw new Error(`saving: ${r.status} ${r.text}`);
}
/** `init`: a script run in every page before the console (a string: the test runner's compiled functions do not survive). */
async function newContext(t: { teardown(fn: () => Promise<void>): void }, init?: string): Promise<BrowserContext> {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  if (init) await context.addInitScript({ content: init });
  t.teardown(() => context.close());
  return context;
}
const signIn = (page: Page, agentId: string) => signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId, password: PASSWORD });
/** A second tab of the same browser: it shares the session cookie and opens on the workbench. */
async function secondTab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(s.k.url + '/');
  await page.locator('[data-test="workbench"]').waitFor({ timeout: 15_000 });
  return page;
}
async function until(ok: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const endedNotice = (page: Page) => page.locator('[data-test="login-session-ended"]');

test.serial('MAIN-SETTINGS-10 the 工作台与登录 sub-tab edits the login settings and the visitor list scope, and reloads on a stale save', async (t) => {
  const context = await newContext(t);
  const page = await context.newPage();
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: s.k.company.adminPassword });
  await page.goto(s.k.url + '/settings/conversation');
  await page.locator('[data-test="policy-tab-workbench"]:visible').click();
  const screen = page.locator('[data-test="workbench-settings"]');
  await screen.locator('[data-test="workbench-multi-login"]').waitFor();
  t.regex(await screen.innerText(), /同一客服ID多处登录[\s\S]*允许[\s\S]*禁止/);
  t.regex(await screen.innerText(), /小时后退出\(1–72\)/);
  await screen.locator('[data-test="workbench-multi-forbid"]').click();
  const idle = screen.locator('[data-test="workbench-idle-hours"] input');
  await idle.fill('24');
  await idle.blur();
  await screen.locator('[data-test="workbench-visitor-scope"] label', { hasText: '本组访客' }).click();
  await screen.locator('[data-test="settings-save"]').click();
  // Both documents saved: the screen has nothing left to save.
  await until(async () => (await s.admin.get('/api/settings/workbench')).body.version === 1 && (await s.admin.get('/api/settings/visitor-list')).body.version === 1);
  const saved = (await s.admin.get('/api/settings/workbench')).body;
  t.is(saved.settings.multiLogin, 'forbid');
  t.is(saved.settings.idleHours, 24);
  t.is((await s.admin.get('/api/settings/visitor-list')).body.settings.visitorScope, 'group');

  // Someone else saves meanwhile: this screen's save is refused and it shows their values.
  await saveWorkbench({ idleHours: 36 });
  await idle.fill('48');
  await idle.blur();
  await screen.locator('[data-test="settings-save"]').click();
  await page.locator('.el-message--warning', { hasText: '其他人刚刚保存了这些设置' }).waitFor();
  await page.waitForFunction(() => (document.querySelector('[data-test="workbench-idle-hours"] input') as HTMLInputElement)?.value === '36');
  await page.screenshot({ path: screenshotPath('workbench-login-settings') });
  await saveWorkbench({ multiLogin: 'allow', idleHours: 12 });
  const scope = (await s.admin.get('/api/settings/visitor-list')).body;
  await s.admin.put('/api/settings/visitor-list', { version: scope.version, settings: { visitorScope: 'all' } });
});

test.serial('LOGIN-MULTI-8 MAIN-ENDED-9 with 禁止, a login elsewhere returns every tab to the login page with the new address and time', async (t) => {
  await addAgent('amy');
  await saveWorkbench({ multiLogin: 'forbid' });
  const first = await newContext(t);
  const tab1 = await first.newPage();
  await signIn(tab1, 'amy');
  const tab2 = await secondTab(first);

  const elsewhere = await newContext(t);
  const other = await elsewhere.newPage();
  await signIn(other, 'amy');
  for (const tab of [tab1, tab2]) {
    await endedNotice(tab).waitFor({ timeout: 5000 });
    t.regex(await endedNotice(tab).innerText(), /^您的账号已在其他地方登录。新的登录来自 127\.0\.0\.1,时间 \d{4}年/);
    await tab.locator('[data-test="login-submit"]').waitFor();
  }
  await tab1.screenshot({ path: screenshotPath('session-replaced') });
  t.is(await other.locator('[data-test="workbench"]').count(), 1, 'the new login stays');
  await saveWorkbench({ multiLogin: 'allow' });
});

test.serial('MAIN-ENDED-9 退出 in one tab: the other tab says so in words and returns to the login page', async (t) => {
  await addAgent('ben');
  const context = await newContext(t);
  const tab1 = await context.newPage();
  await signIn(tab1, 'ben');
  const tab2 = await secondTab(context);
  await tab1.locator('[data-test="user-menu"]').click();
  await tab1.locator('[data-test="logout"]').click();
  await endedNotice(tab2).waitFor({ timeout: 5000 });
  t.is((await endedNotice(tab2).innerText()).trim(), '您已在其他窗口退出。');
  await tab1.locator('[data-test="login-submit"]').waitFor();
  t.is(await endedNotice(tab1).count(), 0, 'the tab that signed out shows no reason');
});

test.serial('MAIN-INDICATOR-3 MAIN-TABS-6 TOOLBAR-STATUS-8 the status badge, favicon and title prefix follow a status change on every tab within a second; the header switch works on any screen', async (t) => {
  await addAgent('cleo');
  const context = await newContext(t);
  const tab1 = await context.newPage();
  await signIn(tab1, 'cleo');
  const tab2 = await secondTab(context);
  const favicon = (page: Page) => page.evaluate(() => decodeURIComponent(document.querySelector('link[rel="icon"]')!.getAttribute('href')!));
  for (const tab of [tab1, tab2]) {
    await tab.locator('[data-test="statusbar-status"][data-status="online"]').waitFor();
    await tab.waitForFunction(() => document.title.startsWith('● 在线 | '));
    t.regex(await favicon(tab), /^data:image\/svg\+xml,<svg[^>]*><circle cx="16" cy="16" r="13" fill="#1f9d55"\/><\/svg>$/);
  }
  const badge = tab1.locator('[data-test="statusbar-status"]');
  await badge.hover();
  await tab1.locator('.el-popper', { hasText: '我的状态:在线' }).waitFor();

  await tab1.locator('[data-test="wb-status"]').click();
  await tab1.locator('.el-select-dropdown__item', { hasText: '忙碌' }).click();
  const changed = Date.now();
  await tab2.locator('[data-test="statusbar-status"][data-status="busy"]').waitFor({ timeout: 2000 });
  await tab2.waitForFunction(() => document.title.startsWith('⊖ 忙碌 | '), undefined, { timeout: 2000 });
  t.true(Date.now() - changed < 1500, 'the other tab follows within about a second');
  t.regex(await favicon(tab2), /<rect /, 'busy is a dot with a bar, not only another colour');
  t.is((await tab2.locator('[data-test="statusbar-status"]').innerText()).trim(), '忙碌');
  await tab2.screenshot({ path: screenshotPath('status-indicator-busy') });

  // Leaving the workbench puts back the plain icon and title.
  await tab2.goto(s.k.url + '/preferences');
  await tab2.locator('[data-test="preferences-page"]').waitFor();
  t.is(await favicon(tab2), '/favicon.svg');
  t.false((await tab2.title()).includes('忙碌'));

  // The switch sits in the header: away from the workbench it shows the status and changes it for every tab.
  const headerSwitch = tab2.locator('[data-test="app-header"] [data-test="wb-status"]');
  await tab2.locator('[data-test="app-header"] [data-test="wb-status"]', { hasText: '忙碌' }).waitFor();
  await headerSwitch.click();
  await tab2.locator('.el-select-dropdown__item:visible', { hasText: '离开' }).click();
  await tab1.locator('[data-test="statusbar-status"][data-status="away"]').waitFor({ timeout: 2000 });
  await tab2.locator('[data-test="app-header"] [data-test="wb-status"]', { hasText: '离开' }).waitFor();
  await tab2.screenshot({ path: screenshotPath('header-status-switch') });
});

test.serial('MAIN-TABS-6 opening a conversation in one tab marks it read in the agent’s other tab within a second', async (t) => {
  await addAgent('eve');
  const context = await newContext(t);
  const tab1 = await context.newPage();
  await signIn(tab1, 'eve');
  const tab2 = await secondTab(context);
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  t.teardown(() => void v.socket.disconnect());
  const requested = await call(v.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  const conversationId = requested.conversation.id as number;
  t.true((await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: 'anyone there?' })).ok);
  for (const tab of [tab1, tab2]) await tab.locator('[data-test="conv-unread"]').first().waitFor({ timeout: 10_000 });

  await tab1.locator('[data-test="conv-mine"]').first().click();
  await tab1.locator('[data-test="message-text"]', { hasText: 'anyone there?' }).waitFor();
  const opened = Date.now();
  await tab2.locator('[data-test="conv-unread"]').waitFor({ state: 'detached', timeout: 2000 });
  t.true(Date.now() - opened < 1500, 'the other tab drops the unread mark within about a second');
});

test.serial('MAIN-ENDED-9 ended by an admin: the reason in words; the draft comes back when the same agent signs in again', async (t) => {
  const created = await s.admin.post('/api/agents', { agentId: 'fay', name: 'fay', password: PASSWORD, mustChangePassword: false });
  const context = await newContext(t);
  const page = await context.newPage();
  await signIn(page, 'fay');
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  t.teardown(() => void v.socket.disconnect());
  t.true((await call(v.socket, 'chat.request', {})).ok);
  await page.locator('[data-test="conv-mine"]').first().click();
  const input = page.locator('[data-test="composer-input"] textarea, textarea[data-test="composer-input"]').first();
  await input.fill('half-written reply');
  await page.waitForTimeout(600);

  t.is((await s.admin.post(`/api/agents/${created.body.id}/sessions/end`, {})).status, 200);
  await endedNotice(page).waitFor({ timeout: 5000 });
  t.is((await endedNotice(page).innerText()).trim(), '您已被管理员下线。');

  await signIn(page, 'fay');
  await page.locator('[data-test="conv-mine"]').first().click();
  await t.notThrowsAsync(
    page.waitForFunction(
      () => (document.querySelector('[data-test="composer-input"] textarea, textarea[data-test="composer-input"]') as HTMLTextAreaElement)?.value === 'half-written reply',
    ),
    'the unsent draft is back in the composer',
  );
});

/** Every tab thinks it is out of view, may notify, and records its notifications and beeps. */
const RECORD_ALERTS = `
  Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
  Object.defineProperty(document, 'hidden', { get: () => true });
  document.hasFocus = () => false;
  window.__alerts = { notes: [], beeps: 0 };
  window.Notification = function (title, options) {
    const note = { title, tag: options.tag, onclick: null, close() {} };
    window.__alerts.notes.push({ title, tag: options.tag, click: () => note.onclick && note.onclick() });
    return note;
  };
  window.Notification.permission = 'granted';
  window.Notification.requestPermission = async () => 'granted';
  const createOscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    window.__alerts.beeps += 1;
    return createOscillator.call(this);
  };
`;
/** Notification permission still to be asked; asking records it and is denied. */
const ASK_DENIED = `
  window.__asked = 0;
  window.Notification = function () {};
  window.Notification.permission = 'default';
  window.Notification.requestPermission = async () => {
    window.__asked += 1;
    window.Notification.permission = 'denied';
    return 'denied';
  };
`;
const alertsOf = (page: Page) =>
  page.evaluate(() => {
    const a = (window as unknown as { __alerts: { notes: { title: string; tag: string }[]; beeps: number } }).__alerts;
    return { notes: a.notes.map((n) => ({ title: n.title, tag: n.tag })), beeps: a.beeps };
  });

test.serial('MAIN-TABS-6 OTHERSET-DESKTOP-3 one tab of the browser rings and notifies, per conversation by tag; another tab takes over when it closes', async (t) => {
  await addAgent('dora');
  const context = await newContext(t, RECORD_ALERTS);
  const tab1 = await context.newPage();
  await signIn(tab1, 'dora');
  const tab2 = await secondTab(context);
  await tab2.locator('[data-test="statusbar-status"][data-status="online"]').waitFor();
  await tab2.waitForTimeout(1200);

  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  t.teardown(() => void v.socket.disconnect());
  const requested = await call(v.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  const conversationId = requested.conversation.id as number;
  await tab1.locator('[data-test="conv-mine"]').first().waitFor({ timeout: 10_000 });
  await tab2.locator('[data-test="conv-mine"]').first().waitFor({ timeout: 10_000 });
  for (const text of ['first', 'second'])
    t.true((await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text })).ok);
  await tab1.waitForFunction(() => (window as unknown as { __alerts: { notes: unknown[] } }).__alerts.notes.length >= 3, undefined, { timeout: 10_000 });
  await tab2.waitForTimeout(500);
  const a1 = await alertsOf(tab1);
  const a2 = await alertsOf(tab2);
  t.deepEqual(a2, { notes: [], beeps: 0 }, 'the second tab stays silent');
  t.true(a1.beeps >= 1);
  t.true(a1.notes.every((n) => n.tag === `kefu-conversation-${conversationId}`), 'one conversation’s notifications replace each other');

  // Clicking the notification opens that conversation.
  await tab1.evaluate(() => (window as unknown as { __alerts: { notes: { click: () => void }[] } }).__alerts.notes.at(-1)!.click());
  await tab1.locator('[data-test="message-text"]', { hasText: 'second' }).waitFor({ timeout: 5000 });

  // The leading tab closes: the other one takes over.
  await tab1.close();
  await tab2.waitForTimeout(300);
  t.true((await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: 'third' })).ok);
  await tab2.waitForFunction(() => (window as unknown as { __alerts: { notes: unknown[] } }).__alerts.notes.length >= 1, undefined, { timeout: 5000 });
  t.is((await alertsOf(tab2)).notes[0].tag, `kefu-conversation-${conversationId}`);
});

test.serial('OTHERSET-DESKTOP-3 OTHERSET-PROXY-1 settings: permission asked only on the button; the 代理 section shows the connection and the address the server sees', async (t) => {
  const context = await newContext(t, ASK_DENIED);
  const page = await context.newPage();
  await signIn(page, 'dora');
  await page.locator('[data-test="wb-status"]').click();
  await page.keyboard.press('Escape');
  await page.goto(s.k.url + '/preferences?tab=other');
  const desktop = page.locator('[data-test="pref-desktop"]');
  await desktop.waitFor();
  t.is(await page.evaluate(() => (window as unknown as { __asked: number }).__asked), 0, 'never asked on load or on a click elsewhere');
  await desktop.locator('[data-test="pref-desktop-enable"]').click();
  await desktop.locator('[data-test="pref-desktop-state"]', { hasText: '本浏览器已禁止控制台显示通知' }).waitFor();
  t.is(await page.evaluate(() => (window as unknown as { __asked: number }).__asked), 1);

  const proxy = page.locator('[data-test="pref-proxy"]');
  t.regex(await proxy.innerText(), /浏览器自身的代理设置/);
  await proxy.locator('[data-test="proxy-ip"]', { hasText: '127.0.0.1' }).waitFor();
  await proxy.locator('[data-test="proxy-transport"]', { hasText: /^(WebSocket|长轮询)$/ }).waitFor();
  t.is((await proxy.locator('[data-test="proxy-server"]').innerText()).trim(), s.k.url);
  t.regex(await proxy.locator('[data-test="proxy-rtt"]').innerText(), /^\d+ 毫秒$/);
  t.is(await proxy.getByRole('button', { name: '复制' }).count(), 1);
  await page.screenshot({ path: screenshotPath('preferences-proxy') });
});
