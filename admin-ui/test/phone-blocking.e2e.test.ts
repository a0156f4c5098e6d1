import path from 'node:path';
import test from 'ava';
import { ADMIN_PASSWORD, repoRoot } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 电话回拨阻止 (DISPLAY-PHONEBLOCK-16) with the test call-back plugin, in real Chromium. */
const s = serverAndBrowser({ KEFU_PLUGINS_DIR: path.join(repoRoot, 'core', 'test', 'fixtures', 'phone-plugins') });

test('DISPLAY-PHONEBLOCK-16 the screen opens only while a plugin uses the blacklist; add one, paste many with per-line errors, delete', async (t) => {
  const { k, browser, admin } = s;
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(`${k.url}/settings/phone-blocking`);
  await page.locator('[data-test="no-access"]').waitFor({ timeout: 10_000 });
  t.is(await page.locator('[data-test="phone-blocking-page"]').count(), 0, 'without the plugin not even an admin opens it');

  t.is((await admin.post('/api/plugins/testcallback/enable', {})).status, 200);
  await page.goto(`${k.url}/settings/phone-blocking`);
  const screen = page.locator('[data-test="phone-blocking-page"]');
  await screen.waitFor({ timeout: 10_000 });
  await screen.getByText('黑名单中还没有号码。').waitFor();

  await page.locator('[data-test="phone-block-add"]').click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.locator('input[data-test="phone-block-number"], [data-test="phone-block-number"] input').fill('138 0013 8000');
  await dialog.locator('input[data-test="phone-block-note"], [data-test="phone-block-note"] input').fill('骚扰电话');
  await dialog.locator('[data-test="phone-block-save"]').click();
  const table = page.locator('[data-test="phone-block-table"]');
  await table.getByText('+8613800138000').waitFor();
  t.true(await table.getByText('骚扰电话').isVisible());
  t.true(await table.getByText('永久').isVisible());

  await page.locator('[data-test="phone-block-add-many"]').click();
  await dialog.locator('textarea[data-test="phone-block-lines"], [data-test="phone-block-lines"] textarea').fill('13600136000, 刷单\nnot a number\n13800138000');
  await dialog.locator('[data-test="phone-block-save"]').click();
  const report = dialog.locator('[data-test="phone-block-report"]');
  await report.waitFor();
  t.regex(await report.innerText(), /已添加 1 个号码/);
  t.regex(await report.innerText(), /第 2 行“not a number”:不是有效的电话号码/);
  t.regex(await report.innerText(), /第 3 行“13800138000”:已在黑名单中/);
  t.is(await dialog.locator('textarea[data-test="phone-block-lines"], [data-test="phone-block-lines"] textarea').inputValue(), 'not a number\n13800138000', 'the failed lines stay to be fixed');
  await page.screenshot({ path: screenshotPath('phone-blocking-paste') });
  await page.keyboard.press('Escape');
  await table.getByText('+8613600136000').waitFor();
  t.is((await page.locator('[data-test="phone-block-total"]').innerText()).trim(), '共 2 个号码,上限 5000');

  await page.locator('input[data-test="phone-block-search"], [data-test="phone-block-search"] input').fill('刷单');
  await page.locator('input[data-test="phone-block-search"], [data-test="phone-block-search"] input').press('Enter');
  await page.locator('[data-test="phone-block-total"]', { hasText: '共 1 个号码' }).waitFor();
  await table.locator('[data-test="phone-block-remove"]').first().click();
  await page.locator('.el-message-box__btns .el-button--danger').click();
  await screen.getByText('没有匹配的号码。').waitFor();
  t.deepEqual(
    (await admin.get('/api/phone-blocks')).body.items.map((x: any) => x.number),
    ['+8613800138000'],
  );
});
