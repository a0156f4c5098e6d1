import test from 'ava';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '@kefu/core/testing';
import { field, screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** The user menu's 帮助, 联系支持 and 关于我们 (SPEC §10.2) and the installable console (OTHERSET-AUTOSTART-8). */
const s = serverAndBrowser({ KEFU_SUPPORT_EMAIL: 'help@host.example', KEFU_SUPPORT_PHONE: '+86 400 800 1234', KEFU_BUILD_COMMIT: '0123456789ab' });

async function signedIn(locale = 'en-US') {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  const page = await context.newPage();
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  return { context, page };
}

async function userMenu(page: Page, item: string) {
  await page.locator('[data-test="user-menu"]').click();
  await page.locator(`[data-test="user-menu-${item}"]`).click();
}

/** Clicks something that opens a new tab and returns that tab, loaded. */
async function opensTab(page: Page, click: () => Promise<void>) {
  const [tab] = await Promise.all([page.context().waitForEvent('page'), click()]);
  await tab.waitForLoadState();
  return tab;
}

const heading = (page: Page) => page.locator('[data-test="help-article"] h1');

test.serial('MENU-HELP-4 帮助 opens the guide served by Kefu; each screen’s ? opens its own page; search finds pages', async (t) => {
  const { context, page } = await signedIn();
  const guide = await opensTab(page, () => userMenu(page, 'help'));
  t.true(guide.url().startsWith(s.k.url + '/help'), guide.url());
  await heading(guide).filter({ hasText: 'Overview' }).waitFor({ timeout: 15_000 });

  // The workbench's ? → the workbench page; the history screen's ? → the history page.
  const wb = await opensTab(page, () => page.locator('[data-test="screen-help"]').click());
  await heading(wb).filter({ hasText: 'Workbench' }).waitFor({ timeout: 15_000 });
  await page.goto(s.k.url + '/history');
  const history = await opensTab(page, () => page.locator('[data-test="screen-help"]').click());
  await heading(history).filter({ hasText: 'History' }).waitFor({ timeout: 15_000 });
  t.true(history.url().endsWith('/help/history'));

  // Search: every word must appear; a result opens its page.
  await field(guide, 'help-search').fill('recovery code');
  const results = guide.locator('[data-test="help-result"]');
  await results.first().waitFor();
  t.deepEqual(await results.locator('strong').allInnerTexts(), ['Signing in']);
  await guide.screenshot({ path: screenshotPath('help-search') });
  await results.first().click();
  await heading(guide).filter({ hasText: 'Signing in' }).waitFor();
  // Links between pages stay in the guide.
  await guide.locator('[data-test="help-toc-support"]').click();
  await heading(guide).filter({ hasText: 'Support' }).waitFor();
  await context.close();
});

test.serial('MENU-HELP-4 the guide is in Chinese for a Chinese console and opens without a session', async (t) => {
  const context = await s.browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(s.k.url + '/help/workbench');
  await heading(page).filter({ hasText: '工作台' }).waitFor({ timeout: 15_000 });
  await field(page, 'help-search').fill('恢复码');
  t.deepEqual(await page.locator('[data-test="help-result"] strong').allInnerTexts(), ['登录']);
  await page.screenshot({ path: screenshotPath('help-zh') });
  await context.close();
});

test.serial('MENU-HELP-4 OTHERSET-AUTOSTART-8 the console is installable (manifest, service worker) and the guide opens offline', async (t) => {
  const manifest = await s.k.client().get('/manifest.webmanifest');
  t.is(manifest.status, 200);
  t.like(manifest.body ?? JSON.parse(manifest.text), { display: 'standalone', start_url: '/' });
  t.true((manifest.body ?? JSON.parse(manifest.text)).icons.some((i: any) => i.sizes === '512x512'));

  const { context, page } = await signedIn();
  const worker = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? null);
  t.regex(worker ?? '', /\/sw\.js\?build=/);
  await page.goto(s.k.url + '/help/leave-messages');
  await heading(page).filter({ hasText: 'Leave-messages' }).waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);

  await context.setOffline(true);
  await page.reload();
  await heading(page).filter({ hasText: 'Leave-messages' }).waitFor({ timeout: 15_000 });
  await page.locator('[data-test="help-toc-workbench"]').click();
  await heading(page).filter({ hasText: 'Workbench' }).waitFor();
  await page.screenshot({ path: screenshotPath('help-offline') });
  await context.setOffline(false);
  await context.close();
});

test.serial('OTHERSET-AUTOSTART-8 the Other settings explain how this browser starts the console with the computer', async (t) => {
  const { context, page } = await signedIn();
  await page.goto(s.k.url + '/preferences');
  await page.getByRole('tab', { name: 'Other' }).click();
  const hint = page.locator('[data-test="pref-autostart"]');
  await hint.waitFor();
  t.regex(await hint.innerText(), /Start with the computer/);
  t.regex(await page.locator('[data-test="autostart-steps"]').innerText(), /chrome:\/\/apps/);
  await hint.screenshot({ path: screenshotPath('prefs-autostart') });
  await context.close();
});

test.serial('MENU-ABOUT-5 关于 shows version, build, licence, plugins, database and nodes, warns on mixed versions, and 复制 copies it all', async (t) => {
  t.is((await s.admin.post('/api/plugins/otp/enable', {})).status, 200);
  const { context, page } = await signedIn();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.k.url });
  await userMenu(page, 'about');
  const dialog = page.locator('[data-test="about-dialog"]');
  const rows = dialog.locator('[data-test="about-row"]');
  await rows.first().waitFor({ timeout: 10_000 });
  const text = await dialog.innerText();
  for (const expected of ['0.1.0', '0123456789ab', 'MIT', 'Dynamic password 0.1.0', '1 node running'])
    t.true(text.includes(expected), `${expected} in ${text}`);
  t.regex(text, /PostgreSQL|Embedded \(PGlite\)/);
  t.is(await dialog.locator('[data-test="about-mixed"]').count(), 0);
  await dialog.screenshot({ path: screenshotPath('about-dialog') });

  await dialog.locator('[data-test="about-copy"]').click();
  await page.locator('.el-message', { hasText: 'Copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  t.regex(copied, /^Kefu\nVersion: 0\.1\.0\nBuild: 0123456789ab\nLicence: MIT\nEnabled plugins: Dynamic password 0\.1\.0\nDatabase: /);

  // The licence text is one click away, from the server itself.
  const licence = await opensTab(page, () => dialog.locator('[data-test="about-licence"]').click());
  t.regex(await licence.locator('body').innerText(), /^MIT License/);

  // Another node mid rolling-restart.
  await s.k.server.db('cluster_nodes').insert({ id: crypto.randomUUID(), version: '0.2.0', commit: 'fedcba987654', started_at: new Date(), seen_at: new Date() });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await userMenu(page, 'about');
  await dialog.locator('[data-test="about-mixed"]', { hasText: '0.2.0' }).waitFor({ timeout: 10_000 });
  t.regex(await dialog.innerText(), /2 nodes running/);
  await context.close();
});

test.serial('MENU-CONTACT-3 联系支持 shows the operator’s e-mail and phone; with none configured it opens the guide’s support page', async (t) => {
  const { context, page } = await signedIn();
  await userMenu(page, 'contact');
  const dialog = page.locator('[data-test="contact-dialog"]');
  await dialog.waitFor();
  t.is(await dialog.locator('[data-test="contact-email"]').getAttribute('href'), 'mailto:help@host.example');
  t.is(await dialog.locator('[data-test="contact-phone"]').getAttribute('href'), 'tel:+864008001234');
  await dialog.screenshot({ path: screenshotPath('contact-dialog') });
  await page.keyboard.press('Escape');

  // This server has a contact; what the console does without one is seen by answering as such a server would.
  await page.route('**/api/support-contact', (route) => route.fulfill({ json: { contact: null } }));
  const support = await opensTab(page, () => userMenu(page, 'contact'));
  t.true(support.url().endsWith('/help/support'));
  await heading(support).filter({ hasText: 'Support' }).waitFor({ timeout: 15_000 });
  await context.close();
});
