import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, call, next, startTestServer, visitorSocket, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 需要客服确认 (ASSIGN-CONNECT-15): the workbench prompts for an offered chat with 接受 and a countdown. */
let k: TestKefu;
let browser: Browser;
const sockets: Socket[] = [];
test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: true, confirm: { enabled: true, seconds: 10 } }) });
});
test.after.always(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await k?.close();
});

async function requestChat() {
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const r = await call(v.socket, 'chat.request', {});
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { v, conversationId: r.conversation.id as number };
}

const secondsShown = async (page: Page) => Number(((await page.locator('[data-test="offer-countdown"]').first().textContent()) ?? '').replace(/\D/g, ''));

test.serial('ASSIGN-CONNECT-15 CONV-ASSIGNED-6 an offered chat shows 接受 with a countdown; accepting connects it, letting it lapse sets the agent away', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.locator('[data-test="wb-waiting"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 10_000 });
  const adminId = Number((await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'admin' }).first('id')).id);
  // The console's socket has made the admin present before the visitor asks.
  for (let i = 0; i < 50 && !(await k.server.db('agent_presence').where({ agent_id: adminId }).whereNotNull('heartbeat_at').first()); i++)
    await new Promise((r) => setTimeout(r, 100));

  // Offered, then confirmed with 接受.
  const first = await requestChat();
  const prompt = page.locator('[data-test="offer"]');
  await prompt.waitFor({ timeout: 10_000 });
  const before = await secondsShown(page);
  t.true(before >= 8 && before <= 10, `starts near the 10 s window (${before})`);
  await page.waitForTimeout(1600);
  t.true((await secondsShown(page)) < before, 'the countdown ticks');
  await page.screenshot({ path: screenshotPath('workbench-offer-prompt') });
  t.is((await k.server.db('conversations').where({ id: first.conversationId }).first('status')).status, 'queued', 'nothing connects before the agent confirms');
  const connected = next<any>(first.v.socket, 'conversation.updated', (m) => m.conversation.status === 'active', 10_000);
  await page.locator('[data-test="offer-accept"]').click();
  t.is((await connected).conversation.agentId, adminId);
  await prompt.waitFor({ state: 'detached', timeout: 5_000 });
  await page.locator('[data-test="conv-mine"]').first().waitFor({ timeout: 10_000 });

  // Offered and left alone: the prompt goes at the deadline, the server gives the chat back and sets the agent away.
  const second = await requestChat();
  await prompt.waitFor({ timeout: 10_000 });
  await prompt.waitFor({ state: 'detached', timeout: 12_000 });
  await page.locator('.el-notification', { hasText: /离开|Away/ }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('workbench-offer-lapsed') });
  const row = await k.server.db('conversations').where({ id: second.conversationId }).first('status', 'agent_id', 'offered_agent_id');
  t.like(row, { status: 'queued', agent_id: null, offered_agent_id: null });
  t.is((await k.server.db('agent_presence').where({ agent_id: adminId }).first('status')).status, 'away');
  t.deepEqual(pageErrors, []);
  await page.close();
});
