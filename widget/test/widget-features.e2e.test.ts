import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, next, startTestServer, type TestClient, type TestCompany, type TestKefu } from '@kefu/core/testing';
import { chatWithAgent as serveChat, launchBrowser, openDemoChat, screenshotPath, until, uploadPng } from './browser.ts';

/** The visitor-side features of issue 6 in real Chromium against a started server (PGlite, or PostgreSQL with KEFU_TEST_PG). */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;
/** A second company where nobody is signed in: its widget is offline. */
let quiet: TestCompany;
const uuid = () => crypto.randomUUID();
const newContext = (locale = 'en-US'): Promise<BrowserContext> =>
  browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale });

async function settings(patch: Record<string, unknown>) {
  const current = (await admin.get('/api/settings/widget')).body;
  const r = await admin.put('/api/settings/widget', { version: current.version, settings: { ...current.settings, ...patch } });
  if (r.status !== 200) throw new Error(r.text);
}

const openChat = (page: Page, company = k.company.publicId) => openDemoChat(page, k.url, company);

/** Ids of the visitor's connected sockets (the loader's live link, the chat frame). */
const socketsOf = async (visitorId: number) => (await k.server.gateway.visitorsNs.in(`visitor:${visitorId}`).fetchSockets()).map((s) => s.id);

const chatWithAgent = (page: Page) => serveChat(page, k.url, k.company.publicId, agent);

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
  quiet = await k.createCompany('Quiet shop');
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await k?.close();
});

test.serial('PRECHAT-RENDER-7 PRECHAT-QTYPE-2 a required pre-chat field blocks the request; the question type then routes to its group', async (t) => {
  const group = (await admin.post('/api/groups', { name: 'Refunds' })).body;
  await settings({
    prechat: {
      enabled: true,
      fields: {
        name: { shown: true, required: true },
        questionType: { shown: true, required: true },
        email: { shown: true },
        mobile: { shown: true, required: false },
        ...Object.fromEntries(['phone', 'company', 'title'].map((f) => [f, { shown: false, required: false }])),
      },
      questionTypes: [
        { id: 'refund', label: { en: 'Refund', 'zh-CN': '退款' }, groupId: group.id, order: 0 },
        { id: 'other', label: { en: 'Something else' }, order: 1 },
      ],
    },
  });
  t.teardown(() => settings({ prechat: { enabled: false } }));
  const context = await newContext();
  const page = await context.newPage();
  const frame = await openChat(page);
  const form = frame.locator('#prechat');
  await form.waitFor();
  t.is(await form.locator('label', { hasText: 'Name *' }).count(), 1, 'required items are marked');
  t.deepEqual(await form.locator('select[name="questionType"] option').allTextContents(), ['Please choose', 'Refund', 'Something else']);

  await form.locator('input[name="email"]').fill('not-an-address');
  await form.locator('button[type="submit"]').click();
  await page.screenshot({ path: screenshotPath('prechat-errors') });
  t.is(await form.locator('#prechat-name-error').textContent(), 'Please fill in this field');
  t.is(await form.locator('#prechat-email-error').textContent(), 'Enter a valid e-mail address');
  await page.screenshot({ path: screenshotPath('prechat-errors') });
  const none = await k.server.db('conversations').where({ company_id: k.company.id, group_id: group.id }).count('* as n').first();
  t.is(Number(none!.n), 0, 'no chat was requested');

  await form.locator('input[name="name"]').fill('Wang Fang');
  await form.locator('input[name="email"]').fill('wang@example.com');
  await form.locator('select[name="questionType"]').selectOption('refund');
  await form.locator('input[name="name"]').press('Enter');
  await frame.locator('#app[data-state="queued"], #app[data-state="active"]').waitFor({ timeout: 15_000 });
  const conv = await k.server.db('conversations').where({ company_id: k.company.id, group_id: group.id }).first();
  t.truthy(conv, 'the conversation is scoped to the group of the question type');
  const visitor = await k.server.db('visitors').where({ id: conv.visitor_id }).first();
  t.is(visitor.name, 'Wang Fang');
  t.is(visitor.attributes.prechat.questionType, 'refund');
  await frame.locator('.msg.system', { hasText: 'Connecting you to an agent' }).waitFor();
  await page.screenshot({ path: screenshotPath('prechat-queued') });
  await context.close();
});

test.serial('LEAVESET-RENDER-8 LEAVESET-STORE-9 ICON-STATE-7 with nobody online the icon looks offline and the leave-message form stores what is sent', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(`${k.url}/demo?c=${quiet.publicId}`);
  const button = page.locator('kefu-widget button.btn');
  await page.locator('kefu-widget button.btn[data-state="offline"]').waitFor();
  await button.click();
  const frame = page.frameLocator('kefu-widget iframe');
  await frame.locator('#app[data-state="leave"] #leave-form').waitFor({ timeout: 15_000 });
  t.is(await frame.locator('#leave h2').textContent(), 'Leave a message');

  const form = frame.locator('#leave-form');
  await form.locator('input[name="mobile"]').fill('abc');
  await form.locator('button[type="submit"]').click();
  t.is(await form.locator('#leave-form-content-error').textContent(), 'Please fill in this field');
  t.is(await form.locator('#leave-form-mobile-error').textContent(), 'Enter a valid phone number');
  await page.screenshot({ path: screenshotPath('leave-errors') });

  await form.locator('input[name="name"]').fill('Zhao Lei');
  await form.locator('input[name="mobile"]').fill('13800138000');
  await form.locator('textarea[name="content"]').fill('Please call me about <b>order</b> 42');
  await form.locator('button[type="submit"]').dblclick();
  await frame.locator('#leave .thanks', { hasText: 'Thank you! Your message has been sent.' }).waitFor();
  await page.screenshot({ path: screenshotPath('leave-thanks') });
  const rows = await k.server.db('leave_messages').where({ company_id: quiet.id });
  t.is(rows.length, 1, 'a double click stores one leave-message');
  t.is(rows[0].content, 'Please call me about <b>order</b> 42');
  t.is(rows[0].name, 'Zhao Lei');
  t.true(String(rows[0].page_url).includes('/demo'), 'the host page is recorded');
  await context.close();
});

test.serial('EVAL-PUSH-9 EVAL-RATING-8 the agent pushes the survey; the rating is stored and shown to the agent', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page);
  await call(agent, 'message.send', { conversationId, clientId: uuid(), text: 'Anything else?' });
  await frame.locator('.msg.agent', { hasText: 'Anything else?' }).waitFor();
  t.true(await frame.locator('#heart').isVisible(), 'the heart shows once an agent has written');

  const pushed = await call(agent, 'rating.push', { conversationId });
  t.falsy(pushed.error, JSON.stringify(pushed.error));
  const card = frame.locator('.rating');
  await card.waitFor();
  const again = await call(agent, 'rating.push', { conversationId });
  t.is(again.error.code, 'rate_limited', 'one push a minute');
  await card.locator('.level[data-score="4"]').click();
  await card.locator('textarea').fill('Quick and friendly');
  await page.screenshot({ path: screenshotPath('rating-card') });
  const seen = next(agent, 'message', (m) => m.message.kind === 'rating' && m.message.senderKind === 'visitor');
  await card.locator('button[type="submit"]').click();
  const { message } = await seen;
  t.deepEqual(message.payload, { score: 4, comment: 'Quick and friendly' });
  await frame.locator('.msg.system', { hasText: 'Thank you for your rating: Satisfied' }).waitFor();
  t.is(await frame.locator('.rating').count(), 0, 'the card is gone once rated');
  t.false(await frame.locator('#heart').isVisible(), 'rated: the heart hides');
  const stored = await k.server.db('messages').where({ conversation_id: conversationId, kind: 'rating', sender_kind: 'visitor' });
  t.is(stored.length, 1);
  t.is((await call(agent, 'rating.push', { conversationId })).error.code, 'already_rated');
  await call(agent, 'conversation.end', { conversationId });
  await context.close();
});

test.serial('CONV-IMAGE-17 WINDOW-TOOLBAR-4 WINDOW-RATING-5 an image with progress reaches the agent and shows inline; a pasted screenshot too; emoji; the rating at the end is stored', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page);
  await call(agent, 'message.send', { conversationId, clientId: uuid(), text: 'Send me a photo please' });

  await frame.locator('#emoji').click();
  await frame.locator('#emoji-panel .emoji-grid:not(.emoji-recent) button').first().click({ timeout: 15_000 });
  t.is(await frame.locator('#input').inputValue(), '😀');
  await frame.locator('#input').press('Enter');

  const png = Buffer.from(
    await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 160;
      c.height = 100;
      const g = c.getContext('2d')!;
      g.fillStyle = '#ff7a45';
      g.fillRect(0, 0, 160, 100);
      g.fillStyle = '#fff';
      g.fillRect(20, 20, 60, 60);
      return c.toDataURL('image/png').split(',')[1];
    }),
    'base64',
  );
  const got = next(agent, 'message', (m) => m.message.kind === 'image', 15_000);
  await frame.locator('#picker').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
  // A picked photo waits in the preview before it is uploaded (CONV-SCREENSHOT-19).
  await frame.locator('.shot .primary').click();
  const { message } = await got;
  t.is(message.payload.name, 'photo.png');
  const img = frame.locator('.msg.visitor.media[data-state="sent"] .thumb img');
  await img.waitFor({ timeout: 15_000 });
  t.true((await img.getAttribute('src'))!.includes('/f/'), 'shown from a signed link of the server');
  await page.waitForFunction(() => {
    const f = document.querySelector('kefu-widget')!.shadowRoot!.querySelector('iframe')!.contentDocument!;
    const i = f.querySelector('.thumb img') as HTMLImageElement | null;
    return !!i && i.complete && i.naturalWidth > 0;
  });
  await page.screenshot({ path: screenshotPath('image') });
  await img.click();
  await frame.locator('.lightbox img').waitFor();
  await frame.locator('.lightbox').press('Escape');

  // A screenshot pasted into the input (Ctrl/⌘+V) goes out as an image after its preview, like a picked one.
  const pasted = next(agent, 'message', (m) => m.message.kind === 'image', 15_000);
  await frame.locator('#input').evaluate((input, b64) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], 'screenshot.png', { type: 'image/png' }));
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png.toString('base64'));
  await frame.locator('.shot .primary').click();
  t.is((await pasted).message.payload.name, 'screenshot.png');
  await frame.locator('.msg.visitor.media[data-state="sent"] .thumb img').nth(1).waitFor({ timeout: 15_000 });

  // A file over the company's type rules: the error is shown on the message, nothing reaches the agent.
  await frame.locator('#picker').setInputFiles({ name: 'run.sh', mimeType: 'text/x-sh', buffer: Buffer.from('#!/bin/sh\nrm -rf /\n') });
  await frame.locator('.msg.visitor[data-state="failed"][data-error]').waitFor({ timeout: 15_000 });

  await frame.locator('#end').click();
  const slot = frame.locator('#rate-slot .rating');
  await slot.waitFor();
  await page.screenshot({ path: screenshotPath('ended-rating') });
  await slot.locator('.level[data-score="5"]').click();
  await slot.locator('button[type="submit"]').click();
  await frame.locator('.msg.system', { hasText: 'Very satisfied' }).waitFor();
  const stored = await k.server.db('messages').where({ conversation_id: conversationId, kind: 'rating' }).first();
  t.is(stored.payload.score, 5, 'rated after the end');
  await context.close();
});

test.serial('INVITE-RENDER-7 INVITE-ACCEPT-8 POLICY-PROACTIVE-3 an invitation shows with the chat closed; accepting opens a chat with the inviter; a proactive chat opens by itself', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const listed = next(agent, 'visitor.updated', (m) => (m.visitor.currentUrl ?? '').includes('from=invite'), 15_000);
  await page.goto(`${k.url}/demo?from=invite`);
  const { visitor } = await listed;
  const first = await until(() => socketsOf(visitor.id), (ids) => ids.length === 1);
  t.is(first.length, 1, "the loader's realtime link is up with the chat closed");
  const sent = await call(agent, 'visitor.invite', { visitorId: visitor.id, text: 'Need help choosing a size?' });
  t.falsy(sent.error, JSON.stringify(sent.error));
  const box = page.locator('kefu-invite .inv');
  await box.waitFor({ timeout: 15_000 });
  t.is(await box.locator('p').textContent(), 'Need help choosing a size?');
  t.is(await page.evaluate(() => document.querySelector('kefu-invite')!.shadowRoot!.activeElement?.textContent), 'Accept', 'focus lands on accept');
  await page.screenshot({ path: screenshotPath('invitation') });
  const answered = next(agent, 'invitation.answered', () => true, 15_000);
  await box.locator('button.ok').click();
  t.is((await answered).invitation.status, 'accepted');
  const frame = page.frameLocator('kefu-widget iframe');
  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  t.regex((await frame.locator('#agent').textContent()) ?? '', /serving you/);
  const conv = await k.server.db('conversations').where({ visitor_id: visitor.id }).first();
  t.is(conv.initiator, 'invitation');
  const ended = await call(agent, 'conversation.end', { conversationId: Number(conv.id) });
  t.falsy(ended.error, JSON.stringify(ended.error));

  // Proactive: the agent opens a chat; the closed window opens by itself with the agent's words.
  await frame.locator('#app[data-state="ended"]').waitFor();
  await page.locator('kefu-widget button.btn').click(); // close
  const before = await socketsOf(visitor.id);
  await page.reload();
  await until(() => socketsOf(visitor.id), (ids) => ids.length === 1 && !before.includes(ids[0]));
  const r = await call(agent, 'visitor.proactive', { visitorId: visitor.id, text: 'Hello from the shop!' });
  t.falsy(r.error, JSON.stringify(r.error));
  const again = page.frameLocator('kefu-widget iframe');
  await again.locator('.msg.agent', { hasText: 'Hello from the shop!' }).waitFor({ timeout: 15_000 });
  t.is(await page.locator('kefu-widget button.btn').getAttribute('aria-expanded'), 'true');
  await call(agent, 'conversation.end', { conversationId: r.conversation.id });
  await context.close();
});

test.serial('INVITE-POPUP-2 automatic invitations follow the delay, text and per-visit count of the settings', async (t) => {
  await settings({ invite: { auto: true, delaySeconds: 1, maxPerVisit: 1, intervalSeconds: 10, displaySeconds: 0, texts: { ja: { text: 'ご質問はお気軽にどうぞ' } } } });
  t.teardown(() => settings({ invite: { auto: false } }));
  const context = await newContext('ja-JP');
  const page = await context.newPage();
  await page.goto(`${k.url}/demo`);
  const box = page.locator('kefu-invite .inv');
  await box.waitFor({ timeout: 15_000 });
  t.is(await box.locator('p').textContent(), 'ご質問はお気軽にどうぞ');
  t.is(await box.locator('button.ok').textContent(), '承諾');
  await page.keyboard.press('Escape');
  t.is(await box.count(), 0, 'Esc declines');
  await page.reload();
  await page.locator('kefu-widget button.btn').waitFor();
  await page.waitForTimeout(2500);
  t.is(await box.count(), 0, 'at most one per visit, across pages');
  await context.close();
});

test.serial('INVITE-STYLE-6 INVITE-POPUP-2 the invitation takes the mode and template of the settings, with the inviter\'s avatar; invite.js loads with the first invitation, on another site too', async (t) => {
  const avatars = async (enabled: boolean) => {
    const { version } = (await admin.get('/api/settings/avatars')).body;
    const r = await admin.put('/api/settings/avatars', { version, settings: { enabled } });
    if (r.status !== 200) throw new Error(r.text);
  };
  t.teardown(() => Promise.all([settings({ invite: {} }), avatars(false)]));
  await avatars(true);
  /** A visitor on a shop's own site: a page served from another origin (its own port) than the Kefu server. */
  const snippet = `<script async src="${k.url}/widget/loader.js" data-company="${k.company.publicId}"></script>`;
  const site = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Shop</title><h1>Shop</h1>${snippet}`));
  await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  t.teardown(() => {
    site.closeAllConnections();
    site.close();
  });
  const shop = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  const visit = async (tag: string) => {
    const context = await newContext();
    const page = await context.newPage();
    const loaded: string[] = [];
    page.on('request', (r) => r.url().endsWith('/widget/invite.js') && loaded.push(r.url()));
    const listed = next(agent, 'visitor.updated', (m) => (m.visitor.currentUrl ?? '').includes(tag), 15_000);
    await page.goto(`${shop}?from=${tag}`);
    const { visitor } = await listed;
    await until(() => socketsOf(visitor.id), (ids) => ids.length === 1);
    t.deepEqual(loaded, [], 'no invitation, no invite.js');
    const sent = await call(agent, 'visitor.invite', { visitorId: visitor.id, text: 'Free shipping today' });
    t.falsy(sent.error, JSON.stringify(sent.error));
    const box = page.locator('kefu-invite .inv');
    await box.waitFor({ timeout: 15_000 });
    t.deepEqual(loaded, [`${k.url}/widget/invite.js`]);
    const rect = await box.evaluate(async (e) => {
      await Promise.all(e.getAnimations().map((a) => a.finished)); // it slides or fades in
      const r = e.getBoundingClientRect();
      return { top: r.top, left: r.left, width: r.width, right: innerWidth - r.right, bottom: innerHeight - r.bottom };
    });
    return { context, page, box, rect, nickname: sent.invitation.agentNickname as string };
  };
  const css = (box: Locator, prop: string, inside = '') => (inside ? box.locator(inside) : box).evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), prop);

  await settings({ invite: { mode: 'top-banner', style: { template: 'dark' } } });
  const banner = await visit('banner');
  t.like(banner.rect, { top: 0, left: 0, width: 1280 }, 'a banner across the top of the page');
  t.is(await css(banner.box, 'background-color'), 'rgb(13, 17, 23)', 'the dark template');
  t.is(await banner.box.locator('p').textContent(), 'Free shipping today');
  t.is(await banner.box.locator('.agent b').textContent(), banner.nickname, "avatars on: the inviter's name");
  t.is(await banner.box.locator('.agent .initials').textContent(), [...banner.nickname][0].toUpperCase(), 'no picture: initials');
  await banner.page.screenshot({ path: screenshotPath('invitation-banner') });
  await banner.context.close();

  const image = await uploadPng(k.url, admin, '/api/settings/widget/invite-image', { width: 480, height: 200, colour: '#fff1e6' });
  await settings({ invite: { mode: 'bottom-left', style: { template: 'custom', width: 480, buttonColor: '#ff5500', showClose: false, image: image.key } } });
  const corner = await visit('corner');
  t.like(corner.rect, { left: 20, bottom: 96, width: 480 }, 'bottom left, above the icon, at the custom width');
  t.is(await css(corner.box, 'background-color', 'button.ok'), 'rgb(255, 85, 0)', 'the custom button colour');
  t.is(await corner.box.locator('button.x').count(), 0, 'no close button when switched off');
  t.is(await css(corner.box, 'background-image'), `url("${k.url}${image.url}")`, 'the custom background image, from the Kefu server');
  await corner.page.screenshot({ path: screenshotPath('invitation-corner') });
  const answered = next(agent, 'invitation.answered', () => true, 15_000);
  await corner.page.keyboard.press('Escape');
  t.is((await answered).invitation.status, 'declined', 'Esc declines');
  await corner.context.close();
});

test.serial('POLICY-PROACTIVE-2 the automatic proactive greeting shows in the page; accepting starts the chat, declining stops it for the visit', async (t) => {
  const proactive = async (p: Record<string, unknown>) => {
    const current = (await admin.get('/api/settings/policies')).body;
    const r = await admin.put('/api/settings/policies', { version: current.version, settings: { ...current.settings, proactive: p } });
    if (r.status !== 200) throw new Error(r.text);
  };
  await proactive({ enabled: true, delaySeconds: 1, maxPerVisit: 2, greeting: { en: 'Questions about our prices?' } });
  t.teardown(() => proactive({ enabled: false }));
  const context = await newContext();
  const page = await context.newPage();
  const listed = next(agent, 'visitor.updated', (m) => (m.visitor.currentUrl ?? '').includes('from=greeting'), 15_000);
  await page.goto(`${k.url}/demo?from=greeting`);
  const { visitor } = await listed;
  const box = page.locator('kefu-invite .inv');
  await box.waitFor({ timeout: 15_000 });
  t.is(await box.locator('p').textContent(), 'Questions about our prices?');
  await page.screenshot({ path: screenshotPath('proactive-greeting') });
  await box.locator('button.ok').click();
  const frame = page.frameLocator('kefu-widget iframe');
  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  const conv = await k.server.db('conversations').where({ visitor_id: visitor.id }).first();
  t.truthy(conv, 'accepting the greeting started a chat');
  await call(agent, 'conversation.end', { conversationId: Number(conv.id) });

  // Another visitor declines: the server is told, and no second greeting comes in this visit.
  const other = await newContext();
  const second = await other.newPage();
  const listed2 = next(agent, 'visitor.updated', (m) => (m.visitor.currentUrl ?? '').includes('from=declined'), 15_000);
  await second.goto(`${k.url}/demo?from=declined`);
  const declined = (await listed2).visitor;
  const box2 = second.locator('kefu-invite .inv');
  await box2.waitFor({ timeout: 15_000 });
  await second.keyboard.press('Escape');
  const closed = await until(
    () => k.server.db('proactive_visits').where({ visitor_id: declined.id }).first(),
    (r) => !!r?.closed_at,
  );
  t.truthy(closed.closed_at, 'the server was told (proactive.close): no more greetings in this visit');
  t.is(await box2.count(), 0);
  t.falsy(await k.server.db('conversations').where({ visitor_id: declined.id }).first(), 'declining starts no chat');
  await context.close();
  await other.close();
});

test.serial('WIDGET-SDK setUser and setAttributes reach the agent; on("message") fires; reset starts an anonymous visitor', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    (window as any).Kefu = {
      q: [
        ['setUser', [{ id: 'u-42', name: 'Ada Lovelace', email: 'ada@example.com' }]],
        ['setAttributes', [{ plan: 'pro', cartValue: 99 }]],
      ],
    };
  });
  const named = next(agent, 'visitor.updated', (m) => m.visitor.name === 'Ada Lovelace', 15_000);
  await page.goto(`${k.url}/demo`);
  const { visitor } = await named;
  const row = await until(
    () => k.server.db('visitors').where({ id: visitor.id }).first(),
    (r) => r.attributes.sdk?.plan !== undefined,
  );
  t.is(row.email, 'ada@example.com');
  t.deepEqual(row.attributes.sdk, { plan: 'pro', cartValue: 99, claimedId: 'u-42' });

  await page.evaluate(() => {
    (window as any).seen = [];
    (window as any).Kefu.on('message', (m: any) => (window as any).seen.push(m.text));
  });
  const served = next(agent, 'conversation.updated', (m) => m.conversation.visitorId === visitor.id && m.conversation.status === 'active', 15_000);
  await page.locator('kefu-widget button.btn').click();
  await page.frameLocator('kefu-widget iframe').locator('#start-chat').click();
  const { conversation } = await served;
  await page.locator('kefu-widget button.btn').click(); // minimise: the badge counts, the title blinks
  await call(agent, 'message.send', { conversationId: conversation.id, clientId: uuid(), text: 'Your order has shipped' });
  await page.waitForFunction(() => (window as any).seen.includes('Your order has shipped'));
  await page.locator('kefu-widget .badge:not([hidden])', { hasText: '1' }).waitFor();
  await page.waitForFunction(() => document.title.includes('New message'));
  await page.screenshot({ path: screenshotPath('unread-badge') });
  await call(agent, 'conversation.end', { conversationId: conversation.id });

  const before = await page.evaluate((c) => localStorage.getItem(`kefu:${c}:token`), k.company.publicId);
  // Earlier tests' visitors still change (they leave a while after their page closed): the new one is the newest row.
  const newest = Number((await k.server.db('visitors').max('id as id').first()).id);
  const fresh = next(agent, 'visitor.updated', (m) => m.visitor.id > newest && (m.visitor.currentUrl ?? '').includes('/demo'), 15_000);
  await page.evaluate(() => (window as any).Kefu.reset());
  const after = await page.evaluate((c) => localStorage.getItem(`kefu:${c}:token`), k.company.publicId);
  t.truthy(after);
  t.not(after, before, 'a new visitor token');
  t.is((await fresh).visitor.name, null, 'the new visitor is anonymous');
  await context.close();
});

test.serial('STYLE-LANG-4 ICON-TYPES-3 the window renders in each of the five languages; a text icon shows its words', async (t) => {
  await settings({ icon: { type: 'text' } });
  t.teardown(() => settings({ icon: { type: 'float' } }));
  const expected: Record<string, { start: string; icon: string }> = {
    'zh-CN': { start: '开始咨询', icon: '在线咨询' },
    'zh-TW': { start: '開始諮詢', icon: '線上諮詢' },
    en: { start: 'Start chat', icon: 'Chat online' },
    ja: { start: 'チャットを開始', icon: 'チャットで相談' },
    ko: { start: '상담 시작', icon: '온라인 상담' },
  };
  for (const [lang, want] of Object.entries(expected)) {
    const context = await newContext(lang);
    const page = await context.newPage();
    await page.goto(`${k.url}/demo`);
    const label = page.locator('kefu-widget button.btn span').first();
    await page.waitForFunction((w) => document.querySelector('kefu-widget')!.shadowRoot!.querySelector('.btn span')!.textContent === w, want.icon);
    t.is(await label.textContent(), want.icon, `${lang} icon`);
    await page.locator('kefu-widget button.btn').click();
    const frame = page.frameLocator('kefu-widget iframe');
    await frame.locator('#app[data-state="start"]').waitFor({ timeout: 15_000 });
    t.is(await frame.locator('#start-chat').textContent(), want.start, `${lang} window`);
    t.is(await frame.locator('html').getAttribute('lang'), lang);
    if (lang === 'zh-CN' || lang === 'ko') await page.screenshot({ path: screenshotPath(`lang-${lang}`) });
    await context.close();
  }
});
