import test from 'ava';
import type { Browser } from 'playwright-core';
import { DESKTOP_CHROME, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, uploadPng } from './browser.ts';

/** WINDOW-AD-3 in real Chromium: the advertisement column beside the chat. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
const LINK = 'https://shop.example.com/spring?utm=chat';

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  const { key } = await uploadPng(k.url, admin, '/api/settings/widget/ad-image', { width: 400, height: 600, colour: '#fa8c16' });
  const { version, settings } = (await admin.get('/api/settings/widget')).body;
  const ad = { enabled: true, image: key, link: LINK, alt: { 'zh-CN': '春季促销', en: 'Spring sale' } };
  const r = await admin.put('/api/settings/widget', { version, settings: { ...settings, style: { ...settings.style, width: 700 }, ad } });
  if (r.status !== 200) throw new Error(r.text);
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

test.serial('WINDOW-AD-3 the desktop window shows the image 200 px wide in its right column, linked in a new tab without opener', async (t) => {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${k.url}/demo?c=${k.company.publicId}`);
  await page.locator('kefu-widget button.btn').click();
  const frame = page.frameLocator('kefu-widget iframe');
  const link = frame.locator('aside.ad a');
  await link.waitFor({ timeout: 15_000 });
  t.is(await link.getAttribute('href'), LINK);
  t.is(await link.getAttribute('target'), '_blank');
  t.is(await link.getAttribute('rel'), 'noopener noreferrer');
  const img = frame.locator('aside.ad img');
  t.is(await img.getAttribute('alt'), 'Spring sale');
  await t.notThrowsAsync(img.evaluate((n: HTMLImageElement) => n.decode()));
  const box = (await img.boundingBox())!;
  const app = (await frame.locator('#app').boundingBox())!;
  t.is(box.width, 200);
  t.is(box.height, 300, 'the height follows the image');
  t.true(box.x > app.x + app.width - 1, 'the image is right of the chat');
  await page.screenshot({ path: screenshotPath('ad-desktop') });
  await context.close();
});

test.serial('WINDOW-AD-3 a window under 600 px wide and a phone show no advertisement', async (t) => {
  const narrow = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 375, height: 667 }, locale: 'en-US' });
  const page = await narrow.newPage();
  await page.goto(`${k.url}/chat/${k.company.publicId}?lang=en`);
  await page.locator('#app:not([data-state="loading"])').waitFor({ timeout: 15_000 });
  t.is(await page.locator('aside.ad').count(), 0);
  t.is((await page.locator('#app').boundingBox())!.width, 375, 'the chat keeps the whole width');
  // A window drawn wide and then narrowed hides the column too.
  await page.setViewportSize({ width: 900, height: 667 });
  await page.reload();
  await page.locator('aside.ad img').waitFor({ state: 'visible', timeout: 15_000 });
  t.is((await page.locator('#app').boundingBox())!.width, 900 - 217);
  await page.setViewportSize({ width: 375, height: 667 });
  t.true(await page.locator('aside.ad img').isHidden());
  t.is((await page.locator('#app').boundingBox())!.width, 375);
  await page.screenshot({ path: screenshotPath('ad-narrow') });
  await narrow.close();

  const phone = await browser.newContext({
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    viewport: { width: 375, height: 667 },
    isMobile: true,
    locale: 'en-US',
  });
  const mobile = await phone.newPage();
  const images: string[] = [];
  mobile.on('request', (r) => r.url().includes('/style-images/') && images.push(r.url()));
  await mobile.goto(`${k.url}/chat/${k.company.publicId}?lang=en`);
  await mobile.locator('#app:not([data-state="loading"])').waitFor({ timeout: 15_000 });
  t.is(await mobile.locator('aside.ad').count(), 0);
  t.deepEqual(images, [], 'a phone does not even load the image');
  await phone.close();
});
