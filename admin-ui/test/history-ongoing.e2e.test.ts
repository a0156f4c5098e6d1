import test from 'ava';
import { ADMIN_PASSWORD, agentSocket, call, next, visitorSocket } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** A running conversation on the 对话查询 screen (HISTORY-ONGOING-13), in real Chromium. */
const s = serverAndBrowser();

test('HISTORY-ONGOING-13 MAIN-LIVE-5 a running conversation is marked 进行中; its open transcript shows new messages within a second, pushed not polled, and offers no delete until it ends', async (t) => {
  const { k, browser, admin } = s;
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  t.teardown(() => {
    v.socket.disconnect();
    agent.disconnect();
  });
  const connected = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const conversationId = (await call(v.socket, 'chat.request', {})).conversation.id;
  await connected;
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '我的订单还没发货' });

  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  let polls = 0;
  page.on('request', (r) => void (/\/api\/history\/conversations\/\d+\/messages/.test(r.url()) && (polls += 1)));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(`${k.url}/history`);
  const row = page.locator('[data-test="history-table"] .el-table__row').first();
  await row.waitFor({ timeout: 15_000 });
  t.true(await row.getByText('进行中').isVisible(), 'the row is marked as running');
  await row.click();
  const drawer = page.locator('[data-test="history-drawer"]');
  const transcript = drawer.locator('[data-test="history-transcript"]');
  await transcript.getByText('我的订单还没发货').waitFor({ timeout: 10_000 });
  t.is((await drawer.locator('[data-test="history-live"]').innerText()).trim(), '实时 · 只读');
  t.is(await drawer.locator('[data-test="history-delete"]').count(), 0, 'no delete while it runs');
  t.is(await transcript.locator('textarea, input, [contenteditable]').count(), 0, 'read-only: nothing to write in');

  const sentAt = Date.now();
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '请帮我催一下' });
  await transcript.getByText('请帮我催一下').waitFor({ timeout: 5_000 });
  const delay = Date.now() - sentAt;
  t.true(delay < 1_000, `shown ${delay} ms after it was sent`);
  const before = polls;
  await page.waitForTimeout(1_500);
  t.is(polls, before, 'pushed over the socket, not polled (MAIN-LIVE-5)');

  await call(v.socket, 'chat.end', { conversationId });
  await drawer.locator('[data-test="history-delete"]').waitFor({ timeout: 5_000 });
  t.false(await drawer.locator('[data-test="history-live"]').isVisible(), 'once ended it is no longer live');
  await page.screenshot({ path: screenshotPath('history-ongoing') });
});
