import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, agentSocket, call, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { MailOutbox } from '../../core/src/leavemsg/mail-outbox.ts';
import { mailText, smtp } from '../../core/test/helpers/smtp.ts';
import { field, launchBrowser, screenshotPath, signInWith } from './browser.ts';

let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let mailer: Awaited<ReturnType<typeof smtp>>;
const sockets: Socket[] = [];
const BO_PASSWORD = 'Quiet-river-42';

test.before(async () => {
  [k, browser, mailer] = await Promise.all([startTestServer(), launchBrowser(), smtp()]);
  admin = await k.login();
  const bo = await admin.post('/api/agents', { agentId: 'bo', name: 'Bo', password: BO_PASSWORD, mustChangePassword: false, email: 'bo@acme.test' });
  if (bo.status !== 201) throw new Error(bo.text);
});
test.after.always(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await k?.close();
  await mailer?.close();
});

/** Fills the login form and submits it; `remember` sets the 记住我 box first. */
async function submitLogin(page: Page, agentId: string, password: string, remember: boolean) {
  await field(page, 'login-company').fill(String(k.company.publicId));
  await field(page, 'login-agent').fill(agentId);
  await field(page, 'login-password').fill(password);
  const box = page.locator('[data-test="login-remember"]');
  if ((await box.locator('input').isChecked()) !== remember) await box.click();
  await page.locator('[data-test="login-submit"]').click();
  await page.locator('[data-test="app-header"]').waitFor({ timeout: 20_000 });
}

async function logout(page: Page) {
  await page.locator('[data-test="user-menu"]').click();
  await page.locator('[data-test="logout"]').click();
  // With conversations still open, 退出 asks first (MENU-EXIT-6).
  const confirm = page.locator('[data-test="exit-dialog"] [data-test="exit-confirm"]');
  await page.locator('[data-test="login-form"]').or(confirm).first().waitFor({ timeout: 15_000 });
  if (await confirm.isVisible()) await confirm.click();
  await page.locator('[data-test="login-form"]').waitFor({ timeout: 15_000 });
}

test.serial('LOGIN-IDS-11 LOGIN-SAVEPWD-9 ticked logins remember ID pairs (never a password) and hand the credential to the password manager', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  // Records what the console hands to the Credential Management API, as the browser's password manager would see it.
  // A string, because the test's transpiler would wrap functions in helpers the page does not have.
  await context.addInitScript(`
    window.__stored = [];
    window.PasswordCredential = class { constructor(data) { this.data = data; } };
    Object.defineProperty(navigator, 'credentials', { value: { store: async (c) => void window.__stored.push(c.data) } });
  `);
  const page = await context.newPage();
  await page.goto(k.url + '/login');
  t.is(await field(page, 'login-agent').getAttribute('autocomplete'), 'username');
  t.is(await field(page, 'login-password').getAttribute('autocomplete'), 'current-password');
  t.is(await page.locator('[data-test="login-ids"]').count(), 0, 'nothing remembered yet: no ▾');

  await submitLogin(page, 'admin', ADMIN_PASSWORD, true);
  t.deepEqual(await page.evaluate(() => (window as any).__stored), [{ id: `${k.company.publicId} / admin`, password: ADMIN_PASSWORD, name: 'admin' }]);
  await logout(page);
  await submitLogin(page, 'bo', BO_PASSWORD, true);
  await logout(page);

  // Newest first: bo is filled in, and ▾ lists both pairs.
  t.is(await field(page, 'login-agent').inputValue(), 'bo');
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  t.false(stored.includes(BO_PASSWORD) || stored.includes(ADMIN_PASSWORD), 'no password in the browser storage');
  await page.locator('[data-test="login-ids"]').first().click();
  const items = page.locator('[data-test="login-ids-menu"]:visible [data-test="login-ids-item"]');
  await items.first().waitFor();
  t.deepEqual(await items.allInnerTexts(), [`${k.company.publicId} / bo`, `${k.company.publicId} / admin`]);
  await page.screenshot({ path: screenshotPath('login-remembered-ids') });
  await items.nth(1).click();
  t.is(await field(page, 'login-agent').inputValue(), 'admin');
  t.is(await field(page, 'login-company').inputValue(), String(k.company.publicId));

  // × forgets one pair; 清除记录 forgets the rest and the ▾ goes away.
  await page.locator('[data-test="login-ids"]').first().click();
  await page.locator('[data-test="login-ids-menu"]:visible [data-test="login-ids-forget"]').first().click();
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('kefu.login.ids') ?? '[]').length === 1);
  t.deepEqual(await items.allInnerTexts(), [`${k.company.publicId} / admin`]);
  await page.locator('[data-test="login-ids-menu"]:visible [data-test="login-ids-clear"]').click();
  await page.locator('[data-test="login-ids"]').first().waitFor({ state: 'detached' });
  t.is(await page.evaluate(() => localStorage.getItem('kefu.login.ids')), null);

  // Unticked: nothing remembered and nothing handed to the password manager.
  await page.evaluate(() => ((window as any).__stored.length = 0));
  await submitLogin(page, 'bo', BO_PASSWORD, false);
  t.deepEqual(await page.evaluate(() => (window as any).__stored), []);
  t.is(await page.evaluate(() => localStorage.getItem('kefu.login.ids')), null);
  await context.close();
});

test.serial('LOGIN-FORGOT-14 忘记密码 e-mails a link; the page it opens sets a new password that signs in, once', async (t) => {
  const version = (await admin.get('/api/settings/mail')).body.version;
  const saved = await admin.put('/api/settings/mail', { version, smtp: { host: '127.0.0.1', port: mailer.port, security: 'none', fromAddress: 'kefu@acme.test' } });
  t.is(saved.status, 200, saved.text);
  const page = await browser.newPage({ viewport: { width: 400, height: 800 } });
  await page.goto(k.url + '/login');
  await field(page, 'login-company').fill(String(k.company.publicId));
  await field(page, 'login-agent').fill('bo');
  await page.locator('[data-test="login-forgot"]').click();
  await page.locator('[data-test="forgot-form"]').waitFor();
  t.is(await field(page, 'forgot-agent').inputValue(), 'bo', 'the IDs typed on the login page are carried over');
  await page.locator('[data-test="forgot-submit"]').click();
  await page.locator('[data-test="forgot-sent"]', { hasText: 'If the account exists' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('forgot-sent') });

  t.is(await k.server.container.resolve(MailOutbox).drain(), 1);
  const mail = mailer.received.find((m) => m.to.includes('bo@acme.test'));
  const link = /https?:\/\/\S+?(\/reset-password\?token=\S+)/.exec(mailText(mail?.raw ?? ''));
  t.truthy(link, 'the mail carries the reset link');
  await page.goto(k.url + link![1]);
  await page.locator('[data-test="reset-who"]', { hasText: 'bo' }).waitFor({ timeout: 10_000 });
  await field(page, 'reset-password').fill('bo-weak');
  await field(page, 'reset-confirm').fill('bo-weak');
  await page.locator('[data-test="reset-submit"]').click();
  // The server's rule shows beside the field.
  await page.locator('.el-form-item__error', { hasText: /letter and one digit|agent ID/ }).waitFor({ timeout: 10_000 });
  await field(page, 'reset-password').fill('Fresh-meadow-77');
  await field(page, 'reset-confirm').fill('Fresh-meadow-77');
  await page.locator('[data-test="reset-submit"]').click();
  await page.locator('[data-test="login-reset-done"]').waitFor({ timeout: 10_000 });
  await submitLogin(page, 'bo', 'Fresh-meadow-77', false);

  // The link is spent.
  await page.goto(k.url + link![1]);
  await page.locator('[data-test="reset-invalid"]').waitFor({ timeout: 10_000 });
  await page.close();
});

test.serial('MAIN-EVENTS-4 while the tab is hidden the title blinks 【N】 for waiting events and stops when the agent comes back', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.locator('[data-test="wb-waiting"]').waitFor();
  const setHidden = (hidden: boolean) =>
    page.evaluate(`
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} });
      document.dispatchEvent(new Event('visibilitychange'));
    `);
  await setHidden(true);
  t.false((await page.title()).startsWith('【'), 'nothing waits yet');

  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const requested = await call(v.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  const sent = await call(v.socket, 'message.send', { conversationId: requested.conversation.id, clientId: crypto.randomUUID(), text: 'hello?' });
  t.true(sent.ok, JSON.stringify(sent));
  await page.waitForFunction(() => /^【[1-9]\d*】/.test(document.title), undefined, { timeout: 10_000 });
  // It blinks: the badge goes away and comes back while the tab stays hidden.
  await page.waitForFunction(() => !document.title.startsWith('【'), undefined, { timeout: 5_000 });
  await page.waitForFunction(() => document.title.startsWith('【'), undefined, { timeout: 5_000 });

  await setHidden(false);
  await page.waitForFunction(() => !document.title.startsWith('【'), undefined, { timeout: 5_000 });
  t.false((await page.title()).startsWith('【'), 'a visible tab does not blink');
  await page.close();
});

test.serial('LOGIN-AUTOLOGIN-10 a company whose automatic-login lifetime is 0 days shows no 自动登录 box on the login form', async (t) => {
  const save = async (autoLoginDays: number) => {
    const cur = await admin.get('/api/settings/workbench');
    const r = await admin.put('/api/settings/workbench', { version: cur.body.version, settings: { ...cur.body.settings, autoLoginDays } });
    if (r.status !== 200) throw new Error(r.text);
  };
  await save(0);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await page.goto(k.url + '/login');
    const box = page.locator('[data-test="login-remember"]');
    await field(page, 'login-company').fill(String(k.company.publicId));
    await box.waitFor({ state: 'detached', timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('login-no-autologin') });
    // Another company (unknown here) keeps the default box; back to this one, it goes again.
    await field(page, 'login-company').fill('99999999');
    await box.waitFor({ timeout: 10_000 });
    await field(page, 'login-company').fill(String(k.company.publicId));
    await box.waitFor({ state: 'detached', timeout: 10_000 });
    t.is(await page.locator('[data-test="login-forgot"]').count(), 1, '忘记密码 stays');
  } finally {
    await page.close();
    await save(30);
  }
});

test.serial('LOGIN-NETWORK-12 网络 on the login page tests the server and both realtime transports and shows the address the server sees', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(k.url + '/login');
  await page.locator('[data-test="login-network"]').click();
  const dialog = page.locator('[data-test="network-dialog"]');
  for (const check of ['server', 'websocket', 'polling', 'rtt', 'ip'])
    await dialog.locator(`[data-test="network-${check}-state"]`, { hasText: 'OK' }).waitFor({ timeout: 20_000 });
  t.regex(await dialog.locator('[data-test="network-ip"]').innerText(), /127\.0\.0\.1|::1/);
  t.regex(await dialog.locator('[data-test="network-rtt"]').innerText(), /\d+ ms/);
  await page.screenshot({ path: screenshotPath('login-network') });
  // 重新检测 runs everything again.
  await dialog.locator('[data-test="network-rerun"]').click();
  await dialog.locator('[data-test="network-server-state"]', { hasText: 'OK' }).waitFor({ timeout: 20_000 });
  await page.close();
});

test.serial('MAIN-LANDING-2 MENU-NAV-1 MAIN-PERMS-8 the console opens the screen asked for before login, ignores foreign targets, and menus follow permissions live without reload', async (t) => {
  const cy = await admin.post('/api/agents', { agentId: 'cy', name: 'Cy', password: BO_PASSWORD, mustChangePassword: false, permissions: [] });
  t.is(cy.status, 201, cy.text);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  // Asked for a screen while signed out: back there after the login.
  await page.goto(k.url + '/leave-messages');
  await page.waitForURL(/\/login\?redirect=(%2F|\/)leave-messages/);
  await submitLogin(page, 'admin', ADMIN_PASSWORD, false);
  await page.waitForURL(/\/leave-messages$/);
  await logout(page);

  // A target on another site is ignored: the workbench opens.
  await page.goto(k.url + '/login?redirect=' + encodeURIComponent('//evil.example/phish'));
  await submitLogin(page, 'admin', ADMIN_PASSWORD, false);
  await page.waitForURL(/\/workbench$/);
  await logout(page);

  // Signing out in this tab is not reported as a session ended elsewhere, and starts afresh.
  t.false(page.url().includes('redirect='));
  t.is(await page.locator('[data-test="login-session-ended"]').count(), 0);

  // An agent who may neither take chats nor monitor lands on the first screen they may open, even when
  // the address to return to (left by a session that ended under another agent) is the workbench.
  await page.goto(k.url + '/login?redirect=%2Fworkbench');
  await submitLogin(page, 'cy', BO_PASSWORD, false);
  await page.waitForURL(/\/history$/);
  const nav = page.locator('[data-test="nav-menu"]');
  t.is(await nav.getByText('Collaboration').count(), 0, 'no screen under 内部协同 may be opened, so the menu is absent');
  t.is(await nav.getByText('Workbench').count(), 0);
  await page.goto(k.url + '/agents');
  await page.locator('[data-test="no-access"]').waitFor({ timeout: 15_000 });

  // Granted while signed in: the menu appears without a reload.
  const cur = await admin.get(`/api/agents/${cy.body.id}`);
  const granted = await admin.patch(`/api/agents/${cy.body.id}`, { version: cur.body.version, permissions: ['agents.manage'] });
  t.is(granted.status, 200, granted.text);
  await nav.getByText('Collaboration').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('menu-after-grant') });
  await page.close();
});

test.serial('VISITOR-SELECT-8 VISITOR-MENU-12 rows select by click and arrow keys; double click opens a chat the agent serves; the row menu disables what does not apply', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  const a = await visitorSocket(k.url, k.company.publicId);
  const b = await visitorSocket(k.url, k.company.publicId);
  sockets.push(a.socket, b.socket);
  t.true((await call(a.socket, 'page.view', { url: 'https://shop.example.com/a', title: 'Page of A', referrer: '' })).ok);
  t.true((await call(b.socket, 'page.view', { url: 'https://shop.example.com/b', title: 'Page of B', referrer: '' })).ok);
  await page.locator('[data-test="tab-visitors"]').click();
  const row = (n: number) => page.locator(`[data-test="visitor-row"][data-visitor="${n}"]`);
  await row(a.visitorNumber).waitFor({ timeout: 10_000 });
  await row(b.visitorNumber).waitFor({ timeout: 10_000 });

  // A click selects the row and the side panel shows that visitor, chat or not.
  await row(a.visitorNumber).click();
  await page.locator('[data-test="side-panel"]', { hasText: 'Page of A' }).waitFor({ timeout: 10_000 });
  // Arrow keys move the selection to the neighbouring row, and back.
  const order = await page.locator('[data-test="visitor-row"]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-visitor'))));
  const from = order.indexOf(a.visitorNumber);
  const neighbour = order[from + 1] ?? order[from - 1];
  await row(a.visitorNumber).press(order[from + 1] ? 'ArrowDown' : 'ArrowUp');
  await page.locator(`[data-test="visitor-row"].active[data-visitor="${neighbour}"]`).waitFor({ timeout: 5_000 });
  await page.locator(`[data-test="visitor-row"][data-visitor="${neighbour}"]`).press(order[from + 1] ? 'ArrowUp' : 'ArrowDown');
  await page.locator(`[data-test="visitor-row"].active[data-visitor="${a.visitorNumber}"]`).waitFor({ timeout: 5_000 });

  // Right-click: a browsing visitor may be invited, not accepted, and the reason is given.
  await row(a.visitorNumber).click({ button: 'right' });
  const invite = page.locator('[data-test="visitor-menu-invite"]:visible');
  const accept = page.locator('[data-test="visitor-menu-accept"]:visible');
  await invite.waitFor({ timeout: 5_000 });
  t.not(await invite.getAttribute('aria-disabled'), 'true');
  t.is(await accept.getAttribute('aria-disabled'), 'true');
  t.regex((await accept.getAttribute('title')) ?? '', /Browsing/);
  await page.screenshot({ path: screenshotPath('visitor-row-menu') });
  await page.locator('[data-test="visitor-menu-copy"]:visible').click();
  await page.locator('.el-message', { hasText: /Copied/i }).waitFor({ timeout: 5_000 });

  // A visitor the agent serves: double click opens the conversation.
  const requested = await call(a.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  t.true((await call(a.socket, 'message.send', { conversationId: requested.conversation.id, clientId: crypto.randomUUID(), text: 'question from A' })).ok);
  await page.locator(`[data-test="visitor-row"][data-visitor="${a.visitorNumber}"] [data-col="status"]`, { hasText: 'Chatting' }).waitFor({ timeout: 10_000 });
  await row(a.visitorNumber).dblclick();
  await page.locator('[data-test="message-text"]', { hasText: 'question from A' }).waitFor({ timeout: 10_000 });
  await page.close();
});

test.serial('TOOLBAR-BUTTONS-1 MAIN-PERMS-8 toolbar buttons follow permissions; a shown button with nothing valid selected says what to select', async (t) => {
  const dan = await admin.post('/api/agents', { agentId: 'dan', name: 'Dan', password: BO_PASSWORD, mustChangePassword: false, permissions: ['conversation.accept'] });
  t.is(dan.status, 201, dan.text);
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'dan', password: BO_PASSWORD });
  const button = (name: string) => page.locator(`[data-test="wb-${name}"]`);
  await button('accept').waitFor({ timeout: 10_000 });
  t.true(await button('accept').isDisabled());
  t.regex((await button('accept').getAttribute('title')) ?? '', /Select a waiting visitor/);
  t.regex((await button('end').getAttribute('title')) ?? '', /Select or open a conversation/);
  for (const hidden of ['transfer', 'invite', 'proactive', 'monitor']) t.is(await button(hidden).count(), 0, `${hidden} needs a permission dan lacks`);

  // Granted while signed in: the buttons appear without a reload.
  const cur = await admin.get(`/api/agents/${dan.body.id}`);
  const granted = await admin.patch(`/api/agents/${dan.body.id}`, {
    version: cur.body.version,
    permissions: ['conversation.accept', 'conversation.transfer', 'visitor.invite', 'visitor.proactive'],
  });
  t.is(granted.status, 200, granted.text);
  for (const shown of ['transfer', 'invite', 'proactive']) await button(shown).waitFor({ timeout: 10_000 });
  t.regex((await button('invite').getAttribute('title')) ?? '', /browsing/);
  t.is(await button('monitor').count(), 0);
  await page.close();
});

test.serial('MENU-BADGES-2 内部协同 shows unread internal messages in brackets, live', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  const badge = page.locator('[data-test="nav-badge-collaboration"]');
  t.is(await badge.count(), 0);
  // bo's password is the one set through the reset link earlier.
  const boClient = await k.login('bo', 'Fresh-meadow-77');
  const socket = await agentSocket(k.url, boClient);
  sockets.push(socket);
  const me = await admin.get('/api/auth/me');
  for (const text of ['one', 'two']) t.true((await call(socket, 'internal.send', { toAgentId: me.body.agent.id, clientId: crypto.randomUUID(), text })).ok);
  await page.locator('[data-test="nav-badge-collaboration"]', { hasText: '(2)' }).waitFor({ timeout: 10_000 });
  await page.close();
});
