import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 留言类型 on the 留言设置 screen: deleting a type in use asks for its replacement (LEAVESET-TYPES-6). */
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
