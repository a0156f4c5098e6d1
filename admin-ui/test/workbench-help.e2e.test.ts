import crypto from 'node:crypto';
import test from 'ava';
import type { BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, agentSocket, call, next, visitorSocket } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 邀请协助 (SPEC CONV-JOIN-34) in Chromium: the admin's console asks and helps; Bob and the visitor are sockets. */
const s = serverAndBrowser();
const PASSWORD = 'Quiet-Harbour-2026!';
const sockets: Socket[] = [];
test.after.always(() => sockets.forEach((x) => x.disconnect()));

let made: Promise<void> | undefined;
const setUp = () => (made ??= makeAgents());
async function makeAgents() {
  // Requests wait in the queue, so the test decides who takes them.
  await s.k.server
    .db('companies')
    .where({ id: s.k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  const r = await s.admin.post('/api/agents', {
    agentId: 'bob',
    name: 'Bob',
    nickname: 'Bob',
    password: PASSWORD,
    mustChangePassword: false,
    role: 'agent',
    permissions: ['conversation.accept', 'conversation.transfer'],
  });
  if (r.status !== 201) throw new Error(r.text);
}

async function online(agentId: string, password = PASSWORD): Promise<Socket> {
  const socket = await agentSocket(s.k.url, await s.k.login(agentId, password));
  sockets.push(socket);
  const r = await call(socket, 'presence.set', { status: 'online' });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return socket;
}

/** A visitor whose chat `agent` accepted, with one message of the visitor's. */
async function servedBy(agent: Socket, text: string) {
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  sockets.push(v.socket);
  const req = await call(v.socket, 'chat.request', {});
  const acc = await call(agent, 'conversation.accept', { conversationId: req.conversation.id });
  if (!acc.ok) throw new Error(JSON.stringify(acc));
  await call(v.socket, 'message.send', { conversationId: req.conversation.id, clientId: crypto.randomUUID(), text });
  return { v, conversationId: Number(req.conversation.id) };
}

async function openConsole(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  await setUp();
  const context = await s.browser.newContext({ viewport: { width: 1440, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 15_000 });
  return { context, page, errors };
}

const adminRow = async () => s.k.server.db('agents').where({ company_id: s.k.company.id, agent_id: 'admin' }).first('id', 'nickname');

test.serial('CONV-JOIN-34 TOOLBAR-CHATBTNS-5 a help request waits in 响应传送; the helper writes under their name from the 协助 chat and leaves', async (t) => {
  const { context, page, errors } = await openConsole();
  const me = await adminRow();
  const bob = await online('bob');
  const { v, conversationId } = await servedBy(bob, 'Can you check my refund?');
  const sent = await call(bob, 'help.invite', { conversationId, agentIds: [Number(me.id)], note: 'Refunds are yours' });
  t.true(sent.ok, JSON.stringify(sent));

  const respond = page.locator('[data-test="respond-dialog"]');
  const offer = respond.locator('[data-test="respond-help"]');
  await offer.waitFor({ timeout: 10_000 });
  t.regex((await offer.textContent()) ?? '', /From Bob/);
  t.regex((await offer.textContent()) ?? '', /Refunds are yours/);
  await page.keyboard.press('Escape');
  await offer.waitFor({ state: 'hidden', timeout: 5000 });
  t.is((await page.locator('[data-test="wb-respond-badge"] sup').textContent())?.trim(), '1', '响应传送 counts the help request');
  await page.locator('[data-test="wb-respond"]').click();
  await page.screenshot({ path: screenshotPath('help-respond') });
  const joined = next<any>(v.socket, 'message', (m) => m.message.kind === 'system');
  await offer.locator('[data-test="respond-help-accept"]').click();
  t.is((await joined).message.text, `客服 ${me.nickname} 加入了对话`, 'the visitor is told who joined');

  // The chat sits in my list marked 协助, open in the pane with the helper's bar.
  const item = page.locator('[data-test="conv-helping"]');
  await item.waitFor({ timeout: 5000 });
  t.regex((await item.textContent()) ?? '', /Helping/);
  await page.locator('[data-test="chat-messages"]', { hasText: 'Can you check my refund?' }).waitFor({ timeout: 5000 });
  const seen = next<any>(v.socket, 'message', (m) => m.message.text === 'Refund is on its way');
  await page.locator('[data-test="helper-input"]').fill('Refund is on its way');
  await page.locator('[data-test="helper-send"]').click();
  t.is((await seen).message.senderName, me.nickname, 'the visitor sees the helper name on the message');
  await page.screenshot({ path: screenshotPath('help-helping') });

  // 退出协助: the chat leaves my list and I can no longer write to it.
  await page.locator('[data-test="helper-leave"]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await item.waitFor({ state: 'hidden', timeout: 5000 });
  t.is((await s.k.server.db('conversation_helpers').where({ conversation_id: conversationId }).first('status')).status, 'left');
  t.deepEqual(errors, []);
  await context.close();
  bob.close();
});

test.serial('CONV-JOIN-34 the serving agent asks a colleague with 邀请协助 and sees who helps', async (t) => {
  const me = await adminRow();
  const { context, page, errors } = await openConsole();
  const bob = await online('bob');
  const adminSocket = await online('admin', ADMIN_PASSWORD);
  const { conversationId } = await servedBy(adminSocket, 'Two questions at once');
  await page.locator('[data-test="conv-mine"]').first().click();
  await page.locator('[data-test="chat-invite-help"]').click();
  const dialog = page.locator('[data-test="help-dialog"]');
  await dialog.waitFor({ timeout: 5000 });
  await dialog.locator('[data-test="help-targets"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: 'Bob' }).click();
  await dialog.locator('[data-test="help-note"]').fill('Please take the second one');
  await page.screenshot({ path: screenshotPath('help-invite') });
  const offered = next<any>(bob, 'help.offered');
  await dialog.locator('[data-test="help-send"]').click();
  const o = await offered;
  t.is(o.conversation.id, conversationId);
  t.is(o.from.nickname, me.nickname);
  t.is(o.request.note, 'Please take the second one');
  t.true((await call(bob, 'help.respond', { requestId: o.request.id, accept: true })).ok);
  await page.locator('[data-test="chat-helpers"]', { hasText: 'Bob' }).waitFor({ timeout: 5000 });
  await page.screenshot({ path: screenshotPath('help-helpers') });
  t.deepEqual(errors, []);
  await context.close();
  bob.close();
  adminSocket.close();
});
