import crypto from 'node:crypto';
import test from 'ava';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath } from './browser.ts';

/** Phones and avatars in real Chromium: the mobile icon and window, the hosted chat page, avatars in the window. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;
const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await k?.close();
});

const phone = () => browser.newContext({ userAgent: PHONE_UA, viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, locale: 'en-US' });
async function save(section: string, settings: Record<string, unknown>) {
  const { version } = (await admin.get(`/api/settings/${section}`)).body;
  const r = await admin.put(`/api/settings/${section}`, { version, settings });
  if (r.status !== 200) throw new Error(r.text);
  // The widget's settings are cached up to 5 s per node.
  await new Promise((r) => setTimeout(r, 5200));
}
/** A customer's page with the function code, served under the test server's origin (see icons-tags.e2e.test.ts). */
async function customerPage(context: BrowserContext, snippet: string): Promise<Page> {
  const page = await context.newPage();
  await page.route(`${k.url}/shop.html`, (r) => r.fulfill({ contentType: 'text/html', body: `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><h1>Shop</h1>${snippet}</body></html>` }));
  await page.goto(`${k.url}/shop.html`);
  return page;
}

test.serial('MOBILE-LINK-4 MOBILE-RENDER-5 MOBILE-WINDOW-3 the hosted chat page chats full screen on a phone with the mobile title and colour', async (t) => {
  await save('mobile', { window: { title: { en: 'Help desk' }, themeColor: '#00aa55' } });
  const icon = (await admin.post('/api/icons', { name: 'SMS link', type: 'float' })).body;
  const link = (await admin.get(`/api/icons/${icon.id}/chat-link?lang=en`)).body.url;
  const context = await phone();
  const page = await context.newPage();
  await page.goto(link);
  await page.locator('#start-chat').click();
  await page.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  t.is(await page.locator('#title').textContent(), 'Help desk');
  t.is(await page.locator('.head').evaluate((n) => getComputedStyle(n).backgroundColor), 'rgb(0, 170, 85)');
  t.true(await page.locator('#close').isHidden(), 'a page of its own has nothing to close');
  // 16 px input text: the phone does not zoom on focus; the window fills the screen.
  t.is(await page.locator('#input').evaluate((n) => getComputedStyle(n).fontSize), '16px');
  const app = (await page.locator('#app').boundingBox())!;
  t.deepEqual([app.width, app.height], [375, 667]);

  const got = next(agent, 'message', (m) => m.message.senderKind === 'visitor', 10_000);
  await page.locator('#input').fill('Hello from my phone');
  await page.locator('#input').press('Enter');
  const { message } = await got;
  const conv = await k.server.db('conversations').where({ id: message.conversationId }).first('icon_id');
  t.is(Number(conv.icon_id), icon.id, 'the chat came through the icon');
  await call(agent, 'message.send', { conversationId: message.conversationId, clientId: crypto.randomUUID(), text: 'Hi, phone!' });
  await page.locator('.msg.agent .text', { hasText: 'Hi, phone!' }).waitFor();
  await page.screenshot({ path: screenshotPath('hosted-page-phone') });
  await call(agent, 'conversation.end', { conversationId: message.conversationId }).catch(() => undefined);
  await context.close();
});

test.serial('MOBILE-SWITCH-1 a desktop visitor keeps the desktop texts in the 380 px in-page window while the mobile window is on', async (t) => {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await customerPage(context, `<script async src="${k.url}/widget/loader.js" data-company="${k.company.publicId}"></script>`);
  await page.locator('kefu-widget button.btn').click();
  const title = page.frameLocator('kefu-widget iframe').locator('#title');
  await title.waitFor();
  t.true(((await page.locator('kefu-widget .panel.open').boundingBox())?.width ?? 0) < 600, 'the panel is narrower than a phone screen');
  t.not(await title.textContent(), 'Help desk', 'the mobile title (saved by the previous test) is for phones only');
  await context.close();
});

test.serial('MOBILE-SWITCH-1 MOBILE-ICON-2 MOBILE-RENDER-5 phones get the mobile icon and a full-screen window the back button closes', async (t) => {
  await save('mobile', { icon: { style: 'bar', position: 'bottom-left', size: 48, offsetX: 10, offsetY: 30, guide: { en: 'Ask us' } } });
  const context = await phone();
  const page = await customerPage(context, `<script async src="${k.url}/widget/loader.js" data-company="${k.company.publicId}"></script>`);
  const button = page.locator('kefu-widget button.btn');
  await button.waitFor();
  await page.waitForFunction(() => document.querySelector('kefu-widget')?.shadowRoot?.querySelector('.btn span')?.textContent === 'Ask us');
  const box = (await button.boundingBox())!;
  t.is(Math.round(box.x), 10, 'bottom-left with the mobile offsets');
  t.is(Math.round(667 - box.y - box.height), 30);
  await page.screenshot({ path: screenshotPath('mobile-icon') });

  await button.tap();
  const panel = page.locator('kefu-widget .panel.open');
  await panel.waitFor();
  t.deepEqual(await panel.boundingBox(), { x: 0, y: 0, width: 375, height: 667 });
  await page.frameLocator('kefu-widget iframe').locator('#start-chat').waitFor();
  await page.screenshot({ path: screenshotPath('mobile-window') });
  // The back button: one step back in the joint history of page and frame (no navigation of the page).
  await page.evaluate(() => history.back());
  await panel.waitFor({ state: 'hidden' });
  t.is(page.url(), `${k.url}/shop.html`, 'back closed the window and stayed on the page');

  // 打开方式 separate page: the icon opens the hosted chat page.
  await save('mobile', { window: { openMode: 'page' } });
  await page.reload();
  await page.locator('kefu-widget button.btn').tap();
  await page.waitForURL(`${k.url}/chat/${k.company.publicId}/?lang=en`);
  await page.locator('#start-chat').waitFor();
  await page.goBack();
  await page.waitForURL(`${k.url}/shop.html`);

  // Off: phones get the desktop icon.
  await save('mobile', { enabled: false });
  await page.reload();
  await page.locator('kefu-widget button.btn').waitFor();
  await new Promise((r) => setTimeout(r, 500));
  t.is(Math.round((await page.locator('kefu-widget button.btn').boundingBox())!.width), 56);
  await context.close();
  await save('mobile', {});
});

test.serial('AVATAR-RENDER-3 with avatars on the header and message groups show pictures; off, none is requested', async (t) => {
  const png = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#ff6600' } })
    .png()
    .toBuffer();
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'me.png');
  const up = await fetch(`${k.url}/api/profile/avatar`, { method: 'POST', body: fd, headers: { origin: k.url, cookie: admin.cookie } });
  const { avatarUrl } = await up.json();
  t.truthy(avatarUrl);

  const chat = async (expectFaces: boolean) => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const images: string[] = [];
    page.on('request', (r) => r.url().includes('/avatars/') && images.push(r.url()));
    await page.goto(`${k.url}/chat/${k.company.publicId}?lang=en`);
    await page.locator('#start-chat').click();
    await page.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
    const got = next(agent, 'message', (m) => m.message.senderKind === 'visitor', 10_000);
    await page.locator('#input').fill('Who is there?');
    await page.locator('#input').press('Enter');
    const { message } = await got;
    await call(agent, 'message.send', { conversationId: message.conversationId, clientId: crypto.randomUUID(), text: 'It is me.' });
    await call(agent, 'message.send', { conversationId: message.conversationId, clientId: crypto.randomUUID(), text: 'Still me.' });
    await page.locator('.msg.agent .text', { hasText: 'Still me.' }).waitFor();
    if (expectFaces) {
      await page.locator('#avatar img').waitFor();
      t.is(await page.locator('#avatar img').getAttribute('src'), avatarUrl);
      await page.locator('.msg.agent .face img').waitFor();
      t.is(await page.locator('.msg.agent .face').count(), 1, 'one face per group of agent messages');
      t.is(await page.locator('.msg.agent .face img').getAttribute('src'), avatarUrl);
      const size = (await page.locator('.msg.agent .face').boundingBox())!;
      t.deepEqual([size.width, size.height], [36, 36]);
      t.is(await page.locator('.msg.visitor .face svg').count(), 1, 'the built-in visitor picture');
      await page.screenshot({ path: screenshotPath('avatars-on') });
      t.true(images.length > 0);
    } else {
      await new Promise((r) => setTimeout(r, 300));
      t.is(await page.locator('.face').count(), 0);
      t.is(await page.locator('#avatar img').count(), 0);
      t.deepEqual(images, [], 'no image is requested with avatars off');
    }
    await call(agent, 'conversation.end', { conversationId: message.conversationId }).catch(() => undefined);
    await context.close();
  };
  await chat(false);
  await save('avatars', { enabled: true });
  await chat(true);
  await save('avatars', {});
});
