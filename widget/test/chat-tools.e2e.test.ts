import crypto from 'node:crypto';
import test from 'ava';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import type { FrameLocator } from 'playwright-core';
import { chatWithAgent, launchBrowser, screenshotPath, until } from './browser.ts';

/** The chat tools in the visitor's window (SPEC §2.4.1): the agent's message style, emoji, live view and screenshots. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;
const newContext = (locale = 'en-US'): Promise<BrowserContext> => browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale });

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
  await call(agent, 'presence.set', { status: 'online', autoAccept: true });
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await k?.close();
});

test.serial('CONV-FONT-13 the visitor sees the agent’s palette colour and bold; plain messages keep the theme’s look', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  await call(agent, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: 'Styled hello', style: { color: 'green', bold: true } });
  await call(agent, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: 'Plain hello' });
  const styled = frame.locator('.msg.agent .text', { hasText: 'Styled hello' });
  await styled.waitFor({ timeout: 10_000 });
  t.deepEqual(await styled.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).fontWeight]), ['rgb(27, 94, 32)', '700']);
  const plain = frame.locator('.msg.agent .text', { hasText: 'Plain hello' });
  await plain.waitFor();
  t.deepEqual(await plain.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).fontWeight]), ['rgb(31, 35, 40)', '400']);
  await call(agent, 'conversation.end', { conversationId });
  await context.close();
});

test.serial('CONV-EMOJI-20 the window’s picker: categories, search in the visitor’s language and English, inserted at the caret, recently used first', async (t) => {
  const context = await newContext('zh-CN');
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  const input = frame.locator('#input');
  await input.fill('好的');
  await input.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(1, 1));
  await frame.locator('#emoji').click();
  const panel = frame.locator('#emoji-panel');
  await panel.locator('.emoji-grid:not(.emoji-recent) button').first().waitFor({ timeout: 15_000 });
  t.is(await panel.locator('[role="tab"]').count(), 9);
  await panel.locator('.emoji-search').fill('猫');
  await panel.locator('button[aria-label="猫脸"]').waitFor();
  await panel.locator('.emoji-search').fill('thumbs up');
  await panel.locator('button', { hasText: '👍' }).first().click();
  t.regex(await input.inputValue(), /^好👍\uFE0F?的$/, 'the emoji as Unicode text at the caret');
  t.true(await panel.isHidden());
  await frame.locator('#emoji').click();
  await panel.locator('.emoji-recent button', { hasText: '👍' }).waitFor();
  await page.screenshot({ path: screenshotPath('emoji-picker') });
  await call(agent, 'conversation.end', { conversationId });
  await context.close();
});

test.serial('CONV-LIVEVIEW-21 the window sends only a typing signal until the agent’s live view is on, then the draft at most every 300 ms', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  page.on('console', (m) => t.log(`console: ${m.text()}`));
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  const seen: { text: string | null; at: number }[] = [];
  agent.on('visitor.typing', (p) => p.conversationId === conversationId && seen.push({ text: p.text, at: Date.now() }));
  const input = frame.locator('#input');
  await input.pressSequentially('hello', { delay: 50 });
  await new Promise((r) => setTimeout(r, 3500));
  t.true(seen.length >= 1, 'the agent learns that the visitor types');
  t.true(
    seen.every((s) => s.text === null),
    'but never the text',
  );

  const on = await call(agent, 'liveview.set', { conversationId, on: true });
  t.true(on.on);
  await until(async () => seen.some((s) => s.text === 'hello'), Boolean, 5000);
  t.true(
    seen.some((s) => s.text === 'hello'),
    `told to send the draft, the window sends what is there already (${JSON.stringify(seen)})`,
  );
  seen.length = 0;
  const started = Date.now();
  await input.pressSequentially(' there, I need help', { delay: 30 });
  await new Promise((r) => setTimeout(r, 700));
  const drafts = seen.filter((s) => s.at >= started);
  t.is(drafts.at(-1)?.text, 'hello there, I need help', 'the last draft is what is typed');
  for (let i = 1; i < drafts.length; i++) t.true(drafts[i].at - drafts[i - 1].at >= 250, `sends ${drafts[i].at - drafts[i - 1].at} ms apart`);
  t.true(drafts.length <= Math.ceil((Date.now() - started) / 300) + 1);

  seen.length = 0;
  await input.press('Enter');
  await until(async () => seen.some((s) => s.text === ''), Boolean, 5000);
  t.true(
    seen.some((s) => s.text === ''),
    `sending clears the preview (${JSON.stringify(seen)})`,
  );
  await call(agent, 'conversation.end', { conversationId });
  await context.close();
});

async function toolbar(patch: Record<string, boolean>) {
  const current = (await admin.get('/api/settings/widget')).body;
  const r = await admin.put('/api/settings/widget', { version: current.version, settings: { ...current.settings, toolbar: { ...current.settings.toolbar, ...patch } } });
  if (r.status !== 200) throw new Error(r.text);
}

/** A 400×200 PNG, orange with a white square, as a data URL body. */
const PNG = async (frame: FrameLocator) =>
  frame.locator('body').evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 400;
    c.height = 200;
    const g = c.getContext('2d')!;
    g.fillStyle = '#ff7a45';
    g.fillRect(0, 0, 400, 200);
    g.fillStyle = '#fff';
    g.fillRect(40, 40, 100, 100);
    return c.toDataURL('image/png').split(',')[1];
  });

test.serial('CONV-SCREENSHOT-19 pasted, dropped and captured images wait in a preview: 取消 uploads nothing, a dragged area is what 发送 sends; the 截屏 switch turns the button and pasting off', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  page.on('console', (m) => t.log(`console: ${m.text()}`));
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  const png = await PNG(frame);
  const images = async () => Number((await k.server.db('messages').where({ conversation_id: conversationId, kind: 'image' }).count('* as n').first())!.n);

  // Dropped on the window: the preview; 取消 drops it before any upload.
  await frame.locator('#app').evaluate((app, b64) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], 'dropped.png', { type: 'image/png' }));
    app.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, png);
  const shot = frame.locator('.shot');
  await shot.waitFor({ timeout: 5000 });
  t.is(await shot.locator('.primary').textContent(), 'Send');
  await shot.locator('.plain', { hasText: 'Cancel' }).click();
  await shot.waitFor({ state: 'detached' });
  await new Promise((r) => setTimeout(r, 500));
  t.is(await images(), 0, 'nothing was uploaded');

  // Pasted: a drag over 40 % × 50 % of the shown image; that area is what goes out.
  await frame.locator('#input').evaluate((input, b64) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], 'pasted.png', { type: 'image/png' }));
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  const img = shot.locator('img');
  await img.waitFor({ timeout: 5000 });
  await img.evaluate((el: HTMLImageElement) => el.decode());
  const box = (await img.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6, { steps: 5 });
  await page.mouse.up();
  await shot.locator('.shot-area:not([hidden])').waitFor();
  await page.screenshot({ path: screenshotPath('screenshot-area') });
  const got = next(agent, 'message', (m) => m.message.kind === 'image', 15_000);
  await shot.locator('.primary').click();
  const { message } = await got;
  t.is(message.payload.name, 'pasted-area.png');
  t.true(Math.abs(message.payload.width - 160) <= 2, `40 % of the width: ${message.payload.width}`);
  t.true(Math.abs(message.payload.height - 100) <= 2, `50 % of the height: ${message.payload.height}`);

  // 截屏: the browser's screen capture (here a canvas stream stands in for the screen the visitor would pick).
  // Given as text and run by eval: the test runner's compiled helpers (__name) do not exist in the page.
  const stub = `navigator.mediaDevices.getDisplayMedia = async () => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 180;
    const g = c.getContext('2d');
    setInterval(() => {
      g.fillStyle = '#1565c0';
      g.fillRect(0, 0, 320, 180);
    }, 50);
    return c.captureStream(10);
  };`;
  await frame.locator('body').evaluate((_body, code) => (0, eval)(code), stub);
  t.true(await frame.locator('#shot').isVisible(), 'a desktop browser with screen capture shows 截屏');
  await frame.locator('#shot').click();
  await shot.waitFor({ timeout: 10_000 });
  const captured = next(agent, 'message', (m) => m.message.kind === 'image', 15_000);
  await shot.locator('.primary').click();
  t.regex((await captured).message.payload.name, /^screenshot-\d+\.png$/);

  await call(agent, 'conversation.end', { conversationId });
  await context.close();

  // The 截屏 switch off (applied within 5 s): no button, and a pasted image is not offered.
  await toolbar({ screenshot: false });
  t.teardown(() => toolbar({ screenshot: true }));
  await new Promise((r) => setTimeout(r, 5500));
  const later = await newContext();
  const page2 = await later.newPage();
  const again = await chatWithAgent(page2, k.url, k.company.publicId, agent);
  t.is(await again.frame.locator('#shot').getAttribute('hidden'), '');
  await again.frame.locator('#input').evaluate((input, b64) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], 'late.png', { type: 'image/png' }));
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  await new Promise((r) => setTimeout(r, 500));
  t.is(await again.frame.locator('.shot').count(), 0);
  await call(agent, 'conversation.end', { conversationId: again.conversationId });
  await later.close();
});
