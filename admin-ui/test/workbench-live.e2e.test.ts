import test from 'ava';
import { ADMIN_PASSWORD, call, visitorSocket } from '@kefu/core/testing';
import { RealtimeNotifier } from '../../core/src/realtime/realtime-notifier.ts';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** MAIN-LIVE-5 in real Chromium: a console whose link dropped while things happened shows them all, once, after it is back. */
const s = serverAndBrowser();

test('MAIN-LIVE-5 after a dropped link the workbench reloads its lists and counters as one snapshot and replays missed messages once', async (t) => {
  const { k, browser } = s;
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.locator('[data-test="wb-waiting"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 10_000 });

  const v = await visitorSocket(k.url, k.company.publicId);
  t.teardown(() => v.socket.disconnect());
  const conversationId = (await call(v.socket, 'chat.request', {})).conversation.id as number;
  await page.locator('[data-test="tab-conversations"]').click();
  const mine = page.locator('[data-test="conv-mine"]').first();
  await mine.waitFor({ timeout: 10_000 });
  const say = (text: string) => call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text });
  await say('断线前');
  await page.locator('[data-test="conv-unread"]', { hasText: '1' }).waitFor({ timeout: 10_000 });

  // The server drops the console's link (as a node restart would); it comes back on its own.
  const io = (k.server.container.resolve(RealtimeNotifier) as any).io;
  const dropped = await io.of('/agent').fetchSockets();
  io.of('/agent').disconnectSockets();
  t.true(dropped.length > 0);
  for (const text of ['断线中 1', '断线中 2', '断线中 3']) t.true((await say(text)).ok);

  const unread = page.locator('[data-test="conv-unread"]');
  await unread.filter({ hasText: '4' }).waitFor({ timeout: 20_000 });
  await page.waitForTimeout(1000);
  t.is((await unread.first().innerText()).trim(), '4', 'every visitor message counted once, none twice');

  await mine.click();
  for (const text of ['断线前', '断线中 1', '断线中 2', '断线中 3'])
    t.is(await page.locator('[data-test="message-text"]', { hasText: text }).count(), 1, `${text} shown once`);
  // Live again on the new link.
  await say('重连后');
  await page.locator('[data-test="message-text"]', { hasText: '重连后' }).waitFor({ timeout: 1_000 });
  await page.screenshot({ path: screenshotPath('workbench-live-reconnect') });
});
