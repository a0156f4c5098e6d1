import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, call, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { field, launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 访客阻止 from the visitor list's menu and on its own screen (DISPLAY-BLOCKMENU-14, DISPLAY-BLOCKLIST-10). */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const sockets: { close(): void }[] = [];
const pageErrors: string[] = [];

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  page = await browser.newPage({ viewport: { width: 1500, height: 860 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await browser?.close();
  await k?.close();
});

async function browsingVisitor(ip: string) {
  const v = await visitorSocket(k.url, k.company.publicId, undefined, { 'x-forwarded-for': ip });
  sockets.push(v.socket);
  await call(v.socket, 'page.view', { url: 'https://shop.example/products' });
  return v;
}
const row = (n: number) => page.locator(`[data-test="visitor-row"][data-visitor="${n}"]`);

async function blockFromMenu(n: number, item: '阻止访客' | '阻止对话', end: string, note: string) {
  await row(n).click({ button: 'right' });
  // The menu opens at the row's ⋯ button; the item may sit outside the small test viewport, so it is clicked by event.
  await page.locator('.el-dropdown-menu__item:visible', { hasText: item }).dispatchEvent('click');
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  await dialog.locator('[data-test="block-end"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: end }).click();
  await field(page, 'block-note').fill(note);
  await dialog.locator('[data-test="block-submit"]').click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

test.serial('DISPLAY-BLOCKMENU-14 DISPLAY-BLOCKCHAT-13 the row menu blocks chat (row stays, marked 已阻止对话) or the visitor (row goes), with an end and a note', async (t) => {
  const talker = await browsingVisitor('198.51.100.7');
  const spammer = await browsingVisitor('198.51.100.8');
  await page.locator('[data-test="tab-visitors"]').click();
  await row(talker.visitorNumber).waitFor({ timeout: 15_000 });
  await row(spammer.visitorNumber).waitFor({ timeout: 15_000 });

  await blockFromMenu(talker.visitorNumber, '阻止对话', '1天', '骚扰');
  await row(talker.visitorNumber).locator('[data-test="visitor-chat-blocked"]').waitFor({ timeout: 5000 });
  t.regex(await row(talker.visitorNumber).innerText(), /已阻止对话/);
  t.is((await call(talker.socket, 'chat.request', {})).error.code, 'visitor_blocked', 'the block is in force');

  await blockFromMenu(spammer.visitorNumber, '阻止访客', '永久', '广告');
  await row(spammer.visitorNumber).waitFor({ state: 'detached', timeout: 5000 });
  t.true(await row(talker.visitorNumber).isVisible(), 'the chat-blocked visitor is still listed');

  const { items } = (await admin.get('/api/blocks')).body;
  t.like(
    items.find((b: any) => b.kind === 'chat'),
    { cidr: '198.51.100.7', note: '骚扰' },
  );
  t.like(
    items.find((b: any) => b.kind === 'visitor'),
    { cidr: '198.51.100.8', note: '广告', endsAt: null },
  );
  t.deepEqual(pageErrors, []);
});

test.serial('DISPLAY-BLOCKLIST-10 the blocking screen lists both kinds with who, when, end and hits, searches by address, adds and deletes to unblock', async (t) => {
  await page.goto(`${k.url}/settings/blocking`);
  await page.locator('[data-test="block-table"]').waitFor({ timeout: 15_000 });
  t.regex(await page.locator('.el-tabs__item', { hasText: '阻止访客' }).innerText(), /\(1\)/);
  t.regex(await page.locator('.el-tabs__item', { hasText: '阻止对话' }).innerText(), /\(1\)/);
  const table = page.locator('[data-test="block-table"]');
  let text = await table.innerText();
  t.regex(text, /198\.51\.100\.8/);
  t.regex(text, /访客ID \d+/, 'the visitor ID is shown with the address');
  t.regex(text, /永久/);
  t.regex(text, /广告/);

  await page.locator('.el-tabs__item', { hasText: '阻止对话' }).click();
  await table.locator('tbody tr', { hasText: '198.51.100.7' }).waitFor();
  text = await table.innerText();
  t.regex(text, /剩余 (23小时 \d+分钟|1天)/, 'the end with the time left');
  t.regex(text, /骚扰/);

  // Add a range to 阻止对话, then find it by address.
  await page.locator('[data-test="block-add"]').click();
  const dialog = page.locator('.el-dialog:visible');
  await field(page, 'block-cidr').fill('203.0.113.0/24');
  await dialog.locator('[data-test="block-submit"]').click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  await table.locator('tbody tr', { hasText: '203.0.113.0/24' }).waitFor();
  await field(page, 'block-search').fill('203.0.113');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="block-table"] tbody tr').length === 1, null, { timeout: 5000 });
  await page.screenshot({ path: screenshotPath('blocking-list') });

  // A range too wide is refused with the server's message, in the dialog.
  await page.locator('[data-test="block-add"]').click();
  await field(page, 'block-cidr').fill('10.0.0.0/8');
  await dialog.locator('[data-test="block-submit"]').click();
  await dialog.locator('[data-test="block-error"]').waitFor();
  await dialog.locator('.el-dialog__footer button', { hasText: '取消' }).click();

  // Delete unblocks after confirmation.
  await field(page, 'block-search').fill('');
  const entry = table.locator('tbody tr', { hasText: '198.51.100.7' });
  await entry.locator('[data-test="block-remove"]').click();
  await page.locator('.el-message-box').waitFor();
  t.regex(await page.locator('.el-message-box').innerText(), /取消阻止/);
  await page.locator('.el-message-box .el-button--danger').click();
  await entry.waitFor({ state: 'detached', timeout: 10_000 });
  const left = (await admin.get('/api/blocks')).body.items;
  t.false(left.some((b: any) => b.cidr === '198.51.100.7'));
  t.deepEqual(pageErrors, []);
});
