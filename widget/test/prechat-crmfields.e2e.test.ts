import path from 'node:path';
import test from 'ava';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, next, repoRoot, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, openDemoChat, screenshotPath, until } from './browser.ts';

/** A plugin's items in the window's pre-chat form (PRECHAT-CRMFIELDS-6), with the test CRM plugin, in real Chromium. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;

test.before(async () => {
  [k, browser] = await Promise.all([
    startTestServer({ KEFU_PLUGINS_DIR: path.join(repoRoot, 'core', 'test', 'fixtures', 'prechat-plugins') }),
    launchBrowser(),
  ]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await k?.close();
});

test('PRECHAT-CRMFIELDS-6 the form shows the plugin’s items after the standard ones with their labels; their values reach the plugin', async (t) => {
  const put = await admin.put('/api/settings/widget', {
    version: (await admin.get('/api/settings/widget')).body.version,
    settings: { prechat: { enabled: true, fields: { questionType: { shown: false } } } },
  });
  t.is(put.status, 200, put.text);
  t.is((await admin.post('/api/plugins/testcrm/enable', {})).status, 200);
  const saved = await admin.put('/api/p/testcrm/prechat', {
    fields: [
      { key: 'crm_order', label: { 'zh-CN': '订单', en: 'Order' }, type: 'text', required: true },
      { key: 'crm_level', label: { 'zh-CN': '会员等级', en: 'Membership' }, type: 'choice', required: false, options: ['金卡', '银卡'] },
    ],
    labels: { name: { 'zh-CN': '联系人', en: 'Contact' } },
  });
  t.is(saved.status, 200, saved.text);
  await until(
    async () => (await k.client().get(`/api/widget/config?c=${k.company.publicId}`)).body.prechat.fields,
    (f: any[]) => f.some((x) => x.key === 'crm_level'),
    10_000,
  );

  const context = await browser.newContext({ locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const frame = await openDemoChat(page, k.url, k.company.publicId);
  const form = frame.locator('#start-body form');
  await form.waitFor({ timeout: 10_000 });
  const names = await form.locator('input, select').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name));
  t.deepEqual(names.slice(-2), ['crm_order', 'crm_level'], 'after the standard items');
  const text = await form.innerText();
  t.regex(text, /联系人 \*/, 'the renamed standard label');
  t.regex(text, /订单 \*/);
  t.regex(text, /会员等级/);
  t.deepEqual((await form.locator('select[name="crm_level"] option').allTextContents()).slice(1), ['金卡', '银卡'], 'the choice’s options');

  await form.locator('input[name="name"]').fill('Ann Lee');
  await form.locator('input[name="mobile"]').fill('13800138000');
  await form.locator('button[type="submit"]').click();
  await form.locator('#prechat-crm_order-error:not(:empty)').waitFor({ timeout: 5000 });
  await form.locator('input[name="crm_order"]').fill('A-1001');
  await form.locator('select[name="crm_level"]').selectOption('金卡');
  await page.screenshot({ path: screenshotPath('prechat-crmfields') });
  const served = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active', 15_000);
  await form.locator('button[type="submit"]').click();
  await served;
  t.deepEqual((await admin.get('/api/p/testcrm/received')).body.items, [{ crm_order: 'A-1001', crm_level: '金卡' }]);
});
