import test from 'ava';
import sharp from 'sharp';
import { ADMIN_PASSWORD } from '@kefu/core/testing';
import { field, screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 对话窗口 settings screen: how the window opens, its language, guide text, brand colour; 恢复默认. */
const s = serverAndBrowser();

test('WINDOW-OPEN-7 WINDOW-INPAGE-8 WINDOW-BRAND-6 STYLE-RESET-7 open mode with its window size, language, guide text, logo and a light theme colour: previewed, saved, then restored to defaults', async (t) => {
  const { k, browser, admin } = s;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(k.url + '/settings/chat-window');
  await page.locator('[data-test="chat-window-settings"] form').waitFor();
  // Invitation settings live in the same document but on another screen: restoring this one leaves them alone.
  const { version, settings } = (await admin.get('/api/settings/widget')).body;
  t.is((await admin.put('/api/settings/widget', { version, settings: { ...settings, invite: { ...settings.invite, maxPerVisit: 7 } } })).status, 200);
  await page.reload();
  await page.locator('[data-test="chat-window-settings"] form').waitFor();

  // The separate window's size appears only with 新窗口.
  t.is(await page.locator('[data-test="window-width"]').count(), 0);
  await page.locator('[data-test="open-mode"]').click();
  await page.getByRole('option', { name: 'A separate browser window' }).click();
  await field(page, 'window-width').fill('1000');
  await field(page, 'window-height').fill('700');
  await page.locator('[data-test="window-language"]').click();
  await page.getByRole('option', { name: '日本語' }).click();

  await page.getByRole('tab', { name: /English/ }).first().click();
  await field(page, 'text-en-title').fill('{company} support');
  await field(page, 'text-en-guide').fill('Ask us anything');
  await field(page, 'theme-color').fill('#ffe600');
  await page.locator('[data-test="logo-file"]').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await page.locator('[data-test="logo-error"]').waitFor();
  const png = await sharp({ create: { width: 120, height: 40, channels: 3, background: '#222222' } })
    .png()
    .toBuffer();
  await page.locator('[data-test="logo-file"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
  // The preview (the widget's own window, STYLE-PREVIEW-6) follows the unsaved values: the logo, the company's name in the title, dark text on yellow.
  const preview = page.frameLocator('[data-test="preview-frame"]');
  await preview.locator('#logo[src^="/style-images/"]').waitFor();
  const company = (await admin.get('/api/company')).body.name;
  await preview.locator('#title', { hasText: `${company} support` }).waitFor();
  t.is(await preview.locator('#title').evaluate((el) => getComputedStyle(el).color), 'rgb(31, 35, 40)');
  await page.locator('[data-test="chat-window-settings"]').screenshot({ path: screenshotPath('window-settings') });

  const put = page.waitForResponse((r) => r.url().endsWith('/api/settings/widget') && r.request().method() === 'PUT');
  await page.locator('[data-test="settings-save"]').click();
  t.is((await put).status(), 200, await (await put).text());
  const saved = (await admin.get('/api/settings/widget')).body.settings;
  t.like(saved.style, { openMode: 'window', windowWidth: 1000, windowHeight: 700, language: 'ja', themeColor: '#ffe600' });
  t.like(saved.texts.en, { title: '{company} support', guide: 'Ask us anything' });
  t.regex(saved.style.logo ?? '', /^[A-Za-z0-9_-]{22,64}$/);

  await page.locator('[data-test="settings-reset"]').click();
  const reset = page.waitForResponse((r) => r.url().endsWith('/api/settings/widget') && r.request().method() === 'PUT');
  await page.getByRole('dialog').getByRole('button', { name: 'Restore defaults' }).click();
  t.is((await reset).status(), 200);
  const restored = (await admin.get('/api/settings/widget')).body.settings;
  t.like(restored.style, { openMode: 'inpage', windowWidth: 800, language: 'auto', themeColor: '#1677ff', logo: null });
  t.is((await fetch(`${k.url}/style-images/${saved.style.logo}`)).status, 404, 'restoring the defaults unlinks the uploaded logo');
  t.like(restored.texts.en, { title: 'Live chat', guide: 'Questions? Chat with us' });
  t.is(restored.invite.maxPerVisit, 7, 'the invitation screen’s settings are kept');
  await page.locator('[data-test="window-width"]').waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
  t.is(await page.locator('[data-test="window-width"]').count(), 0, 'the form shows the defaults');
});
