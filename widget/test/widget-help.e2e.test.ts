import crypto from 'node:crypto';
import test from 'ava';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, next, startTestServer, type TestKefu } from '@kefu/core/testing';
import { chatWithAgent, launchBrowser, screenshotPath } from './browser.ts';

/** 邀请协助 (SPEC CONV-JOIN-34) as the visitor sees it in Chromium: the join notice in their language and each agent's name. */
let k: TestKefu;
let browser: Browser;
let agent: Socket;
let helper: Socket;

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  const admin = await k.login();
  agent = await agentSocket(k.url, admin);
  const r = await admin.post('/api/agents', {
    agentId: 'hana',
    name: 'Hana',
    nickname: 'Hana',
    password: 'Quiet-Harbour-2026!',
    mustChangePassword: false,
    role: 'agent',
    permissions: ['conversation.accept'],
  });
  if (r.status !== 201) throw new Error(r.text);
  helper = await agentSocket(k.url, await k.login('hana', 'Quiet-Harbour-2026!'));
  // Hana is busy, so automatic assignment leaves the visitor to the admin.
  const set = await call(helper, 'presence.set', { status: 'busy' });
  if (!set.ok) throw new Error(JSON.stringify(set));
});
test.after.always(async () => {
  agent?.close();
  helper?.close();
  await browser?.close();
  await k?.close();
});

test('CONV-JOIN-34 the visitor sees "{agent} joined the chat" and the helper name on the helper message', async (t) => {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  const hanaId = Number((await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'hana' }).first('id')).id);
  const offered = next<any>(helper, 'help.offered');
  const inv = await call(agent, 'help.invite', { conversationId, agentIds: [hanaId] });
  t.true(inv.ok, JSON.stringify(inv));
  t.true((await call(helper, 'help.respond', { requestId: (await offered).request.id, accept: true })).ok);
  await frame.locator('.msg.system', { hasText: 'Hana joined the chat' }).waitFor({ timeout: 10_000 });
  t.true((await call(helper, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: 'I can help with the refund' })).ok);
  const line = frame.locator('.msg.agent', { hasText: 'I can help with the refund' });
  await line.waitFor({ timeout: 10_000 });
  t.is((await line.locator('.name').textContent())?.trim(), 'Hana');
  await page.screenshot({ path: screenshotPath('help-visitor') });
  await context.close();
});
