import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, previewFrame, screenshotPath, signInWith } from './browser.ts';

/** The 留言设置 screen: its four tabs with the preview (LEAVESET-SCREEN-10); deleting a type in use asks for its replacement (LEAVESET-TYPES-6). */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const pageErrors: string[] = [];

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  page = await browser.newPage({ viewport: { width: 1500, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

test.serial('LEAVESET-TYPES-6 deleting a type asks where its leave-messages go, moves them, then saves', async (t) => {
  const made = await new TestClient(k.url).post('/api/widget/leave-message', {
    companyId: k.company.publicId,
    fields: { name: 'Zhao', company: 'Acme', mobile: '13900139000', content: '快递什么时候到?' },
  });
  t.is(made.status, 201, made.text);
  const [lm] = (await admin.get('/api/leave-messages')).body.items;
  t.is((await admin.patch(`/api/leave-messages/${lm.id}`, { type: '售后', version: lm.version })).status, 200);

  await page.goto(`${k.url}/settings/leave-message`);
  await page.getByRole('tab', { name: '信息定制' }).click();
  const types = page.locator('[data-test="leave-types"]');
  await types.waitFor({ timeout: 15_000 });
  t.regex(await types.innerText(), /咨询[\s\S]*售后[\s\S]*投诉[\s\S]*建议[\s\S]*其他/, 'the five defaults');
  await types.locator('.el-tag', { hasText: '售后' }).locator('.el-tag__close').click();
  await page.locator('[data-test="settings-save"]').click();

  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor({ timeout: 5000 });
  t.regex(await dialog.innerText(), /售后/);
  await dialog.locator('[data-test="leave-type-replace-售后"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '投诉' }).click();
  await page.screenshot({ path: screenshotPath('leave-type-replace') });
  await dialog.locator('[data-test="leave-type-replace-ok"]').click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

  const saved = async () => (await admin.get('/api/settings/widget')).body.settings.leaveMessage.types;
  for (const end = Date.now() + 10_000; (await saved()).includes('售后') && Date.now() < end; ) await page.waitForTimeout(200);
  t.deepEqual(await saved(), ['咨询', '投诉', '建议', '其他']);
  t.is((await admin.get(`/api/leave-messages/${lm.id}`)).body.type, '投诉', 'the leave-message got the replacement');
  t.deepEqual(pageErrors, []);
});

test.serial('LEAVESET-SCREEN-10 four tabs: the switch, forwarding, texts and items with a live preview, the external page; a refused field shows its tab', async (t) => {
  await page.goto(`${k.url}/settings/leave-message`);
  const tabs = page.locator('[data-test="leave-tabs"] > .el-tabs__header [role="tab"]');
  await tabs.first().waitFor({ timeout: 15_000 });
  t.deepEqual(await tabs.allInnerTexts(), ['留言窗口', '留言转发', '信息定制', '自定义设置']);
  t.true(await page.locator('[data-test="leave-enabled"]').isVisible(), '留言窗口 holds the switch');

  await page.getByRole('tab', { name: '留言转发' }).click();
  await page.locator('[data-test="mail-settings"]').waitFor();
  t.regex(await page.locator('[data-test="leave-mobile-forward"]').innerText(), /短信插件/);

  // What is typed shows in the visitor-side preview before anything is saved.
  await page.getByRole('tab', { name: '信息定制' }).click();
  const title = page.locator('.el-form-item:visible', { has: page.locator('label', { hasText: '窗口标题' }) }).locator('input').first();
  await title.fill('请给我们留言');
  await (await previewFrame(page)).locator('#leave h2', { hasText: '请给我们留言' }).waitFor();
  await page.screenshot({ path: screenshotPath('leave-settings-tabs') });

  // An address the server refuses: the screen turns to the tab that holds the field and shows why.
  await page.getByRole('tab', { name: '自定义设置' }).click();
  await page.locator('input[data-test="leave-external"], [data-test="leave-external"] input').first().fill('ftp://example.com/form');
  await page.getByRole('tab', { name: '留言窗口' }).click();
  await page.locator('[data-test="settings-save"]').click();
  await page.locator('[role="tab"][aria-selected="true"]', { hasText: '自定义设置' }).waitFor({ timeout: 10_000 });
  const urlError = page.locator('.el-form-item', { has: page.locator('[data-test="leave-external"]') }).locator('.el-form-item__error');
  await t.notThrowsAsync(urlError.waitFor({ timeout: 5000 }), 'the reason shows beside the address');

  await page.locator('input[data-test="leave-external"], [data-test="leave-external"] input').first().fill('');
  await page.locator('[data-test="settings-save"]').click();
  const saved = async () => (await admin.get('/api/settings/widget')).body.settings.leaveMessage.texts['zh-CN'].title;
  for (const end = Date.now() + 10_000; (await saved()) !== '请给我们留言' && Date.now() < end; ) await page.waitForTimeout(200);
  t.is(await saved(), '请给我们留言');
  t.deepEqual(pageErrors, []);
});
