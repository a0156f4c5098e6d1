import test from 'ava';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 广告图片 on the chat window settings screen in real Chromium (English console). */
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

test('WINDOW-AD-3 WINDOW-SCREEN-10 the advertisement card: upload with preview, a refused link shown beside its field, saved and served to the widget', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(k.url + '/settings/chat-window');
  const card = page.locator('[data-test="ad-card"]');
  await card.waitFor();

  await card.locator('[data-test="ad-file"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  t.regex((await card.locator('[data-test="ad-error"]').textContent()) ?? '', /PNG, JPEG, GIF or WebP/);

  const png = await sharp({ create: { width: 400, height: 600, channels: 3, background: '#fa8c16' } })
    .png()
    .toBuffer();
  await card.locator('[data-test="ad-file"]').setInputFiles({ name: 'spring.png', mimeType: 'image/png', buffer: png });
  await card.locator('[data-test="ad-preview"][src^="/style-images/"]').waitFor();
  t.is(await card.locator('[data-test="ad-error"]').count(), 0);
  await card.locator('[data-test="ad-enabled"]').click();
  await card.locator('input[data-test="ad-link"]').fill('javascript:alert(1)');
  await card.getByRole('tab', { name: /English/ }).click();
  await card.locator('input[data-test="ad-alt-en"]').fill('Spring sale');
  await page.locator('[data-test="settings-save"]').click();
  await card.getByText('Not an http(s) URL').waitFor();
  t.false((await admin.get('/api/settings/widget')).body.settings.ad.enabled, 'nothing saved while the link is wrong');

  await card.locator('input[data-test="ad-link"]').fill('https://shop.example.com/spring');
  await page.locator('[data-test="settings-save"]').click();
  await page.getByText('Saved').first().waitFor();
  const ad = (await admin.get(`/api/widget/setup?c=${k.company.publicId}`)).body.ad;
  t.is(ad.link, 'https://shop.example.com/spring');
  t.is(ad.alt.en, 'Spring sale');
  t.is(await card.locator('[data-test="ad-preview"]').getAttribute('src'), ad.url);
  await card.screenshot({ path: screenshotPath('chat-window-ad') });
  await context.close();
});
