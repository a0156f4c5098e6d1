import test from 'ava';
import type { BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, call, next, visitorSocket } from '@kefu/core/testing';
import { smtp } from '../../core/test/helpers/smtp.ts';
import { serverAndBrowser, screenshotPath, signInWith } from './browser.ts';

/** The chat pane's tools (SPEC §2.4.1): toolbar, font, emoji, live view and the e-mailed transcript, as the agent sees them. */
const s = serverAndBrowser();
const sockets: Socket[] = [];
let prepared = false;
/** A Chinese console without pop-ups or the evaluation prompt over the pane (once the server is up). */
async function prepare() {
  if (prepared) return;
  const quiet = { popup: false, sound: true, blink: true, badge: true };
  const r = await s.admin.patch('/api/preferences', {
    general: { language: 'zh-CN' },
    chat: { noEvaluationPrompt: true },
    notify: { connected: quiet, request: quiet, message: quiet },
  });
  if (r.status !== 200) throw new Error(`preferences: ${r.status} ${r.text}`);
  prepared = true;
}
test.after.always(() => sockets.forEach((x) => x.disconnect()));

async function chatting() {
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  sockets.push(v.socket);
  const liveview = next(v.socket, 'liveview', () => true, 20_000);
  const r = await call(v.socket, 'chat.request', {});
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { v, conversationId: r.conversation.id as number, liveview };
}

async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  await prepare();
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 15_000 });
  return { context, page, errors };
}

const inputOf = (page: Page) => page.locator('textarea[data-test="composer-input"], [data-test="composer-input"] textarea').first();
async function select(page: Page, visitorNumber: number) {
  await page.locator('[data-test="conv-mine"]', { hasText: `#${visitorNumber}` }).click({ timeout: 15_000 });
  await page.locator('[data-test="chat-title"]', { hasText: `#${visitorNumber}` }).waitFor();
}
/** The toolbar's buttons as the agent reads them: label and tooltip, in order. */
const tools = (page: Page) =>
  page
    .locator('[data-test="chatbar"] button:visible')
    .evaluateAll((buttons) => buttons.map((b) => ({ text: (b.textContent ?? '').trim(), title: b.getAttribute('title') ?? '', disabled: (b as HTMLButtonElement).disabled })));

test.serial('CONV-CHATBAR-12 the toolbar above the input lists the tools in order with tooltips; another channel disables what it cannot deliver; an ended chat keeps 对话评估 and 发送记录', async (t) => {
  const { context, page, errors } = await open();
  const web = await chatting();
  await select(page, web.v.visitorNumber);
  const shown = await tools(page);
  t.deepEqual(
    shown.map((b) => b.text),
    ['A', '传送文件', '实时查看', '表情', '截屏', '信息收集表', '满意度评价', '对话评估', '发送记录'],
  );
  t.true(
    shown.every((b) => b.title.length > 1),
    'every tool has a tooltip',
  );
  t.is(shown.find((b) => b.text === '信息收集表')!.title, '推送访客信息收集表');
  const bar = await page.locator('[data-test="chatbar"]').boundingBox();
  const input = await inputOf(page).boundingBox();
  t.true(bar!.y + bar!.height <= input!.y, 'above the input');
  await page.screenshot({ path: screenshotPath('chat-toolbar') });

  // A conversation of another channel (an IM account): no window for live view, forms or the survey card.
  const im = await chatting();
  await s.k.server.db('conversations').where({ id: im.conversationId }).update({ channel: 'wechat' });
  await page.reload();
  await select(page, im.v.visitorNumber);
  const imTools = await tools(page);
  for (const label of ['实时查看', '信息收集表', '满意度评价']) {
    const b = imTools.find((x) => x.text === label)!;
    t.true(b.disabled, `${label} disabled`);
    t.is(b.title, 'wechat 渠道无法送达此项');
  }
  t.false(imTools.find((x) => x.text === '传送文件')!.disabled);

  // Ended while open: only 对话评估 and 发送记录 remain.
  t.true((await call(im.v.socket, 'chat.end', { conversationId: im.conversationId })).ok);
  await page.locator('[data-test="chat-closed"] [data-test="chatbar"]').waitFor({ timeout: 10_000 });
  t.deepEqual(
    (await tools(page)).map((b) => b.text),
    ['对话评估', '发送记录'],
  );
  t.deepEqual(errors, []);
  await context.close();
});

test.serial('CONV-FONT-13 the text size changes only the agent’s view; colour and bold travel with the message to the visitor as a palette code', async (t) => {
  const { context, page, errors } = await open();
  const { v, conversationId } = await chatting();
  await select(page, v.visitorNumber);
  await page.locator('[data-test="tool-font"]').click();
  const panel = page.locator('[data-test="font-panel"]');
  await panel.waitFor();
  t.is(await panel.locator('[data-test^="font-size-"]').count(), 9, '12 to 20 px');
  t.is(await panel.locator('[data-test="font-size-14"] input').isChecked(), true, '14 px by default');
  await panel.locator('[data-test="font-size-18"]').click();
  await panel.locator('[data-test="font-color-blue"]').click();
  await panel.locator('[data-test="font-bold"]').click();
  await page.waitForFunction(async () => {
    const p = (await (await fetch('/api/preferences')).json()).preferences.chat;
    return p.fontSize === 18 && p.fontColor === 'blue' && p.fontBold === true;
  });
  await page.keyboard.press('Escape');

  const got = next(v.socket, 'message', (m) => m.message.text === '您好，请问有什么可以帮您？');
  await inputOf(page).fill('您好，请问有什么可以帮您？');
  await page.keyboard.press('Enter');
  t.deepEqual((await got).message.payload, { style: { color: 'blue', bold: true } }, 'the visitor gets the palette code, not CSS');
  const mine = page.locator('[data-test="chat-messages"] [data-test="message-text"]', { hasText: '您好，请问有什么可以帮您？' }).last();
  await mine.waitFor();
  const look = await mine.evaluate((el) => {
    const c = getComputedStyle(el);
    return { color: c.color, weight: c.fontWeight, size: getComputedStyle(el.parentElement!).fontSize };
  });
  t.deepEqual(look, { color: 'rgb(21, 101, 192)', weight: '700', size: '18px' });
  t.true((await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '谢谢' })).ok);
  const theirs = page.locator('[data-test="chat-messages"] [data-test="message-text"]', { hasText: '谢谢' });
  await theirs.waitFor();
  t.is(await theirs.evaluate((el) => getComputedStyle(el.parentElement!).fontSize), '18px', 'the whole pane at the agent’s size');
  t.not(await theirs.evaluate((el) => getComputedStyle(el).fontWeight), '700', 'the visitor’s text keeps its own look');
  await s.admin.patch('/api/preferences', { chat: { fontSize: 14, fontColor: null, fontBold: false } });
  t.deepEqual(errors, []);
  await context.close();
});

test.serial('CONV-EMOJI-20 the picker has categories, searches Chinese and English keywords, inserts at the cursor and keeps the 24 recently used', async (t) => {
  const { context, page, errors } = await open();
  const { v } = await chatting();
  await select(page, v.visitorNumber);
  await inputOf(page).fill('你好呀');
  await inputOf(page).evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(2, 2));

  await page.locator('[data-test="tool-emoji"]').click();
  const picker = page.locator('[data-test="emoji-picker"]');
  await picker.locator('[data-test="emoji-grid"] button').first().waitFor({ timeout: 15_000 });
  t.is(await picker.locator('[role="tab"]').count(), 9, 'nine categories');
  await picker.locator('[data-test="emoji-group-3"]').click();
  t.true((await picker.locator('[data-test="emoji-grid"]').textContent())!.includes('🐱'), 'animals under their category');

  await picker.locator('input[data-test="emoji-search"], [data-test="emoji-search"] input').first().fill('猫');
  await picker.locator('[data-test="emoji-grid"] button[aria-label="猫脸"]').waitFor();
  await picker.locator('input[data-test="emoji-search"], [data-test="emoji-search"] input').first().fill('thumbs up');
  const thumbs = picker.locator('[data-test="emoji-grid"] button', { hasText: '👍' }).first();
  await thumbs.waitFor();
  await thumbs.click();
  t.regex(await inputOf(page).inputValue(), /^你好👍\uFE0F?呀$/, 'inserted at the cursor as Unicode text');

  await page.waitForFunction(async () => (await (await fetch('/api/preferences')).json()).preferences.chat.recentEmoji[0]?.startsWith('👍'));
  // 24 used emoji are kept, newest first.
  const many = Array.from({ length: 30 }, (_, i) => String.fromCodePoint(0x1f600 + i));
  await s.admin.patch('/api/preferences', { chat: { recentEmoji: many.slice(0, 24) } });
  t.is((await s.admin.patch('/api/preferences', { chat: { recentEmoji: many } })).status, 400, 'never more than 24');
  await page.reload();
  await select(page, v.visitorNumber);
  await page.locator('[data-test="tool-emoji"]').click();
  const recent = page.locator('[data-test="emoji-recent"] button');
  await recent.first().waitFor({ timeout: 15_000 });
  t.is(await recent.count(), 24);
  t.is(await recent.first().textContent(), '😀');
  t.deepEqual(errors, []);
  await context.close();
});

test.serial('CONV-LIVEVIEW-21 the visitor’s unsent input shows greyed below the transcript, cleared on send, when emptied and after 30 seconds', async (t) => {
  const { context, page, errors } = await open();
  const { v, conversationId, liveview } = await chatting();
  t.true((await liveview).on, 'connected with live view on: the window is told to send the draft');
  await select(page, v.visitorNumber);
  const preview = page.locator('[data-test="chat-typing"]');
  await call(v.socket, 'typing', { conversationId, text: '我想问一下' });
  await preview.filter({ hasText: '我想问一下' }).waitFor({ timeout: 5000 });
  t.regex((await preview.textContent())!, /^访客正在输入.\s*我想问一下$/);
  t.is(await preview.locator('.draft').evaluate((el) => getComputedStyle(el).fontStyle), 'italic');
  await call(v.socket, 'typing', { conversationId, text: '' });
  await preview.waitFor({ state: 'detached', timeout: 5000 });
  await call(v.socket, 'typing', { conversationId, text: '我想问一下发票' });
  await preview.waitFor();
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '我想问一下发票' });
  await preview.waitFor({ state: 'detached', timeout: 5000 });

  // Toggled off: the window is told to send the signal only.
  const off = next(v.socket, 'liveview', (p) => p.conversationId === conversationId);
  await page.locator('[data-test="chat-liveview"]').click();
  t.false((await off).on);
  await call(v.socket, 'typing', { conversationId });
  await page.locator('[data-test="chat-typing-signal"]').waitFor({ timeout: 5000 });
  const on = next(v.socket, 'liveview', (p) => p.conversationId === conversationId);
  await page.locator('[data-test="chat-liveview"]').click();
  t.true((await on).on);

  await call(v.socket, 'typing', { conversationId, text: '还在吗' });
  await preview.waitFor({ timeout: 5000 });
  await preview.waitFor({ state: 'detached', timeout: 40_000 });
  t.pass('gone 30 seconds after the last change');
  t.deepEqual(errors, []);
  await context.close();
});

test.serial('CONV-EMAIL-39 发送记录 preselects the visitor’s e-mail, sends through the mail server and lists the sends; without a server it says so', async (t) => {
  const mailer = await smtp();
  const { context, page, errors } = await open();
  try {
    const { v, conversationId } = await chatting();
    const conv = await s.admin.get(`/api/conversations/${conversationId}/messages`);
    t.is((await s.admin.patch(`/api/visitors/${conv.body.conversation.visitorId}/info`, { email: 'li@example.com' })).status, 200);
    await select(page, v.visitorNumber);
    await page.locator('[data-test="tool-mail"]').click();
    const dialog = page.locator('[data-test="mail-dialog"]');
    await dialog.locator('.el-tag', { hasText: 'li@example.com' }).waitFor({ timeout: 10_000 });
    await dialog.locator('[data-test="mail-sends"]', { hasText: '尚未发送' }).waitFor();
    await dialog.locator('[data-test="mail-send"]').click();
    await dialog.locator('[data-test="mail-no-smtp"]').waitFor({ timeout: 10_000 });

    const version = (await s.admin.get('/api/settings/mail')).body.version;
    const saved = await s.admin.put('/api/settings/mail', { version, smtp: { host: '127.0.0.1', port: mailer.port, security: 'none', fromAddress: 'kefu@acme.test' } });
    t.is(saved.status, 200, saved.text);
    await page.keyboard.press('Escape');
    await page.locator('[data-test="tool-mail"]').click();
    await dialog.locator('.el-tag', { hasText: 'li@example.com' }).waitFor({ timeout: 10_000 });
    await dialog.locator('input[data-test="mail-to"], [data-test="mail-to"] input').first().fill('wang@example.com');
    await page.keyboard.press('Enter');
    await dialog.locator('[data-test="mail-send"]').click();
    await page.locator('.el-message--success', { hasText: '对话记录已发送到 2 个地址' }).waitFor({ timeout: 10_000 });
    await dialog.locator('[data-test="mail-sends"] li', { hasText: 'wang@example.com' }).waitFor();
    for (let i = 0; i < 50 && mailer.received.flatMap((m) => m.to).length < 2; i++) await new Promise((r) => setTimeout(r, 200));
    t.deepEqual(mailer.received.flatMap((m) => m.to).sort(), ['li@example.com', 'wang@example.com']);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
    await mailer.close();
  }
});
