import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import test from 'ava';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { agentSocket, call, DESKTOP_CHROME, next } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, widgetDist } from './browser.ts';

let k: TestKefu;
let browser: Browser;
let agent: Socket;
const uuid = () => crypto.randomUUID();
/** A normal desktop browser: HeadlessChrome is treated as a bot and not listed. */
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

test('WIDGET-SIZE loader.js ≤ 6 KB, invite.js (loaded with the first invitation) ≤ 3 KB and the chat window JS ≤ 80 KB gzipped', (t) => {
  const gz = (f: string) => zlib.gzipSync(fs.readFileSync(f)).length;
  const loader = gz(path.join(widgetDist, 'loader.js'));
  const frameJs = fs.readdirSync(path.join(widgetDist, 'assets')).filter((f) => f.endsWith('.js'));
  const frame = frameJs.reduce((n, f) => n + gz(path.join(widgetDist, 'assets', f)), 0);
  const invite = gz(path.join(widgetDist, 'invite.js'));
  t.log(`loader.js ${loader} B, invite.js ${invite} B, chat window JS ${frame} B gzipped`);
  t.true(loader <= 6 * 1024, `loader.js is ${loader} B gzipped`);
  t.true(invite <= 3 * 1024, `invite.js is ${invite} B gzipped`);
  t.true(frame <= 80 * 1024, `frame JS is ${frame} B gzipped`);
});

test('WIDGET-EMBED the loader adds no global to the host page but window.Kefu', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  // Served under the test server's origin (intercepted): Chromium refuses public pages loading loopback scripts.
  await page.route(`${k.url}/plain.html`, (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><h1>Shop</h1><script>window.__before = Object.keys(window)</script><script async src="${k.url}/widget/loader.js" data-company="${k.company.publicId}"></script>`,
    }),
  );
  await page.goto(`${k.url}/plain.html`);
  await page.locator('kefu-widget button.btn').waitFor();
  const added = await page.evaluate(() => Object.keys(window).filter((key) => key !== '__before' && !(window as any).__before.includes(key)));
  t.deepEqual(added, ['Kefu']);
  await context.close();
});

test('WIDGET-EMBED with the Kefu server unreachable (loader cached, API and realtime down) the icon shows offline and nothing is thrown into the page', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(`${k.url}/api/**`, (r) => r.abort('connectionrefused'));
  await page.route(`${k.url}/socket.io/**`, (r) => r.abort('connectionrefused'));
  await page.route(`${k.url}/down.html`, (r) =>
    r.fulfill({ contentType: 'text/html', body: `<!doctype html><h1>Shop</h1><script async src="${k.url}/widget/loader.js" data-company="${k.company.publicId}"></script>` }),
  );
  await page.goto(`${k.url}/down.html`);
  const icon = page.locator('kefu-widget button.btn[data-state="offline"]');
  await icon.waitFor();
  await icon.click();
  await new Promise((r) => setTimeout(r, 1500));
  t.deepEqual(errors, [], 'no error reaches the host page');
  t.is(await page.locator('h1').textContent(), 'Shop', 'the host page is untouched');
  await page.screenshot({ path: screenshotPath('server-down') });
  await context.close();
});

test('WIDGET-EMBED the chat frame may be embedded anywhere; the demo page carries the first company and a nonce for its stub', async (t) => {
  const frame = await fetch(k.url + '/widget/frame.html?c=' + k.company.publicId);
  t.is(frame.status, 200);
  t.regex(frame.headers.get('content-security-policy') ?? '', /frame-ancestors \*/);
  t.regex(frame.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/);
  t.is(frame.headers.get('x-frame-options'), null);
  const other = await fetch(k.url + '/');
  t.regex(other.headers.get('content-security-policy') ?? '', /frame-ancestors 'self'/);
  const demo = await fetch(k.url + '/demo');
  const html = await demo.text();
  t.true(html.includes(`data-company="${k.company.publicId}"`));
  const nonce = /nonce="([^"]+)"/.exec(html)?.[1];
  t.truthy(nonce);
  t.true((demo.headers.get('content-security-policy') ?? '').includes(`'nonce-${nonce}'`));
  t.true((await (await fetch(k.url + '/demo?c=12345')).text()).includes('data-company="12345"'));
});

test.serial('WIDGET-CHAT a visitor chats from /demo, survives a reload and loses nothing offline', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const listed = next(agent, 'visitor.updated', (m) => m.visitor.currentTitle === 'Kefu demo shop', 15_000);
  await page.goto(k.url + '/demo');
  const button = page.locator('kefu-widget button');
  await button.waitFor();
  t.is(await button.getAttribute('aria-label'), 'Chat with us');
  await page.screenshot({ path: screenshotPath('button') });
  await button.click();
  const frame = page.frameLocator('kefu-widget iframe');
  await frame.locator('#start-chat').click();
  const visitor = (await listed).visitor;
  t.truthy(visitor, 'the page view reached the agents (visitor listed)');

  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  const got = next(agent, 'message', (m) => m.message.senderKind === 'visitor', 10_000);
  await frame.locator('#input').fill('Hello <b>there</b> <img src=x onerror=alert(1)>');
  await frame.locator('#input').press('Enter');
  const { message } = await got;
  t.is(message.text, 'Hello <b>there</b> <img src=x onerror=alert(1)>');
  const mine = frame.locator('.msg.visitor[data-state="sent"] .text').first();
  await mine.waitFor();
  t.is(await mine.textContent(), 'Hello <b>there</b> <img src=x onerror=alert(1)>', 'shown as text');
  t.is(await frame.locator('.msg img, .msg b').count(), 0, 'no markup from message text');

  await call(agent, 'message.send', { conversationId: message.conversationId, clientId: uuid(), text: 'Hi! How can I help?' });
  const reply = frame.locator('.msg.agent .text', { hasText: 'Hi! How can I help?' });
  await reply.waitFor();
  t.truthy(await frame.locator('.msg.agent .name').first().textContent(), 'agent nickname shown');
  await page.screenshot({ path: screenshotPath('chat') });

  // Reload: the panel reopens, same conversation and messages.
  await page.reload();
  const again = page.frameLocator('kefu-widget iframe');
  await again.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  await again.locator('.msg.agent .text', { hasText: 'Hi! How can I help?' }).waitFor();
  t.is(await again.locator('.msg.visitor').count(), 1);

  // Offline: the message waits (sending), then arrives exactly once.
  const seen: string[] = [];
  const count = (m: any) => m.message.text === 'typed while offline' && seen.push(m.message.clientId);
  agent.on('message', count);
  await context.setOffline(true);
  await again.locator('#status', { hasText: 'Offline' }).waitFor();
  await again.locator('#input').fill('typed while offline');
  await again.locator('#input').press('Enter');
  await again.locator('.msg.visitor[data-state="sending"]', { hasText: 'typed while offline' }).waitFor();
  await page.screenshot({ path: screenshotPath('offline-sending') });
  await new Promise((r) => setTimeout(r, 1000));
  t.deepEqual(seen, [], 'nothing sent while offline');
  await context.setOffline(false);
  await again.locator('.msg.visitor[data-state="sent"]', { hasText: 'typed while offline' }).waitFor({ timeout: 20_000 });
  await new Promise((r) => setTimeout(r, 1000));
  agent.off('message', count);
  t.is(seen.length, 1, 'arrived at the agent exactly once');
  const stored = await k.server.db('messages').where({ conversation_id: message.conversationId, text: 'typed while offline' }).count('* as n').first();
  t.is(Number(stored!.n), 1);

  // The visitor ends the chat and can start a new one.
  await again.locator('#end').click();
  await again.locator('#app[data-state="ended"] #restart').waitFor();
  await page.screenshot({ path: screenshotPath('ended') });
  t.deepEqual(errors, []);
  await context.close();
});

test.serial('WIDGET-SDK calls queued before the loader are replayed; hostile page CSS does not hide the widget', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  // Runs before the page's own snippet: the stub keeps this queue.
  await page.addInitScript(() => {
    (window as any).Kefu = { q: [['setLanguage', ['ja']], ['open', []]] };
  });
  await page.goto(k.url + '/demo');
  await page.addStyleTag({ content: 'kefu-widget, button, iframe { display: none !important; } * { font-size: 40px !important; }' });
  const button = page.locator('kefu-widget button');
  await button.waitFor();
  t.true(await button.isVisible());
  t.is(await button.getAttribute('aria-expanded'), 'true', 'open() was replayed');
  const frame = page.frameLocator('kefu-widget iframe');
  t.is(await frame.locator('#start-chat').textContent(), 'チャットを開始');
  t.true(await page.locator('kefu-widget iframe').isVisible());
  await page.screenshot({ path: screenshotPath('ja-open') });
  const events = await page.evaluate(() => {
    const seen: string[] = [];
    const k = (window as any).Kefu;
    k.on('close', () => seen.push('close'));
    k.on('open', () => seen.push('open'));
    k.close();
    k.toggle();
    return seen;
  });
  t.deepEqual(events, ['close', 'open']);
  await context.close();
});

test.serial('VISITOR-ARRIVE-2 a visitor who never opens the chat is listed live, and opening it continues as the same visitor', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const listed = next(agent, 'visitor.updated', (m) => (m.visitor.currentUrl ?? '').includes('/demo?from=beacon'), 15_000);
  await page.goto(`${k.url}/demo?from=beacon`);
  const { visitor } = await listed;
  t.is(visitor.state, 'browsing');
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.visitorId === visitor.id && m.conversation.status === 'active', 15_000);
  await page.locator('kefu-widget button').click();
  await page.frameLocator('kefu-widget iframe').locator('#start-chat').click();
  const { conversation } = await assigned;
  t.is(conversation.visitorNumber, visitor.number, 'the chat window is the visitor the beacon recorded');
  await call(agent, 'conversation.end', { conversationId: conversation.id });
  await context.close();
});
