import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, call, next, startTestServer, visitorSocket as openVisitor, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

let k: TestKefu;
let browser: Browser;
const sockets: Socket[] = [];
test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
test.after.always(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await k?.close();
});

async function visitorSocket(url: string, companyId: number) {
  const v = await openVisitor(url, companyId);
  sockets.push(v.socket);
  return v;
}

const signIn = (page: Page) => signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });

test.serial('MAIN-LAYOUT-1 the agent sees a visitor, chats with them safely and ends the conversation', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page);
  // The snapshot arrived: the toolbar shows its counters and the socket marked the admin present.
  await page.locator('[data-test="wb-waiting"]').waitFor();
  await page.locator('[data-test="network-state"]').first().waitFor({ state: 'attached' });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('workbench-empty') });

  const v = await visitorSocket(k.url, k.company.publicId);
  const view = await call(v.socket, 'page.view', { url: 'https://shop.example.com/pricing', title: 'Pricing — Example Shop', referrer: 'https://www.baidu.com/s?wd=live+chat' });
  t.true(view.ok, JSON.stringify(view));
  // The visitor list shows the new row live.
  await page.locator('[data-test="tab-visitors"]').click();
  const row = page.locator('[data-test="visitor-row"]', { hasText: `#${v.visitorNumber}` });
  await row.waitFor({ timeout: 10_000 });
  // The row is a line of the agent's columns (DISPLAY-COLDEFS-6); the side panel shows its current page.
  await row.click();
  await page.locator('[data-test="side-panel"]', { hasText: 'Pricing' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('workbench-visitors') });
  const requested = await call(v.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  const conversationId = requested.conversation.id as number;
  // Auto-assigned to the only online agent: it appears among my conversations.
  await page.locator('[data-test="tab-conversations"]').click();
  const mine = page.locator('[data-test="conv-mine"]').first();
  await mine.waitFor({ timeout: 10_000 });

  const hostile = '你好 <b>x</b>';
  const sent = await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: hostile });
  t.true(sent.ok, JSON.stringify(sent));
  await page.locator('[data-test="conv-unread"]').waitFor({ timeout: 10_000 });
  await mine.click();
  const text = page.locator('[data-test="message-text"]', { hasText: '你好' }).first();
  await text.waitFor({ timeout: 10_000 });
  t.is(await text.textContent(), hostile, 'the markup is shown as text');
  t.is(await page.locator('[data-test="chat-messages"] b').count(), 0, 'no element was made from message text');

  // The visitor's live draft.
  await call(v.socket, 'typing', { conversationId, text: 'I have a question' });
  await page.locator('[data-test="chat-typing"]', { hasText: 'I have a question' }).waitFor({ timeout: 10_000 });

  // The agent replies with Enter; Shift+Enter made a new line inside the same message.
  const received = next<any>(v.socket, 'message', (m) => m.message.senderKind === 'agent', 10_000);
  const input = page.locator('textarea[data-test="composer-input"], [data-test="composer-input"] textarea').first();
  await input.click();
  await input.pressSequentially('Hello, how can I help?');
  await input.press('Shift+Enter');
  await input.pressSequentially('See https://example.com/help');
  await input.press('Enter');
  const reply = await received.catch(async (e) => {
    await page.screenshot({ path: screenshotPath('workbench-send-failed') });
    throw e;
  });
  t.is(reply.message.text, 'Hello, how can I help?\nSee https://example.com/help');
  t.is(await input.inputValue(), '', 'the input is cleared after sending');
  const link = page.locator('[data-test="chat-messages"] a[href="https://example.com/help"]');
  await link.waitFor({ timeout: 10_000 });
  t.is(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
  await page.locator('[data-test="side-panel"]', { hasText: 'Pricing' }).waitFor();
  await page.screenshot({ path: screenshotPath('workbench-chat') });

  // The agent ends the conversation after confirming.
  const ended = next<any>(v.socket, 'conversation.updated', (m) => m.conversation.id === conversationId && m.conversation.status === 'ended', 10_000);
  await page.locator('[data-test="chat-end"]').click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await ended;
  await page.locator('[data-test="chat-closed"]').waitFor({ timeout: 10_000 });
  await page.locator('[data-test="conv-ended"]').first().waitFor({ timeout: 10_000 });
  t.is(await page.locator('[data-test="conv-mine"]').count(), 0);

  // The ended chat awaits evaluation, so its dialog opens by itself (OTHERSET-EVALPROMPT-12) and saves a topic
  // of the company's list (EVAL-TOOLBAR-3).
  const dialog = page.getByRole('dialog').filter({ has: page.locator('[data-test="eval-topic"]') });
  await dialog.waitFor({ timeout: 10_000 });
  await dialog.locator('[data-test="eval-topic"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: '售后服务' }).last().click();
  await dialog.locator('[data-test="eval-save"]').click();
  await page.locator('.el-message--success').first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('workbench-ended') });

  // Nothing scrolls sideways at 1280×720.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.true(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  t.deepEqual(pageErrors, []);
  await page.close();
});
