import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, call, next, startTestServer, visitorSocket, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

let k: TestKefu;
let browser: Browser;
const sockets: Socket[] = [];
test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
test.after.always(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await k?.close();
});

/** Element Plus puts `data-test` on the input element or on its wrapper, depending on the input's kind. */
const control = (scope: ReturnType<Page['locator']>, name: string, tag: 'input' | 'textarea' = 'input') =>
  scope.locator(`${tag}[data-test="${name}"], [data-test="${name}"] ${tag}`).first();

const signIn = (page: Page) => signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });

test.serial('CHATSET-CANNED-7, WORKBENCH-CANNED-3: a canned reply made in the console goes into the input, is sent, and the visitor receives it', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page);

  // The management screen: a personal reply with placeholders and a shortcut.
  await page.goto(k.url + '/agent-tools?section=canned');
  const editor = page.locator('[data-test="tool-editor-canned"]');
  await editor.locator('[data-test="tool-group"]').first().waitFor({ timeout: 10_000 });
  await editor.locator('[data-test="tool-add"]').click();
  const dialog = page.locator('[data-test="tool-dialog"]');
  await control(dialog, 'tool-content', 'textarea').fill('您好 {visitor},我是{agent}。');
  await control(dialog, 'tool-shortcut').fill('/hello');
  await dialog.locator('[data-test="tool-save"]').click();
  await editor.locator('[data-test="tool-table"]', { hasText: '/hello' }).waitFor({ timeout: 10_000 });
  // The list is published as a whole by 保存 (CHATSET-SCREEN-15).
  await editor.locator('[data-test="canned-save"]').click();
  await editor.locator('[data-test="canned-unsaved"]').waitFor({ state: 'hidden', timeout: 10_000 });
  // A bad address is refused beside its field.
  await page.locator('#tab-links').click();
  const links = page.locator('[data-test="tool-editor-links"]');
  await links.locator('[data-test="tool-add"]').click();
  const linkDialog = page.locator('[data-test="tool-dialog"]').last();
  await control(linkDialog, 'tool-title').fill('Bad');
  await control(linkDialog, 'tool-url').fill('javascript:alert(1)');
  await linkDialog.locator('[data-test="tool-save"]').click();
  await linkDialog.locator('.el-form-item__error').first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: screenshotPath('agent-tools-editor') });
  await control(linkDialog, 'tool-url').fill('https://example.com/prices');
  await linkDialog.locator('[data-test="tool-save"]').click();
  await links.locator('[data-test="tool-table"]', { hasText: 'example.com/prices' }).waitFor({ timeout: 10_000 });

  // A visitor asks for a chat; the only online agent gets it.
  await page.goto(k.url + '/workbench');
  await page.locator('[data-test="workbench"]').waitFor({ timeout: 15_000 });
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const requested = await call(v.socket, 'chat.request', {});
  t.true(requested.ok, JSON.stringify(requested));
  const conversationId = requested.conversation.id as number;
  await page.locator('[data-test="tab-conversations"]').click();
  const mine = page.locator('[data-test="conv-mine"]').first();
  await mine.waitFor({ timeout: 15_000 });
  await mine.click();

  // 常用语 tab: double-click puts the filled reply into the input without sending.
  await page.locator('#tab-canned').click();
  const item = page.locator('[data-test="tools-canned"] [data-test="tool-item"]', { hasText: '您好' });
  await item.waitFor({ timeout: 10_000 });
  await item.dblclick();
  const input = control(page.locator('[data-test="composer"]'), 'composer-input', 'textarea');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test="composer"] textarea')].some((x) => (x as HTMLTextAreaElement).value.includes('您好')));
  const value = await input.inputValue();
  t.regex(value, /^您好 (访客|there),我是admin。$/, 'placeholders are filled');
  t.false(value.includes('{'), value);
  await page.screenshot({ path: screenshotPath('agent-tools-panel') });

  const received = next<any>(v.socket, 'message', (m) => m.message.senderKind === 'agent' && m.message.conversationId === conversationId, 10_000);
  await input.press('Enter');
  t.is((await received).message.text, value);

  // 常用链接: double-click pushes the link to the visitor as a link message.
  await page.locator('#tab-links').click();
  const link = page.locator('[data-test="tools-links"] [data-test="tool-item"]', { hasText: 'Bad' });
  await link.waitFor({ timeout: 10_000 });
  const linkMessage = next<any>(v.socket, 'message', (m) => m.message.kind === 'link', 10_000);
  await link.dblclick();
  t.like((await linkMessage).message.payload, { title: 'Bad', url: 'https://example.com/prices' });
  t.deepEqual(pageErrors, []);
});
