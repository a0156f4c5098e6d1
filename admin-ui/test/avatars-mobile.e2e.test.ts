import test from 'ava';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 窗口头像设置, 手机对话窗口 and the profile picture in real Chromium (English console). */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

async function signIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: k.url });
  const page = await context.newPage();
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  return page;
}
const png = (w: number, h: number, color: string) => sharp({ create: { width: w, height: h, channels: 3, background: color } }).png().toBuffer();

test.serial('PROFILE-AVATAR-4 my picture: uploaded with a square preview and shown in the header, refused when too small, removed back to initials', async (t) => {
  const page = await signIn();
  await page.goto(k.url + '/profile');
  const box = page.locator('[data-test="profile-avatar"]');
  await box.waitFor();
  t.is(await box.locator('[data-test="profile-avatar-preview"] img').count(), 0, 'initials before any upload');

  await box.locator('[data-test="profile-avatar-file"]').setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: await png(32, 32, '#ff0000') });
  await box.locator('[data-test="profile-avatar-error"]').waitFor();
  t.regex((await box.locator('[data-test="profile-avatar-error"]').textContent()) ?? '', /64/);

  await box.locator('[data-test="profile-avatar-file"]').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: await png(300, 150, '#00aa55') });
  await box.locator('[data-test="profile-avatar-remove"]').waitFor();
  const src = await box.locator('[data-test="profile-avatar-preview"] img').getAttribute('src');
  t.is(src, (await admin.get('/api/profile')).body.avatarUrl);
  t.regex(src ?? '', /^\/avatars\//);
  // The header's avatar follows at once.
  t.is(await page.locator('[data-test="user-menu"] img').getAttribute('src'), src);
  await page.screenshot({ path: screenshotPath('profile-avatar'), fullPage: true });

  await box.locator('[data-test="profile-avatar-remove"]').click();
  await box.locator('[data-test="profile-avatar-preview"] img').waitFor({ state: 'detached' });
  t.is((await admin.get('/api/profile')).body.avatarUrl, null);
  t.is(await page.locator('[data-test="user-menu"] img').count(), 0, 'initials in the header again');
  await page.context().close();
});

test.serial('AVATAR-SCREEN-4 AVATAR-SWITCH-1 the avatar screen: switch, a custom agent picture uploaded and saved, shown in the preview', async (t) => {
  const page = await signIn();
  await page.goto(k.url + '/settings/avatars');
  await page.locator('[data-test="avatars-enabled"]').click();
  await page.locator('[data-test="avatars-agent-source"]').getByText('Custom').click();
  await page.locator('[data-test="avatars-agent-file"]').setInputFiles({ name: 'team.png', mimeType: 'image/png', buffer: await png(128, 128, '#3366ff') });
  await page.locator('[data-test="avatars-agent-preview"] img[src^="/avatars/"]').waitFor();
  await page.locator('[data-test="avatars-preview-agent"] img').waitFor();
  await page.locator('[data-test="settings-save"]').click();
  await page.getByText('Saved').first().waitFor();
  const saved = (await admin.get('/api/settings/avatars')).body;
  t.like(saved.settings, { enabled: true, agent: { source: 'custom' } });
  t.is(await page.locator('[data-test="avatars-preview-agent"] img').getAttribute('src'), saved.urls.agent);
  await page.screenshot({ path: screenshotPath('avatar-settings'), fullPage: true });
  await page.context().close();
});

test.serial('MOBILE-SCREEN-6 MOBILE-LINK-4 the mobile screen: overrides with inherit toggles and texts, the chat link with copy and QR code, a 375×667 preview', async (t) => {
  const icon = (await admin.post('/api/icons', { name: 'WeChat menu', type: 'float' })).body;
  const page = await signIn();
  await page.goto(k.url + '/settings/mobile');
  await page.locator('[data-test="mobile-style"]').getByText('Bar').click();
  await page.locator('[data-test="mobile-inherit-color"]').click();
  await page.locator('[data-test="mobile-open-mode"]').getByText('A separate page').click();
  // The first language tab (简体中文) is the one shown.
  await page.locator('textarea[data-test="mobile-text-welcome"], [data-test="mobile-text-welcome"] textarea').first().fill('手机上您好!');

  const url = page.locator('input[data-test="mobile-link-url"], [data-test="mobile-link-url"] input').first();
  await url.waitFor();
  t.is(await url.inputValue(), icon.code.link);
  const qr = page.locator('[data-test="mobile-qr"]');
  t.regex((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml/);
  t.true(((await qr.boundingBox())?.width ?? 0) > 100);
  await page.locator('[data-test="mobile-link-copy"]').click();
  await page.getByText('Copied.').first().waitFor();
  t.is(await page.evaluate(() => navigator.clipboard.readText()), icon.code.link);

  // STYLE-PREVIEW-6: the widget's own window at 375×667, with the unsaved mobile welcome text.
  const preview = page.locator('[data-test="mobile-preview"] [data-test="preview-frame"]');
  t.deepEqual(await preview.evaluate((n) => [n.clientWidth, n.clientHeight]), [375, 667]);
  await page.frameLocator('[data-test="mobile-preview"] [data-test="preview-frame"]').locator('.msg.agent .text', { hasText: '手机上您好!' }).waitFor();
  await page.screenshot({ path: screenshotPath('mobile-settings'), fullPage: true });

  await page.locator('[data-test="settings-save"]').click();
  await page.getByText('Saved').first().waitFor();
  const saved = (await admin.get('/api/settings/mobile')).body.settings;
  t.like(saved, { enabled: true, icon: { style: 'bar' }, window: { openMode: 'page', texts: { 'zh-CN': { welcome: '手机上您好!' } } } });
  t.regex(saved.window.themeColor, /^#[0-9a-f]{6}$/i, 'no longer inherited');
  await page.context().close();
});
