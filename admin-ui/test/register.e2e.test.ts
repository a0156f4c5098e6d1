import test from 'ava';
import { VerificationChallenges } from '../../core/src/policies/verification-challenges.ts';
import { field, screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 帐号注册 with KEFU_SIGNUP=open (SPEC LOGIN-REGISTER-13). */
const s = serverAndBrowser({ KEFU_SIGNUP: 'open' });

test.serial('LOGIN-REGISTER-13 LOGIN-FORM-1 open registration: the login page links to the form, which makes a company and shows its ID to sign in with', async (t) => {
  // The test reads each image's answer, as a person looking at it would.
  const answers: string[] = [];
  const challenges = s.k.server.container.resolve(VerificationChallenges);
  const real = challenges.generate;
  challenges.generate = () => {
    const c = real();
    answers.push(c.text);
    return c;
  };
  t.teardown(() => (challenges.generate = real));

  const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(s.k.url + '/login');
  await page.locator('[data-test="login-register"]').click();
  await page.locator('[data-test="register-form"]').waitFor({ timeout: 15_000 });
  await page.locator('[data-test="register-image"]').waitFor();
  await field(page, 'register-company').fill('Lotus Tea House');
  await field(page, 'register-agent').fill('lotus');
  await field(page, 'register-nickname').fill('Lotus');
  await field(page, 'register-email').fill('owner@lotus.test');
  await field(page, 'register-password').fill('Green-leaf-2026');

  // A wrong answer is shown beside the field and a new image replaces the old one.
  await field(page, 'register-answer').fill('zzzzzz');
  await page.locator('[data-test="register-submit"]').click();
  await page.locator('.el-form-item__error', { hasText: 'do not match the image' }).waitFor({ timeout: 10_000 });
  t.is(answers.length, 2, 'a fresh image after the failed try');
  await page.screenshot({ path: screenshotPath('register-form') });

  await field(page, 'register-answer').fill(answers.at(-1)!);
  await page.locator('[data-test="register-submit"]').click();
  const id = page.locator('[data-test="register-company-id"]');
  await id.waitFor({ timeout: 15_000 });
  t.is(await id.innerText(), String(s.k.company.publicId + 1));
  await page.screenshot({ path: screenshotPath('register-done') });

  await signInWith(page, s.k.url, { companyId: s.k.company.publicId + 1, agentId: 'lotus', password: 'Green-leaf-2026' });
  await page.locator('[data-test="user-menu"]').click();
  t.regex(await page.locator('.el-dropdown-menu:visible').innerText(), /Lotus Tea House/);
  await context.close();
});
