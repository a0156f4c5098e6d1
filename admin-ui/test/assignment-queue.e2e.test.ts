import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 自动分配's queue settings (ASSIGN-OVERFLOW-10) in real Chromium: the full-queue text per language and the maximum wait. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const pageErrors: string[] = [];
const input = (name: string) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"]`).first();

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

test.serial('ASSIGN-SCREEN-16 ASSIGN-OVERFLOW-10 the full-queue text per language and the maximum wait save; a cleared text falls back to the built-in one', async (t) => {
  await page.goto(k.url + '/settings/assignment');
  await page.locator('[data-test="assign-max-wait"]').waitFor({ timeout: 10_000 });
  t.is(await input('assign-max-wait').inputValue(), '600', 'the default maximum wait');
  t.regex((await input('assign-full-text-zh-CN').getAttribute('placeholder')) ?? '', /当前咨询人数较多/, 'empty shows what visitors get instead');

  await input('assign-full-text-zh-CN').fill('排队人数已满,请留言');
  await input('assign-full-text-en').fill('The queue is full, please leave a message');
  await input('assign-max-wait').fill('90');
  await input('assign-max-wait').blur();
  await page.locator('[data-test="settings-save"]').click();
  await page.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  t.like((await admin.get('/api/settings/assignment')).body.settings, {
    maxWaitSeconds: 90,
    queueFullText: { 'zh-CN': '排队人数已满,请留言', en: 'The queue is full, please leave a message' },
  });
  await page.screenshot({ path: screenshotPath('assignment-queue'), fullPage: true });

  await input('assign-full-text-en').fill('');
  await page.locator('[data-test="settings-save"]').click();
  await page.locator('.el-message--success').nth(1).waitFor({ timeout: 10_000 });
  const texts = (await admin.get('/api/settings/assignment')).body.settings.queueFullText;
  t.deepEqual(texts, { 'zh-CN': '排队人数已满,请留言' }, 'the cleared English text is left out, not saved empty');
  t.deepEqual(pageErrors, []);
});
