import crypto from 'node:crypto';
import test from 'ava';
import type { BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, agentSocket, call, next, visitorSocket } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** The toolbar's buttons (SPEC §2.1) and the visitor list's sorting (§2.2) in Chromium, the colleagues on sockets. */
const s = serverAndBrowser();
const PASSWORD = 'Quiet-Harbour-2026!';
const sockets: Socket[] = [];
test.after.always(() => sockets.forEach((x) => x.disconnect()));

/** Agents and settings, made once by the first test (the server is started by a concurrent before hook). */
let made: Promise<void> | undefined;
const setUp = () => (made ??= makeAgents());
async function makeAgents() {
  // Requests wait in the queue, so the test decides who takes them.
  await s.k.server
    .db('companies')
    .where({ id: s.k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  for (const [agentId, nickname] of [
    ['bob', 'Bob'],
    ['carl', 'Carl'],
  ]) {
    const r = await s.admin.post('/api/agents', {
      agentId,
      name: nickname,
      nickname,
      password: PASSWORD,
      mustChangePassword: false,
      role: 'agent',
      permissions: ['conversation.accept', 'conversation.transfer'],
    });
    if (r.status !== 201) throw new Error(r.text);
  }
}

async function agentOnline(agentId: string): Promise<Socket> {
  const socket = await agentSocket(s.k.url, await s.k.login(agentId, PASSWORD));
  sockets.push(socket);
  const r = await call(socket, 'presence.set', { status: 'online' });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return socket;
}

async function visitor(title = 'Home') {
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  sockets.push(v.socket);
  const r = await call(v.socket, 'page.view', { url: `https://shop.example.com/${v.visitorNumber}`, title });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return v;
}

async function openConsole(locale = 'en-US'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  await setUp();
  const context = await s.browser.newContext({ viewport: { width: 1440, height: 800 }, locale });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 15_000 });
  return { context, page, errors };
}

const row = (page: Page, n: number) => page.locator(`[data-test="visitor-row"][data-visitor="${n}"]`);

test.serial('TOOLBAR-VISITORBTNS-6 TOOLBAR-CHATBTNS-5 invite and accept act on the selected row; blocked cases say why; 响应传送 counts and opens transfer requests', async (t) => {
  const { context, page, errors } = await openConsole();
  const browsing = await visitor('Shoes');
  const waiting = await visitor('Cart');
  const queued = await call(waiting.socket, 'chat.request', {});
  t.true(queued.ok, JSON.stringify(queued));
  await page.locator('[data-test="tab-visitors"]').click();

  // Nothing selected: both visitor buttons are off, with the reason.
  const invite = page.locator('[data-test="wb-invite"]');
  const proactive = page.locator('[data-test="wb-proactive"]');
  t.true(await invite.isDisabled());
  t.regex((await invite.getAttribute('title')) ?? '', /Select a visitor/);

  // A waiting visitor: 邀请访客 and 主动对话 are off, saying why; 接受对话 takes exactly that one.
  await row(page, waiting.visitorNumber).click();
  t.true(await invite.isDisabled());
  t.regex((await invite.getAttribute('title')) ?? '', /already waiting/);
  t.regex((await proactive.getAttribute('title')) ?? '', /already waiting/);

  // A browsing visitor: invited with the agent's own text, which the visitor sees.
  await row(page, browsing.visitorNumber).click();
  t.false(await invite.isDisabled());
  await invite.click();
  const dialog = page.locator('[data-test="approach-dialog"]');
  await dialog.waitFor({ timeout: 5000 });
  await dialog.locator('textarea').fill('Need help with sizes?');
  const shown = next<any>(browsing.socket, 'invitation');
  await page.locator('[data-test="approach-send"]').click();
  t.is((await shown).invitation.text, 'Need help with sizes?');
  // The pending invitation turns both buttons off, naming the inviter, on this and every console.
  await page.waitForFunction(() => document.querySelector('[data-test="wb-invite"]')?.hasAttribute('disabled'), undefined, { timeout: 5000 });
  t.regex((await invite.getAttribute('title')) ?? '', /already invited/);
  t.regex((await proactive.getAttribute('title')) ?? '', /already invited/);
  await page.screenshot({ path: screenshotPath('toolbar-invited') });

  await row(page, waiting.visitorNumber).click();
  const connected = next<any>(waiting.socket, 'conversation.updated', (m) => m.conversation.status === 'active', 10_000);
  await page.locator('[data-test="wb-accept"]').click();
  t.is((await connected).conversation.id, queued.conversation.id, '接受对话 took the selected waiting visitor');
  // The open conversation is what 结束对话, 传送对话 and 对话评估 act on.
  await page.waitForFunction(() => !document.querySelector('[data-test="wb-end"]')?.hasAttribute('disabled'), undefined, { timeout: 5000 });
  t.false(await page.locator('[data-test="wb-transfer"]').isDisabled());
  t.false(await page.locator('[data-test="wb-evaluate"]').isDisabled());

  // 响应传送: Bob transfers his chat to me; the dialog opens, the badge counts it, the transcript can be read first.
  const bob = await agentOnline('bob');
  const hisVisitor = await visitor('Checkout');
  const req = await call(hisVisitor.socket, 'chat.request', {});
  t.true((await call(bob, 'conversation.accept', { conversationId: req.conversation.id })).ok);
  t.true((await call(hisVisitor.socket, 'message.send', { conversationId: req.conversation.id, clientId: crypto.randomUUID(), text: 'Is express shipping possible?' })).ok);
  const adminId = Number((await s.k.server.db('agents').where({ company_id: s.k.company.id, agent_id: 'admin' }).first('id')).id);
  const sent = await call(bob, 'transfer.start', { conversationId: req.conversation.id, toAgentId: adminId, note: 'Knows shipping' });
  t.true(sent.ok, JSON.stringify(sent));
  const respond = page.locator('[data-test="respond-dialog"]');
  await respond.locator('[data-test="respond-offer"]').waitFor({ timeout: 10_000 });
  t.regex((await respond.textContent()) ?? '', /From Bob/);
  t.regex((await respond.textContent()) ?? '', /Knows shipping/);
  await page.keyboard.press('Escape');
  await respond.locator('[data-test="respond-offer"]').waitFor({ state: 'hidden', timeout: 5000 });
  t.is((await page.locator('[data-test="wb-respond-badge"] sup').textContent())?.trim(), '1', 'the badge counts the open request');
  await page.locator('[data-test="wb-respond"]').click();
  await respond.locator('[data-test="respond-transcript-toggle"]').click();
  await respond.locator('[data-test="respond-transcript"]', { hasText: 'Is express shipping possible?' }).waitFor({ timeout: 5000 });
  await page.screenshot({ path: screenshotPath('toolbar-respond') });
  const accepted = next<any>(bob, 'transfer.accepted');
  await respond.locator('[data-test="respond-accept"]').click();
  t.is((await accepted).transfer.answeredBy, adminId);
  await page.waitForFunction(() => document.querySelector('[data-test="wb-respond-badge"] sup')?.getAttribute('style')?.includes('display: none') ?? true, undefined, {
    timeout: 5000,
  });
  t.is(Number((await s.k.server.db('conversations').where({ id: req.conversation.id }).first('agent_id')).agent_id), adminId);
  t.deepEqual(errors, []);
  await context.close();
  bob.close();
});

test.serial('TOOLBAR-MONITORBTNS-7 监控客服 picks among the agents one may monitor, with status and conversations; 取消监控 stops one or all', async (t) => {
  const { context, page, errors } = await openConsole();
  const bob = await agentOnline('bob');
  const v = await visitor('Help');
  const req = await call(v.socket, 'chat.request', {});
  t.true((await call(bob, 'conversation.accept', { conversationId: req.conversation.id })).ok);

  const stopButton = page.locator('[data-test="wb-stop-monitor"]');
  t.true(await stopButton.isDisabled(), 'nobody monitored yet');
  t.regex((await stopButton.getAttribute('title')) ?? '', /not monitoring/);
  await page.locator('[data-test="wb-monitor"]').click();
  const bobRow = page.locator('[data-test="monitor-agent"]', { hasText: 'Bob' });
  const carlRow = page.locator('[data-test="monitor-agent"]', { hasText: 'Carl' });
  await bobRow.waitFor({ timeout: 10_000 });
  t.regex((await bobRow.textContent()) ?? '', /Online · 1 in progress/);
  t.regex((await carlRow.textContent()) ?? '', /Offline · 0 in progress/, 'offline agents can be picked too');
  await bobRow.locator('.el-checkbox').click();
  await carlRow.locator('.el-checkbox').click();
  await page.locator('[data-test="monitor-start"]').click();
  await page.locator('[data-test="conv-monitored"]').first().waitFor({ timeout: 10_000 });

  // Opened again, the watched agents are marked and cannot be picked twice.
  await page.locator('[data-test="wb-monitor"]').click();
  await bobRow.locator('.el-tag', { hasText: 'Monitoring' }).waitFor({ timeout: 5000 });
  t.true(await bobRow.locator('input[type="checkbox"]').isDisabled());
  await page.locator('[data-test="monitor-dialog"] .el-dialog__headerbtn').click();

  await stopButton.click();
  const watched = page.locator('[data-test="monitor-watched"]');
  await watched.first().waitFor({ timeout: 5000 });
  t.is(await watched.count(), 2);
  t.is(await watched.filter({ hasText: 'Bob' }).count(), 1);
  await page.screenshot({ path: screenshotPath('toolbar-stop-monitor') });
  await watched.filter({ hasText: 'Carl' }).locator('[data-test="monitor-stop-one"]').click();
  await watched.filter({ hasText: 'Carl' }).waitFor({ state: 'detached', timeout: 5000 });
  t.is(await watched.count(), 1);
  await page.locator('[data-test="monitor-stop-all"]').click();
  await page.waitForFunction(() => document.querySelector('[data-test="wb-stop-monitor"]')?.hasAttribute('disabled'), undefined, { timeout: 5000 });
  const adminId = Number((await s.k.server.db('agents').where({ company_id: s.k.company.id, agent_id: 'admin' }).first('id')).id);
  t.is((await s.k.server.db('monitors').where({ monitor_agent_id: adminId }).whereNull('ended_at')).length, 0, 'nothing monitored on the server');
  t.deepEqual(errors, []);
  await call(v.socket, 'chat.end', { conversationId: req.conversation.id });
  await context.close();
  bob.close();
});

test.serial('VISITOR-SORT-7 names sort in the console language (pinyin in 中文), IDs numerically, empty values last both ways', async (t) => {
  const vs = [];
  for (let i = 0; i < 11; i++) vs.push(await visitor(`Page ${i}`));
  const names = ['张三', '阿里', '北京客户'];
  for (const [i, name] of names.entries())
    await s.k.server.db('visitors').where({ company_id: s.k.company.id, number: vs[i].visitorNumber }).update({ name });
  const mine = vs.map((v) => v.visitorNumber);
  const { context, page, errors } = await openConsole('zh-CN');
  await page.locator('[data-test="tab-visitors"]').click();
  await row(page, mine[10]).waitFor({ timeout: 10_000 });
  const shown = () =>
    page.evaluate(
      (list) =>
        [...document.querySelectorAll('[data-test="visitor-row"]')]
          .map((r) => ({ n: Number(r.getAttribute('data-visitor')), name: r.querySelector('[data-col="name"]')?.textContent?.trim() ?? '' }))
          .filter((r) => list.includes(r.n)),
      mine,
    );
  const header = page.locator('[data-test="visitor-col-name"] button');
  await header.click();
  await page.locator('[data-test="visitor-col-name"][aria-sort="ascending"]').waitFor({ timeout: 5000 });
  let rows = await shown();
  t.deepEqual(rows.slice(0, 3).map((r) => r.name), ['阿里', '北京客户', '张三'], 'pinyin order, not code points');
  t.true(rows.slice(3).every((r) => r.name === '—'), 'unnamed visitors last');
  await header.click();
  await page.locator('[data-test="visitor-col-name"][aria-sort="descending"]').waitFor({ timeout: 5000 });
  rows = await shown();
  t.deepEqual(rows.slice(0, 3).map((r) => r.name), ['张三', '北京客户', '阿里']);
  t.true(rows.slice(3).every((r) => r.name === '—'), 'unnamed visitors still last when descending');
  await header.click();

  // Visitor IDs compare as numbers: #10 comes after #9, not after #1.
  await page.locator('[data-test="visitor-col-visitorId"] button').click();
  await page.locator('[data-test="visitor-col-visitorId"][aria-sort="ascending"]').waitFor({ timeout: 5000 });
  const numbers = (await shown()).map((r) => r.n);
  t.deepEqual(numbers, [...mine].sort((a, b) => a - b));
  t.true(Math.max(...numbers) >= 10, `IDs cross a digit boundary (${numbers.join(',')})`);
  await page.screenshot({ path: screenshotPath('visitor-sort-pinyin') });
  await page.locator('[data-test="visitor-col-visitorId"] button').click();
  await page.locator('[data-test="visitor-col-visitorId"] button').click();
  t.deepEqual(errors, []);
  await context.close();
});
