import crypto from 'node:crypto';
import test from 'ava';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, next, startTestServer, type TestKefu } from '@kefu/core/testing';
import { chatWithAgent, launchBrowser, screenshotPath } from './browser.ts';

/** Issue 6: the chat window where a proxy or firewall lets no WebSocket through (socket.io long-polling only). */
let k: TestKefu;
let browser: Browser;
let agent: Socket;
const uuid = () => crypto.randomUUID();
const newContext = (): Promise<BrowserContext> => browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  agent = await agentSocket(k.url, await k.login());
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await k?.close();
});

test.serial('WIDGET-CHAT CONV-IDEMPOTENT-9 with WebSocket blocked the visitor chats over long-polling; a message typed while the network is down arrives once', async (t) => {
  const context = await newContext();
  // Every WebSocket to socket.io is refused, as behind a proxy that does not pass upgrades.
  let refused = 0;
  await context.routeWebSocket(/\/socket\.io\//, (ws) => {
    refused++;
    ws.close();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const polls: string[] = [];
  page.on('request', (r) => r.url().includes('/socket.io/') && r.url().includes('transport=polling') && polls.push(r.method()));

  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  t.true(refused > 0, 'the window tried WebSocket and was refused');
  t.true(polls.includes('GET') && polls.includes('POST'), 'the chat went over HTTP long-polling');

  const got = next(agent, 'message', (m) => m.message.senderKind === 'visitor' && m.message.text === 'Hello over polling', 10_000);
  await frame.locator('#input').fill('Hello over polling');
  await frame.locator('#input').press('Enter');
  await got;
  await frame.locator('.msg.visitor[data-state="sent"]', { hasText: 'Hello over polling' }).waitFor();
  await call(agent, 'message.send', { conversationId, clientId: uuid(), text: 'Replying without WebSocket' });
  await frame.locator('.msg.agent .text', { hasText: 'Replying without WebSocket' }).waitFor({ timeout: 10_000 });

  // The network fails without the browser noticing (no `offline` event): every poll and post is cut off.
  const seen: string[] = [];
  const count = (m: any) => m.message.text === 'typed while the network was down' && seen.push(m.message.clientId);
  agent.on('message', count);
  t.teardown(() => agent.off('message', count));
  const cut = /\/socket\.io\/.*transport=polling/;
  await context.route(cut, (r) => r.abort('internetdisconnected'));
  await frame.locator('#input').fill('typed while the network was down');
  await frame.locator('#input').press('Enter');
  const row = frame.locator('.msg.visitor', { hasText: 'typed while the network was down' });
  await row.waitFor();
  await new Promise((r) => setTimeout(r, 1500));
  t.is(await row.getAttribute('data-state'), 'sending', 'shown as sending while nothing gets through');
  t.deepEqual(seen, [], 'nothing reached the agent');
  await page.screenshot({ path: screenshotPath('polling-down') });

  await context.unroute(cut);
  await frame.locator('.msg.visitor[data-state="sent"]', { hasText: 'typed while the network was down' }).waitFor({ timeout: 20_000 });
  // An agent message after the outage still arrives over polling.
  await call(agent, 'message.send', { conversationId, clientId: uuid(), text: 'Back again' });
  await frame.locator('.msg.agent .text', { hasText: 'Back again' }).waitFor({ timeout: 10_000 });
  t.is(seen.length, 1, 'the agent got it exactly once');
  const stored = await k.server.db('messages').where({ conversation_id: conversationId, text: 'typed while the network was down' }).count('* as n').first();
  t.is(Number(stored!.n), 1, 'stored once');
  t.is(await frame.locator('.msg.visitor', { hasText: 'typed while the network was down' }).count(), 1, 'shown once');
  t.deepEqual(errors, []);
  await call(agent, 'conversation.end', { conversationId });
  await context.close();
});
