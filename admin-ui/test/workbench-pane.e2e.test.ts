import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, call, next, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** The chat pane and its lists (SPEC §2.3, §2.4.1): what the agent sees of a conversation. */
let k: TestKefu;
let browser: Browser;
let api: TestClient;
const sockets: Socket[] = [];
test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  api = await k.login();
  // No pop-ups or evaluation prompt over the pane: these tests look at the pane itself.
  const quiet = { popup: false, sound: true, blink: true, badge: true };
  const r = await api.patch('/api/preferences', { chat: { noEvaluationPrompt: true }, notify: { connected: quiet, request: quiet, message: quiet } });
  if (r.status !== 200) throw new Error(`preferences: ${r.status} ${r.text}`);
});
test.after.always(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await k?.close();
});

async function chatting(url = 'https://shop.example.com/pricing', title = 'Pricing') {
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const view = await call(v.socket, 'page.view', { url, title });
  if (!view.ok) throw new Error(JSON.stringify(view));
  const r = await call(v.socket, 'chat.request', {});
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { v, conversationId: r.conversation.id as number };
}

const say = (socket: Socket, conversationId: number, text: string) => call(socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text });

async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A script smuggled in a message would call this; nothing may.
  await context.exposeFunction('kefuPwned', (what: string) => errors.push(`executed: ${what}`));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 15_000 });
  return { context, page, errors };
}

const inputOf = (page: Page) => page.locator('textarea[data-test="composer-input"], [data-test="composer-input"] textarea').first();
const row = (page: Page, n: number) => page.locator('[data-test="conv-mine"]', { hasText: `#${n}` });

test.serial('CONV-RENDER-11 CONV-PANE-2 CONV-LISTS-1 CONV-VISITOREND-27 markup from both sides stays text; the list shows the last line and the unanswered wait; the header times the first reply', async (t) => {
  const { context, page, errors } = await open();
  const { v, conversationId } = await chatting('https://shop.example.com/pricing?x=<b>', 'Pricing <i>now</i>');
  const mine = row(page, v.visitorNumber);
  await mine.waitFor({ timeout: 15_000 });

  const hostile = [
    '<img src=x onerror="kefuPwned(\'img\')"><script>kefuPwned("script")</script>',
    '<a href="javascript:kefuPwned(\'link\')">click</a> javascript:kefuPwned(1) data:text/html,<b>x</b>',
    'Docs at www.example.org/help, mail mailto:help@example.com',
    'مرحبا <b>bold</b> **not markdown**',
  ].join('\n');
  t.true((await say(v.socket, conversationId, hostile)).ok);

  // The list: the last message's first line as text, and how long it has waited for an answer.
  const last = mine.locator('[data-test="conv-last"]');
  await last.filter({ hasText: '<img src=x' }).waitFor({ timeout: 10_000 });
  t.is(await last.textContent(), '<img src=x onerror="kefuPwned(\'img\')"><script>kefuPwned("script")</script>');
  await mine.locator('[data-test="conv-unanswered"]').waitFor({ timeout: 5000 });

  await mine.click();
  const pane = page.locator('[data-test="chat-messages"]');
  const text = pane.locator('[data-test="message-text"]', { hasText: 'mailto:' }).first();
  await text.waitFor({ timeout: 10_000 });
  t.is(await text.textContent(), hostile, 'the visitor text is shown exactly as sent');
  t.is(await text.getAttribute('dir'), 'auto', 'its direction is isolated');
  t.is(await pane.locator('img, script, b, i').count(), 0, 'no element was made from message text');
  // Only http(s), mailto and www. addresses became links; javascript: and data: stayed text.
  const hrefs = await pane.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]));
  t.deepEqual(hrefs, [
    ['https://www.example.org/help', '_blank', 'noopener noreferrer nofollow'],
    ['mailto:help@example.com', '_blank', 'noopener noreferrer nofollow'],
  ]);

  // The header: visitor, the current page as a safe link with its title as text, the time since acceptance and
  // the first-response timer, which stops at the agent's first reply.
  const pageLink = page.locator('[data-test="chat-page"]');
  t.is(await pageLink.textContent(), 'Pricing <i>now</i>');
  t.is(await pageLink.getAttribute('href'), 'https://shop.example.com/pricing?x=<b>');
  t.is(await pageLink.getAttribute('rel'), 'noopener noreferrer nofollow');
  await page.locator('[data-test="chat-since"]').waitFor();
  await page.locator('[data-test="chat-first-reply"]').waitFor();
  // A date line heads the day's messages.
  t.is(await pane.locator('[data-test="chat-day"]').count(), 1);
  await page.screenshot({ path: screenshotPath('pane-hostile') });

  // The agent's reply with the same markup reaches the visitor as text and shows as text here.
  const agentText = '<img src=y onerror="kefuPwned(\'agent\')"> see www.example.net';
  const received = next<any>(v.socket, 'message', (m) => m.message.senderKind === 'agent', 10_000);
  await inputOf(page).fill(agentText);
  await inputOf(page).press('Enter');
  t.is((await received).message.text, agentText);
  await pane.locator('[data-test="message-text"]', { hasText: 'src=y' }).waitFor({ timeout: 10_000 });
  t.is(await pane.locator('img').count(), 0);
  t.is(await pane.locator('a[href="https://www.example.net/"]').count(), 1);
  await page.locator('[data-test="chat-first-reply"]').waitFor({ state: 'detached', timeout: 5000 });
  await mine.locator('[data-test="conv-unanswered"]').waitFor({ state: 'detached', timeout: 5000 });
  t.is(await last.textContent(), agentText);

  // The visitor ends the chat: a line says so and the pane turns read-only.
  t.true((await call(v.socket, 'chat.end', { conversationId })).ok);
  await pane.locator('[data-test="chat-visitor-line"]').waitFor({ timeout: 10_000 });
  t.regex((await pane.locator('[data-test="chat-visitor-line"]').textContent()) ?? '', /visitor ended the chat|访客已结束对话/i);
  await page.locator('[data-test="chat-closed"]').waitFor();
  t.is(await page.locator('[data-test="composer"]').count(), 0);
  // The ended list counts it in its title.
  await page.locator('[data-test="ended-title"]', { hasText: '(1)' }).waitFor({ timeout: 10_000 });
  t.deepEqual(errors, []);
  await context.close();
});

test.serial('CONV-DRAFT-25 CONV-SENDMENU-24 drafts survive switching and reloading, marked ✎; the ▾ menu changes the send key; the input grows to 8 lines', async (t) => {
  const { context, page, errors } = await open();
  const a = await chatting();
  const b = await chatting();
  await row(page, a.v.visitorNumber).waitFor({ timeout: 15_000 });
  await row(page, b.v.visitorNumber).waitFor({ timeout: 15_000 });
  const input = inputOf(page);

  await row(page, a.v.visitorNumber).click();
  await page.locator('[data-test="chat-title"]', { hasText: `#${a.v.visitorNumber}` }).waitFor();
  await input.fill('Half-written answer for A');
  await row(page, a.v.visitorNumber).locator('[data-test="conv-draft"]').waitFor({ timeout: 5000 });
  await row(page, b.v.visitorNumber).click();
  await page.locator('[data-test="chat-title"]', { hasText: `#${b.v.visitorNumber}` }).waitFor();
  t.is(await input.inputValue(), '', 'B has its own (empty) draft');
  t.is(await row(page, b.v.visitorNumber).locator('[data-test="conv-draft"]').count(), 0);

  // A reload keeps A's draft and its mark.
  await page.reload();
  await row(page, a.v.visitorNumber).locator('[data-test="conv-draft"]').waitFor({ timeout: 15_000 });
  await row(page, a.v.visitorNumber).click();
  await page.locator('[data-test="chat-title"]', { hasText: `#${a.v.visitorNumber}` }).waitFor();
  t.is(await input.inputValue(), 'Half-written answer for A');

  // ▾: Ctrl+Enter becomes the send key; Enter then makes a new line and Ctrl+Enter sends, which clears the draft.
  await page.locator('[data-test="composer-send-menu"]').click();
  await page.locator('[data-test="send-key-ctrlEnter"]').click();
  await page.waitForFunction(() => /Ctrl\+Enter/.test(document.querySelector('[data-test="composer"] .hint')?.textContent ?? ''), undefined, { timeout: 5000 });
  t.is((await api.get('/api/preferences')).body.preferences.chat.sendKey, 'ctrlEnter', 'the choice is saved for the agent');
  await input.press('End');
  await input.press('Enter');
  await input.pressSequentially('Second line');
  t.is(await input.inputValue(), 'Half-written answer for A\nSecond line');
  const received = next<any>(a.v.socket, 'message', (m) => m.message.senderKind === 'agent', 10_000);
  await input.press('Control+Enter');
  t.is((await received).message.text, 'Half-written answer for A\nSecond line');
  await row(page, a.v.visitorNumber).locator('[data-test="conv-draft"]').waitFor({ state: 'detached', timeout: 5000 });
  t.is(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('kefu.draft.')).length), 0, 'no draft is left behind');

  // The input grows with its text up to 8 lines, then scrolls.
  const height = () => input.evaluate((el) => el.getBoundingClientRect().height);
  const empty = await height();
  await input.fill(Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join('\n'));
  const eight = await height();
  await input.fill(Array.from({ length: 14 }, (_, i) => `line ${i + 1}`).join('\n'));
  const fourteen = await height();
  t.true(eight > empty, `grows: ${empty} → ${eight}`);
  t.is(fourteen, eight, 'stops growing after 8 lines');
  t.true(await input.evaluate((el) => el.scrollHeight > el.clientHeight), 'and scrolls');
  await input.fill('');

  // 发送后切换到下一对话 is ticked from the same menu; 其它快捷键设置 opens the shortcuts.
  await page.locator('[data-test="composer-send-menu"]').click();
  await page.locator('[data-test="send-switch"]').click();
  // Saved for the agent: the menu shows the tick it read back from the server.
  await page.locator('[data-test="composer-send-menu"]').click();
  await page.locator('[data-test="send-switch"]', { hasText: '✓' }).waitFor({ state: 'visible', timeout: 5000 });
  t.true((await api.get('/api/preferences')).body.preferences.chat.switchAfterSend);
  await page.locator('[data-test="send-shortcuts"]').click();
  await page.locator('[data-test="pref-shortcuts"]').waitFor({ state: 'visible', timeout: 10_000 });
  t.deepEqual(errors, []);
  await api.post('/api/preferences/reset', { section: 'chat' });
  await api.patch('/api/preferences', { chat: { noEvaluationPrompt: true } });
  for (const x of [a, b]) await call(x.v.socket, 'chat.end', { conversationId: x.conversationId });
  await context.close();
});

test.serial('CONV-PANE-2 a 10,000-message transcript opens on its latest 50 and loads 50 older ones per scroll to the top', async (t) => {
  const { context, page, errors } = await open();
  const { v, conversationId } = await chatting();
  await row(page, v.visitorNumber).waitFor({ timeout: 15_000 });
  const db = k.server.db;
  const base = Date.now() - 10_000 * 1000;
  const rows = Array.from({ length: 10_000 }, (_, i) => ({
    company_id: k.company.id,
    conversation_id: conversationId,
    seq: 1000 + i,
    client_id: `bulk-${i}`,
    sender_kind: i % 2 ? 'agent' : 'visitor',
    sender_name: i % 2 ? 'admin' : null,
    kind: 'text',
    text: `message ${i}`,
    created_at: new Date(base + i * 1000),
  }));
  for (let i = 0; i < rows.length; i += 1000) await db('messages').insert(rows.slice(i, i + 1000));
  await db('conversations').where({ id: conversationId }).update({ last_seq: 1000 + 9999 });

  const started = Date.now();
  await row(page, v.visitorNumber).click();
  const pane = page.locator('[data-test="chat-messages"]');
  await pane.locator('[data-test="message-text"]', { hasText: 'message 9999' }).waitFor({ timeout: 20_000 });
  const opened = Date.now() - started;
  const drawn = () => pane.locator('[data-test="message"]').count();
  t.is(await drawn(), 50, 'only the latest 50 are drawn');
  await page.locator('[data-test="chat-older"]').waitFor();
  // The newest is in view at the bottom.
  t.true(await pane.locator('[data-test="message-text"]', { hasText: 'message 9999' }).isVisible());

  await pane.evaluate((el) => el.scrollTo({ top: 0 }));
  await page.waitForFunction(() => document.querySelectorAll('[data-test="chat-messages"] [data-test="message"]').length === 100, undefined, { timeout: 5000 });
  t.true(await pane.evaluate((el) => el.scrollTop > 0), 'the view stays on what the agent was reading');
  t.is(await pane.locator('[data-test="message-text"]').first().textContent(), 'message 9900');

  // Typing stays responsive with the transcript loaded: one key to its echo well under a frame budget of 100 ms.
  const input = inputOf(page);
  await input.click();
  const echo = await page.evaluate(async () => {
    const area = document.querySelector('[data-test="composer"] textarea') as HTMLTextAreaElement;
    const t0 = performance.now();
    area.value = 'x';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    return performance.now() - t0;
  });
  t.true(echo < 100, `input echo took ${echo.toFixed(1)} ms`);
  t.log(`opened in ${opened} ms, input echo ${echo.toFixed(1)} ms`);
  await page.screenshot({ path: screenshotPath('pane-long') });
  t.deepEqual(errors, []);
  await call(v.socket, 'chat.end', { conversationId });
  await context.close();
});

test.serial('WORKBENCH-TRAIL-7 the trail tab lists the visit newest first with its source, follows new pages live and shows titles as text', async (t) => {
  const { context, page, errors } = await open();
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const view = (url: string, title: string, referrer?: string) => call(v.socket, 'page.view', { url, title, ...(referrer ? { referrer } : {}) });
  t.true((await view('https://shop.example.com/', 'Home', 'https://www.baidu.com/s?wd=live+chat')).ok);
  t.true((await view('https://shop.example.com/pricing', 'Pricing <img src=x onerror="kefuPwned(1)">')).ok);

  await page.locator('[data-test="tab-visitors"]').click();
  await page.locator('[data-test="visitor-row"]', { hasText: `#${v.visitorNumber}` }).click({ timeout: 15_000 });
  await page.locator('[data-test="side-tab-trail"]').click();
  const pages = page.locator('[data-test="trail-page"]');
  await pages.nth(1).waitFor({ timeout: 10_000 });
  t.regex((await pages.nth(0).textContent()) ?? '', /Pricing <img src=x/);
  t.regex((await pages.nth(1).textContent()) ?? '', /Home/);
  t.is(await page.locator('[data-test="trail"] img').count(), 0, 'the title is text');
  t.regex((await page.locator('[data-test="trail-source"]').textContent()) ?? '', /live chat/);
  const link = pages.nth(0).locator('a');
  t.is(await link.getAttribute('href'), 'https://shop.example.com/pricing');
  t.is(await link.getAttribute('target'), '_blank');
  t.is(await link.getAttribute('rel'), 'noopener noreferrer nofollow');

  // A new page shows at the top by itself.
  const before = Date.now();
  t.true((await view('https://shop.example.com/checkout', 'Checkout')).ok);
  await pages.filter({ hasText: 'Checkout' }).waitFor({ timeout: 5000 });
  t.log(`new page in the trail after ${Date.now() - before} ms`);
  t.regex((await pages.nth(0).textContent()) ?? '', /Checkout/);
  t.is(await pages.count(), 3);
  await page.screenshot({ path: screenshotPath('pane-trail') });
  t.deepEqual(errors, []);
  await context.close();
});

test.serial('WORKBENCH-HISTORY-12 the history tab lists the visitor’s earlier conversations with agents and first message, and opens one read-only in the panel', async (t) => {
  const { context, page, errors } = await open();
  const first = await chatting();
  const { v } = first;
  await row(page, v.visitorNumber).waitFor({ timeout: 15_000 });
  t.true((await say(v.socket, first.conversationId, 'My first question <b>x</b>')).ok);
  t.true((await call(v.socket, 'chat.end', { conversationId: first.conversationId })).ok);
  const again = await call(v.socket, 'chat.request', {});
  t.true(again.ok, JSON.stringify(again));
  await row(page, v.visitorNumber).click({ timeout: 15_000 });
  await page.locator('[data-test="chat-title"]', { hasText: `#${v.visitorNumber}` }).waitFor();

  await page.locator('[data-test="side-tab-history"]').click();
  const rows = page.locator('[data-test="visitor-history-row"]');
  await rows.first().waitFor({ timeout: 10_000 });
  t.is(await rows.count(), 1, 'only the ended one: the open conversation is in the pane');
  t.regex((await rows.first().textContent()) ?? '', /My first question <b>x<\/b>/);
  t.regex((await rows.first().textContent()) ?? '', /admin|Admin|管理员/);
  await rows.first().click();
  const transcript = page.locator('[data-test="visitor-history-transcript"]');
  await transcript.locator('[data-test="message-text"]', { hasText: 'My first question' }).waitFor({ timeout: 10_000 });
  t.is(await transcript.locator('b').count(), 0);
  t.is(await page.locator('[data-test="visitor-history"] textarea, [data-test="visitor-history"] input').count(), 0, 'read-only: no input with the transcript');
  await page.locator('[data-test="visitor-history-back"]').click();
  await rows.first().waitFor();
  await page.screenshot({ path: screenshotPath('pane-history') });
  t.deepEqual(errors, []);
  await call(v.socket, 'chat.end', { conversationId: again.conversation.id });
  await context.close();
});

test.serial('CONV-SCREENSHOT-18 a pasted image waits in a preview: 取消 drops it, a dragged area is what 发送 sends', async (t) => {
  const { context, page, errors } = await open();
  const { v, conversationId } = await chatting();
  await row(page, v.visitorNumber).click({ timeout: 15_000 });
  await page.locator('[data-test="chat-title"]', { hasText: `#${v.visitorNumber}` }).waitFor();
  // Real Chromium offers screen capture: the 截屏 button is usable (the capture itself needs a person to pick a screen).
  t.false(await page.locator('[data-test="composer-screenshot"]').isDisabled());

  /** A 400×200 PNG drawn in the page, pasted into the input as Ctrl/⌘+V would. */
  const paste = () =>
    inputOf(page).evaluate(async (input) => {
      const canvas = document.createElement('canvas');
      canvas.width = 400;
      canvas.height = 200;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#3366cc';
      g.fillRect(0, 0, 400, 200);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], 'clip.png', { type: 'image/png' }));
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
  const images = () => k.server.db('messages').where({ conversation_id: conversationId, kind: 'image' }).count({ n: '*' }).first();

  await paste();
  const preview = page.locator('[data-test="shot-preview"] img');
  await preview.waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('[data-test="shot-cancel"]').click();
  await preview.waitFor({ state: 'hidden', timeout: 5000 });
  t.is(Number((await images())?.n), 0, 'cancelled: nothing was uploaded');

  await paste();
  await preview.waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForFunction(() => (document.querySelector('[data-test="shot-preview"] img') as HTMLImageElement | null)?.naturalWidth === 400);
  // Measure once the dialog has finished opening (its transition moves and scales it).
  await page.waitForFunction(() => !document.querySelector('[class*="dialog-fade-enter"]'));
  const box = (await preview.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6, { steps: 5 });
  await page.mouse.up();
  await page.locator('[data-test="shot-area"]').waitFor();
  const received = next<any>(v.socket, 'message', (m) => m.message.kind === 'image', 15_000);
  await page.locator('[data-test="shot-send"]').click();
  const image = (await received).message;
  // The drag is in screen pixels of a scaled image: the crop matches to a pixel or two.
  t.true(Math.abs(image.payload.width - 160) <= 2, `the selected 40 % of the width: ${image.payload.width}`);
  t.true(Math.abs(image.payload.height - 100) <= 2, `and 50 % of the height: ${image.payload.height}`);
  await preview.waitFor({ state: 'hidden', timeout: 5000 });
  await page.locator('[data-test="chat-messages"] img').waitFor({ timeout: 10_000 });
  t.deepEqual(errors, []);
  await call(v.socket, 'chat.end', { conversationId });
  await context.close();
});
