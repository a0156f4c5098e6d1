import test from 'ava';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, agentSocket, call, visitorSocket } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 客服对话 in Chromium: statuses with their hover, server times with 已送达/已读, images and files (SPEC INTERNAL). */
const s = serverAndBrowser();
const BOB_PASSWORD = 'Quiet-Harbour-2026!';
const pageErrors: string[] = [];
const sockets: Socket[] = [];
test.after.always(() => sockets.forEach((x) => x.close()));
// Shared by the tests in order: the two consoles, and the admin's own socket.
let bobPage: Page;
let adminPage: Page;
let adminSocket: Socket;
let bobId: number;

async function console(agentId: string, password: string): Promise<Page> {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${agentId}: ${e.message}`));
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId, password });
  await page.locator('[data-test="internal-open"]').click();
  return page;
}
const colleague = (page: Page, agentId: string) => page.locator(`[data-test="internal-drawer"] [data-test="internal-colleague"][data-agent="${agentId}"]`).first();
const input = (page: Page) => page.locator('textarea[data-test="internal-input"], [data-test="internal-input"] textarea').first();
const messages = (page: Page) => page.locator('[data-test="internal-thread"] [data-test="internal-message"]');

test.serial('INTERNAL-PRESENCE-2 INTERNAL-TIMES-4 INTERNAL-FILES-5 statuses with since when, delivered and read times, images and files between two consoles', async (t) => {
  const bob = await s.admin.post('/api/agents', {
    agentId: 'bob',
    name: 'Bob Agent',
    nickname: 'Bob',
    password: BOB_PASSWORD,
    mustChangePassword: false,
    role: 'agent',
    permissions: ['conversation.accept'],
  });
  t.is(bob.status, 201, bob.text);
  bobId = bob.body.id;
  [bobPage, adminPage] = [await console('bob', BOB_PASSWORD), await console('admin', ADMIN_PASSWORD)];

  // The roster: Bob is online, with his load and, on hover, since when.
  const bobEntry = colleague(adminPage, 'bob');
  await bobEntry.locator('[data-test="internal-status"][data-status="online"]').waitFor({ timeout: 10_000 });
  t.regex((await bobEntry.locator('[data-test="internal-status"]').getAttribute('title')) ?? '', /^Online since \d/);
  t.regex((await bobEntry.textContent()) ?? '', /Bob\s*0\/5/);

  // Server times, then 已送达 as soon as Bob's console has it and 已读 when he opens the thread.
  await bobEntry.click();
  await input(adminPage).fill('Stock check on SKU 42, please');
  await input(adminPage).press('Enter');
  const mine = messages(adminPage).filter({ hasText: 'Stock check' });
  await mine.locator('[data-test="internal-receipt"]', { hasText: /^Delivered \d/ }).waitFor({ timeout: 20_000 });
  t.regex((await mine.locator('[data-test="internal-time"]').textContent()) ?? '', /^\d{1,2}:\d{2}/, 'today: the time only');
  await colleague(bobPage, 'admin').click();
  await messages(bobPage).filter({ hasText: 'Stock check' }).waitFor();
  await mine.locator('[data-test="internal-receipt"]', { hasText: /^Read \d/ }).waitFor({ timeout: 10_000 });
  t.is(await messages(bobPage).locator('[data-test="internal-receipt"]').count(), 0, 'receipts show on one’s own messages only');

  // Bob sends an image and a file at once; the admin sees a thumbnail that enlarges and a file to download.
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a7ae2' } })
    .png()
    .toBuffer();
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  await bobPage.locator('[data-test="internal-file-input"]').setInputFiles([
    { name: 'shelf.png', mimeType: 'image/png', buffer: png },
    { name: 'stock list.pdf', mimeType: 'application/pdf', buffer: pdf },
  ]);
  const image = adminPage.locator('[data-test="internal-thread"] [data-test="internal-image"] img');
  await image.waitFor({ timeout: 15_000 });
  t.regex((await image.getAttribute('src')) ?? '', /^\/f\/[\w-]+\/thumb$/);
  await adminPage.waitForFunction(() => (document.querySelector('[data-test="internal-image"] img') as HTMLImageElement | null)?.naturalWidth === 240);
  const file = adminPage.locator('[data-test="internal-thread"] [data-test="internal-file"]');
  await file.waitFor();
  t.regex((await file.textContent()) ?? '', /stock list\.pdf\s*\d+ B\s*Download/);
  const download = adminPage.waitForEvent('download');
  await file.locator('[data-test="internal-download"]').click();
  t.is((await download).suggestedFilename(), 'stock list.pdf', 'a file is downloaded, not opened');
  await image.click();
  await adminPage.locator('.el-image-viewer__wrapper').waitFor();
  await adminPage.screenshot({ path: screenshotPath('internal-chat-files') });
  await adminPage.keyboard.press('Escape');

  // The admin goes invisible: Bob sees 离线, and the admin reading his message sends him no receipt.
  adminSocket = await agentSocket(s.k.url, s.admin);
  sockets.push(adminSocket);
  t.true((await call(adminSocket, 'presence.set', { status: 'invisible' })).ok);
  await colleague(bobPage, 'admin').locator('[data-test="internal-status"][data-status="offline"]').waitFor({ timeout: 10_000 });
  await input(bobPage).fill('Are you there?');
  await input(bobPage).press('Enter');
  await messages(adminPage).filter({ hasText: 'Are you there?' }).waitFor({ timeout: 10_000 });
  await bobPage.waitForTimeout(1000);
  t.is(await messages(bobPage).filter({ hasText: 'Are you there?' }).locator('[data-test="internal-receipt"]').textContent(), 'Not delivered yet');
  await bobPage.screenshot({ path: screenshotPath('internal-chat-invisible') });
  t.deepEqual(pageErrors, []);
});

test.serial('INTERNAL-SHARE-8 发给同事 from a transcript: the card opens the conversation for a colleague who may see it, 无权查看 for one who may not', async (t) => {
  // Bob alone takes chats (the admin is invisible), so the visitor's chat is his.
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  sockets.push(v.socket);
  const asked = await call(v.socket, 'chat.request', {});
  await call(v.socket, 'message.send', { conversationId: asked.conversation.id, clientId: crypto.randomUUID(), text: 'Where is my parcel?' });

  await bobPage.goto(s.k.url + '/history');
  await bobPage.locator('[data-test="history-table"] .el-table__row').first().click();
  await bobPage.locator('[data-test="history-transcript"]', { hasText: 'Where is my parcel?' }).waitFor({ timeout: 10_000 });
  await bobPage.locator('[data-test="history-share"]').click();
  const dialog = bobPage.locator('[data-test="share-dialog"]');
  await dialog.locator('[data-test="share-to"]').click();
  await bobPage.getByRole('option', { name: 'admin (admin)' }).click();
  await dialog.locator('textarea[data-test="share-comment"], [data-test="share-comment"] textarea').first().fill('Can you check this one?');
  await dialog.locator('[data-test="share-send"]').click();
  await dialog.waitFor({ state: 'hidden' });

  // The admin may see every conversation: the card opens its transcript.
  const card = adminPage.locator('[data-test="internal-thread"] [data-test="internal-share"]');
  await card.waitFor({ timeout: 10_000 });
  t.regex((await card.textContent()) ?? '', /Conversation with #\d+.*Served by Bob.*Where is my parcel\?/s);
  await adminPage.locator('[data-test="internal-thread"]', { hasText: 'Can you check this one?' }).waitFor();
  await card.click();
  await adminPage.locator('[data-test="history-transcript"]', { hasText: 'Where is my parcel?' }).waitFor({ timeout: 10_000 });
  await adminPage.screenshot({ path: screenshotPath('internal-share') });

  // A conversation Bob never served, shared with him: 无权查看, and nothing of it opens.
  await s.k.server
    .db('companies')
    .where({ id: s.k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  const other = await visitorSocket(s.k.url, s.k.company.publicId);
  sockets.push(other.socket);
  const second = await call(other.socket, 'chat.request', {});
  t.true((await call(adminSocket, 'conversation.accept', { conversationId: second.conversation.id })).ok);
  const shared = await call(adminSocket, 'internal.send', { toAgentId: bobId, clientId: crypto.randomUUID(), conversationId: second.conversation.id });
  t.true(shared.ok, JSON.stringify(shared));
  await bobPage.goto(s.k.url + '/workbench');
  await bobPage.locator('[data-test="internal-open"]').click();
  await colleague(bobPage, 'admin').click();
  await bobPage.locator('[data-test="internal-thread"] [data-test="internal-share"]').last().click();
  await bobPage.locator('.el-message', { hasText: 'No access' }).waitFor({ timeout: 10_000 });
  t.is(await bobPage.locator('[data-test="history-transcript"]').count(), 0);
  t.deepEqual(pageErrors, []);
});
