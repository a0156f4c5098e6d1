import test from 'ava';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

let k: TestKefu;
let browser: Browser;
test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

test.serial('CHATSET-CANNEDIO-11 CHATSET-CANNEDHISTORY-9: import a CSV in the console, see rejected rows, export it as XLSX, look at the version in 历史表', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(k.url + '/agent-tools?section=canned');
  const editor = page.locator('[data-test="tool-editor-canned"]');
  await editor.locator('[data-test="scope-company"]').click();
  await editor.locator('[data-test="tool-group"]').first().waitFor({ timeout: 10_000 });

  // 导入 a CSV with one bad row: the good rows land, the bad one is reported with its row number.
  await editor.locator('[data-test="canned-import"]').click();
  const dialog = page.locator('[data-test="canned-import-dialog"]');
  const csv = ['分组,标题,内容,快捷码,排序', '欢迎语,问候,您好 有什么可以帮您?,/hi,1', '结束语,,感谢咨询 再见!,,1', '结束语,,坏快捷码,/a b,2'].join('\n');
  await dialog.locator('[data-test="canned-import-file"]').setInputFiles({ name: 'canned.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await dialog.locator('[data-test="canned-import-run"]').click();
  const result = dialog.locator('[data-test="canned-import-result"]');
  await result.waitFor({ timeout: 10_000 });
  t.regex(await result.innerText(), /2 added, 0 skipped, 1 rejected[\s\S]*4\s+shortcut/);
  await page.screenshot({ path: screenshotPath('tools-canned-import') });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await editor.locator('[data-test="tool-table"]', { hasText: '/hi' }).waitFor({ timeout: 10_000 });

  // 导出 XLSX downloads the list.
  await editor.locator('[data-test="canned-export"]').click();
  const download = page.waitForEvent('download');
  await page.locator('[data-test="canned-export-xlsx"]').click();
  t.is((await download).suggestedFilename(), 'canned-company.xlsx');

  // 历史表 lists the import as one version; clicking it shows its entries for review.
  await editor.locator('[data-test="canned-history"]').click();
  const drawer = page.locator('[data-test="canned-history-drawer"]');
  const rows = drawer.locator('[data-test="canned-versions"] .el-table__row');
  await rows.first().waitFor({ timeout: 10_000 });
  t.is(await rows.count(), 1, 'one import, one version');
  await rows.first().click();
  await drawer.locator('[data-test="canned-version-entries"]', { hasText: '感谢咨询 再见!' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('tools-canned-history') });
  t.deepEqual(pageErrors, []);
});
