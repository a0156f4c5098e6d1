// The console's 动态口令 step (SPEC LOGIN-OTP-5) in real Chromium against a server whose clock the test moves, so
// each sign-in uses a fresh code.
import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { field, launchBrowser, screenshotPath } from '../../../admin-ui/test/browser.ts';
import { AGENT_PASSWORD, bind, codeAt, createAgent, setup, wrongCode, type Setup } from './helpers.ts';

let s: Setup;
let browser: Browser;
let secret: string;
let recoveryCodes: string[];

test.before(async () => {
  [s, browser] = await Promise.all([setup(), launchBrowser()]);
  await createAgent(s.admin, 'otpweb');
  const agent = await s.k.login('otpweb', AGENT_PASSWORD);
  ({ secret, recoveryCodes } = await bind(agent, s.clock, AGENT_PASSWORD));
});
test.after.always(async () => {
  await browser?.close();
  await s?.k.close();
});

/** A fresh browser at the login page, with the password step submitted: the dynamic-password step is shown. */
async function atOtpStep(): Promise<{ context: BrowserContext; page: Page }> {
  s.clock.nextStep();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(s.k.url + '/login');
  await field(page, 'login-company').fill(String(s.k.company.publicId));
  await field(page, 'login-agent').fill('otpweb');
  await field(page, 'login-password').fill(AGENT_PASSWORD);
  await page.locator('[data-test="login-submit"]').click();
  await page.locator('[data-test="login-otp-form"]').waitFor({ timeout: 15_000 });
  return { context, page };
}

const workbench = (page: Page) => page.locator('[data-test="app-header"]').waitFor({ timeout: 20_000 });

test.serial('LOGIN-OTP-5 the code field takes digits only, with the numeric keyboard, and signs in by itself at the 6th digit', async (t) => {
  const { context, page } = await atOtpStep();
  const otp = field(page, 'login-otp');
  t.is(await otp.getAttribute('inputmode'), 'numeric');
  t.is(await otp.getAttribute('autocomplete'), 'one-time-code');
  t.regex(await page.locator('[data-test="login-otp-form"]').innerText(), /otpweb/);
  await page.screenshot({ path: screenshotPath('login-otp-step') });

  // A wrong code is refused beside the form and the field is emptied for the next try.
  await otp.pressSequentially(wrongCode(await codeAt(secret, s.clock)));
  await page.locator('[data-test="login-error"]').waitFor({ timeout: 10_000 });
  t.is(await otp.inputValue(), '');

  const code = await codeAt(secret, s.clock);
  await otp.pressSequentially('a' + code.slice(0, 5));
  t.is(await otp.inputValue(), code.slice(0, 5), 'letters are dropped; five digits do not send');
  t.is(await page.locator('[data-test="app-header"]').count(), 0);
  await otp.press(code[5]);
  await workbench(page);
  await context.close();
});

test.serial('LOGIN-OTP-5 a pasted code with a space is accepted', async (t) => {
  const { context, page } = await atOtpStep();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.k.url });
  const code = await codeAt(secret, s.clock);
  await page.evaluate((text) => navigator.clipboard.writeText(text), `${code.slice(0, 3)} ${code.slice(3)}`);
  await field(page, 'login-otp').focus();
  await page.keyboard.press('Control+V');
  await t.notThrowsAsync(workbench(page), 'the pasted code signs in');
  await context.close();
});

test.serial('LOGIN-OTP-5 使用恢复码 signs in with a recovery code; 返回 goes back to the password with the IDs kept', async (t) => {
  const first = await atOtpStep();
  await first.page.locator('[data-test="login-otp-back"]').click();
  await first.page.locator('[data-test="login-submit"]').waitFor();
  t.is(await field(first.page, 'login-company').inputValue(), String(s.k.company.publicId));
  t.is(await field(first.page, 'login-agent').inputValue(), 'otpweb');
  t.is(await field(first.page, 'login-password').inputValue(), '', 'the password is not kept');
  await first.context.close();

  const { context, page } = await atOtpStep();
  await page.locator('[data-test="login-otp-toggle"]').click();
  await field(page, 'login-recovery').fill(recoveryCodes[0].toUpperCase());
  await page.screenshot({ path: screenshotPath('login-otp-recovery') });
  await page.locator('[data-test="login-otp-submit"]').click();
  await workbench(page);
  const log = (await s.admin.get('/api/login-log?pageSize=20')).body.items.find((e: any) => e.agentId === 'otpweb' && e.result === 'success');
  t.is(log.factor, 'password+recovery');
  await context.close();
});

test.serial('LOGIN-OTP-5 with otp disabled for the company the step never appears', async (t) => {
  t.is((await s.admin.post('/api/plugins/otp/disable', {})).status, 200);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(s.k.url + '/login');
  await field(page, 'login-company').fill(String(s.k.company.publicId));
  await field(page, 'login-agent').fill('otpweb');
  await field(page, 'login-password').fill(AGENT_PASSWORD);
  await page.locator('[data-test="login-submit"]').click();
  await workbench(page);
  t.is(await page.locator('[data-test="login-otp-form"]').count(), 0);
  await context.close();
});
