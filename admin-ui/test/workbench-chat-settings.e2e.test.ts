import test from 'ava';
import type { Page } from 'playwright-core';
import { agentSocket, call } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** The conversation settings of 工作台与登录 (SPEC MAIN-SETTINGS-10) in real Chromium. */
const s = serverAndBrowser();

async function open(t: { teardown(fn: () => Promise<void>): void }): Promise<Page> {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: s.k.company.adminPassword });
  await page.goto(s.k.url + '/settings/conversation');
  await page.locator('[data-test="policy-tab-workbench"]:visible').click();
  await page.locator('[data-test="workbench-settings"] [data-test="workbench-transfer-timeout"]').waitFor({ timeout: 15_000 });
  return page;
}
/** An ElSwitch's state, from its root's class. */
const on = (scope: ReturnType<Page['locator']>, name: string) => scope.locator(`[data-test="${name}"]`).evaluate((el) => el.classList.contains('is-checked'));
const errorBeside = (page: Page, name: string) =>
  page.locator('[data-test="workbench-settings"] .el-form-item', { has: page.locator(`[data-test="${name}"]`) }).locator('.el-form-item__error');

test.serial('MAIN-SETTINGS-10 工作台与登录 saves the transfer time, 文件传输, 自动接收访客文件, 允许实时查看 and 告知被监控客服; a value out of range is refused beside its field', async (t) => {
  let page = await open(t);
  const screen = page.locator('[data-test="workbench-settings"]');
  const text = await screen.innerText();
  t.regex(text, /传送响应时间[\s\S]*秒\(15–300\)/);
  t.regex(text, /文件大小上限[\s\S]*MB\(1–100\);图片最大 10 MB/);
  t.regex(text, /允许实时查看[\s\S]*告知被监控客服/);
  t.regex(text, /自动接收访客文件/);

  // Out of range: the server refuses, the message stands beside the field, nothing is stored.
  const timeout = screen.locator('[data-test="workbench-transfer-timeout"] input');
  await timeout.fill('10');
  await timeout.blur();
  await screen.locator('[data-test="settings-save"]').click();
  await errorBeside(page, 'workbench-transfer-timeout').waitFor({ timeout: 10_000 });
  // Worded with its bound in the console's language, not zod's English.
  t.regex(await errorBeside(page, 'workbench-transfer-timeout').innerText(), /^(Must be at least 15\.|不能小于 15。)$/);
  t.is((await s.admin.get('/api/settings/workbench-chat')).body.version, 0, 'nothing saved');

  await timeout.fill('120');
  await timeout.blur();
  const size = screen.locator('[data-test="workbench-max-file-mb"] input');
  await size.fill('5');
  await size.blur();
  await screen.locator('[data-test="workbench-file-group-archives"]').click();
  await screen.locator('[data-test="workbench-auto-accept"]').click();
  await screen.locator('[data-test="workbench-live-view"]').click();
  await screen.locator('[data-test="workbench-monitor-notice"]').click();
  await screen.locator('[data-test="settings-save"]').click();
  await page.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  // The message leaves with the form item's fade-out.
  await t.notThrowsAsync(errorBeside(page, 'workbench-transfer-timeout').waitFor({ state: 'hidden', timeout: 5000 }), 'the error is gone');
  t.deepEqual((await s.admin.get('/api/settings/workbench-chat')).body.settings, {
    transferTimeoutSeconds: 120,
    maxFileMb: 5,
    fileGroups: ['documents', 'images', 'media'],
    autoAcceptVisitorFiles: true,
    monitorNotice: true,
  });
  t.false((await s.admin.get('/api/settings/live-view')).body.settings.liveView);
  await page.screenshot({ path: screenshotPath('workbench-chat-settings'), fullPage: true });

  // After a reload the screen shows what was stored.
  await page.close();
  page = await open(t);
  const again = page.locator('[data-test="workbench-settings"]');
  t.is(await again.locator('[data-test="workbench-transfer-timeout"] input').inputValue(), '120');
  t.is(await again.locator('[data-test="workbench-max-file-mb"] input').inputValue(), '5');
  t.false(await again.locator('[data-test="workbench-file-group-archives"] input').isChecked());
  t.true(await again.locator('[data-test="workbench-file-group-documents"] input').isChecked());
  t.true(await on(again, 'workbench-auto-accept'));
  t.false(await on(again, 'workbench-live-view'));
  t.true(await on(again, 'workbench-monitor-notice'));
});

test.serial('MAIN-SETTINGS-10 CONV-MONITOR-35 告知被监控客服: the monitored agent sees an eye with the monitor’s name only while the setting is on', async (t) => {
  const PW = 'Quiet-river-42';
  const ids: Record<string, number> = {};
  for (const [agentId, permissions] of [
    ['eyeann', undefined],
    ['eyemon', ['conversation.accept', 'conversation.monitor']],
  ] as const) {
    const r = await s.admin.post('/api/agents', { agentId, name: agentId, password: PW, mustChangePassword: false, ...(permissions ? { permissions } : {}) });
    if (r.status !== 201) throw new Error(`creating ${agentId}: ${r.status} ${r.text}`);
    ids[agentId] = r.body.id;
  }
  const setNotice = async (monitorNotice: boolean) => {
    const cur = await s.admin.get('/api/settings/workbench-chat');
    const r = await s.admin.put('/api/settings/workbench-chat', { version: cur.body.version, settings: { ...cur.body.settings, monitorNotice } });
    if (r.status !== 200) throw new Error(`saving: ${r.status} ${r.text}`);
  };
  await setNotice(false);

  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'eyeann', password: PW });
  await page.locator('[data-test="workbench"]').waitFor({ timeout: 15_000 });
  const eye = page.locator('[data-test="monitored-eye"]');

  const mon = await agentSocket(s.k.url, await s.k.login('eyemon', PW));
  t.teardown(() => void mon.close());
  const started = await call(mon, 'monitor.start', { agentId: ids.eyeann });
  t.true(started.ok, JSON.stringify(started));
  await page.waitForTimeout(1500);
  t.is(await eye.count(), 0, 'silent monitoring shows nothing');

  await setNotice(true);
  await eye.waitFor({ timeout: 10_000 });
  t.regex(await eye.innerText(), /eyemon/);
  await page.screenshot({ path: screenshotPath('monitored-eye') });

  // After a reload the console asks who watches and shows the eye again.
  await page.reload();
  await page.locator('[data-test="workbench"]').waitFor({ timeout: 15_000 });
  await eye.waitFor({ timeout: 10_000 });

  await call(mon, 'monitor.stop', {});
  await t.notThrowsAsync(eye.waitFor({ state: 'detached', timeout: 10_000 }), 'the eye goes when monitoring stops');
  await setNotice(false);
});
