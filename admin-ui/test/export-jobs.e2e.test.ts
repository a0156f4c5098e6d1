import fs from 'node:fs';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestKefu } from '@kefu/core/testing';
import { EXPORT_TUNING } from '../../core/src/exports/export-plan.ts';
import { seedConversation } from '../../core/test/history-seed.ts';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 导出记录 (HISTORY-EXPORTJOB-11): a large history export becomes a job, the console says so, shows it ready and downloads it, in real Chromium. */
let k: TestKefu;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const saved = { ...EXPORT_TUNING };
const settle = () => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

test.before(async () => {
  // Four conversations count as "large" here; the server runs in this process, so its sizes are ours.
  Object.assign(EXPORT_TUNING, { direct: 3, batch: 2, progressMs: 0 });
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const adminId = Number((await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'admin' }).first('id')).id);
  for (let i = 1; i <= 4; i++) await seedConversation(k, { agentId: adminId, visitor: { name: `访客${i}` }, lines: [['visitor', `第 ${i} 个问题`]] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, acceptDownloads: true, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
});
test.after.always(async () => {
  Object.assign(EXPORT_TUNING, saved);
  await browser?.close();
  await k?.close();
});

test.serial('HISTORY-EXPORTJOB-11 a large export starts a job; the console says it started and when it is ready, and 导出记录 lists and downloads it', async (t) => {
  await page.goto(k.url + '/history');
  await page.locator('[data-test="history-total"]', { hasText: '共 4 条' }).waitFor({ timeout: 10_000 });
  await page.locator('[data-test="history-export"]').click();
  await page.locator('[data-test="history-export-listCsv"]').click();

  await page.locator('.el-notification', { hasText: '导出已开始' }).waitFor({ timeout: 10_000 });
  const ready = page.locator('.el-notification', { hasText: '导出已完成' });
  await ready.waitFor({ timeout: 10_000 });
  t.regex(await ready.innerText(), /kefu-conversations-list-\d{8}\.csv/);
  await ready.locator('[data-test="export-records-link"]').click();

  const dialog = page.locator('[data-test="export-records-dialog"]');
  const row = dialog.locator('.el-table__body tr').first();
  await row.locator('[data-test="export-status"]', { hasText: '可下载' }).waitFor({ timeout: 10_000 });
  t.is(await dialog.locator('.el-table__body tr').count(), 1);
  t.regex(await row.innerText(), /kefu-conversations-list-\d{8}\.csv/);
  t.regex(await row.innerText(), /对话记录/);
  t.regex(await row.locator('[data-test="export-progress"]').innerText(), /100%/);
  t.regex(await row.innerText(), /\d+ KB/, 'the size');
  const expires = Date.parse((await k.server.db('export_jobs').first('expires_at')).expires_at);
  t.true(Math.abs(expires - Date.now() - 24 * 3600_000) < 60_000, 'kept 24 hours');
  await settle();
  await page.screenshot({ path: screenshotPath('export-records') });

  const download = page.waitForEvent('download');
  await row.locator('[data-test="export-download"]').click();
  const file = await download;
  t.regex(file.suggestedFilename(), /^kefu-conversations-list-\d{8}\.csv$/);
  const lines = fs.readFileSync((await file.path())!, 'utf8').trimEnd().split('\r\n');
  t.is(lines.length, 5, 'the header and the four conversations');
  t.true(lines.some((l) => l.includes('访客3')));
  t.deepEqual(pageErrors, []);
});

test.serial('HISTORY-EXPORTJOB-11 the leave-messages screen opens the same 导出记录 list', async (t) => {
  await page.goto(k.url + '/leave-messages');
  await page.locator('[data-test="export-records"]').click();
  const dialog = page.locator('[data-test="export-records-dialog"]');
  await dialog.locator('[data-test="export-status"]', { hasText: '可下载' }).waitFor({ timeout: 10_000 });
  t.is(await dialog.locator('.el-table__body tr').count(), 1);
  t.deepEqual(pageErrors, []);
});
