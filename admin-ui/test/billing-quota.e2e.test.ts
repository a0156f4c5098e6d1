import path from 'node:path';
import test from 'ava';
import { ADMIN_PASSWORD, repoRoot } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** A quota product (a test SMS plugin that spends segments) on the billing page, in real Chromium. */
const OPERATOR = 'operator-token-for-browser-tests-0123';
const s = serverAndBrowser({ KEFU_PLUGINS_DIR: path.join(repoRoot, 'core', 'test', 'fixtures', 'quota-plugins'), KEFU_OPERATOR_TOKEN: OPERATOR });

test('BILLING-QUOTA-5 BILLING-REMAIN-3 BILLING-WARN-6 the billing page shows a quota’s units left, what was used this month, the top-ups and when it runs low', async (t) => {
  const { k, browser, admin } = s;
  t.is((await admin.post('/api/plugins/testsms/enable', {})).status, 200);
  const op = k.client();
  op.bearer = OPERATOR;
  t.is((await op.post(`/api/operator/companies/${k.company.publicId}/quotas/testsms/topups`, { units: 500 })).status, 201);
  for (let i = 0; i < 8; i++) t.is((await admin.post('/api/p/testsms/send', { segments: 10 })).status, 200);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(k.url + '/billing');
  const remaining = page.locator('[data-test="billing-remaining-testsms"]');
  await remaining.waitFor();
  t.is((await remaining.innerText()).trim(), '420 条');
  const used = page.locator('[data-test="billing-quota-testsms"]');
  t.is((await used.innerText()).trim(), '本月已用 80');
  await used.click();
  const topups = page.locator('[data-test="billing-topups-testsms"]');
  await topups.waitFor();
  t.regex(await topups.innerText(), /500[\s\S]*服务器运营方/);
  t.is(await page.locator('[data-test="billing-quota-level-testsms"]').count(), 0, 'no warning with 420 of 500 left');
  await page.screenshot({ path: screenshotPath('billing-quota') });

  // BILLING-WARN-6: under 10 % of the top-up the row says so, and again once used up.
  for (let i = 0; i < 38; i++) t.is((await admin.post('/api/p/testsms/send', { segments: 10 })).status, 200);
  await page.reload();
  const level = page.locator('[data-test="billing-quota-level-testsms"]');
  await level.waitFor();
  t.is((await level.innerText()).trim(), '不足 10%');
  for (let i = 0; i < 4; i++) t.is((await admin.post('/api/p/testsms/send', { segments: 10 })).status, 200);
  await page.reload();
  await level.waitFor();
  t.is((await level.innerText()).trim(), '已用完');
});
