import test from 'ava';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath } from './browser.ts';

let k: TestKefu;
let browser: Browser;
test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

test.serial('LOGIN-FORM-1 an admin signs in through the console and sees the shell', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  // Element Plus puts attributes on the <input> itself.
  const field = (name: string) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();
  await page.goto(k.url + '/');
  await field('login-company').fill(String(k.company.publicId));
  await field('login-agent').fill('admin');
  await field('login-password').fill('wrong-password-1');
  await page.locator('[data-test="login-submit"]').click();
  const error = page.locator('[data-test="login-error"]');
  await error.waitFor();
  t.truthy(await error.textContent());
  await page.screenshot({ path: screenshotPath('login-error') });
  await field('login-password').fill(ADMIN_PASSWORD);
  await page.locator('[data-test="login-submit"]').click();
  await page.locator('[data-test="app-header"]').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: screenshotPath('shell-after-login') });
  t.truthy(await page.locator('[data-test="nav-menu"]').textContent());
  await page.close();
});

test.serial('LOGIN-FORM-1 the login page loads nothing from outside the Kefu server', async (t) => {
  const page = await browser.newPage();
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(k.url) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(k.url + '/');
  await page.locator('[data-test="login-submit"]').waitFor();
  t.deepEqual(foreign, []);
  await page.close();
});
