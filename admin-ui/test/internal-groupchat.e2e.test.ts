import test from 'ava';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '@kefu/core/testing';
import { field, screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 群聊 in Chromium (SPEC INTERNAL-GROUPCHAT-7): create a chat, it appears for a member, @mention picker and marks, member rights. */
const s = serverAndBrowser();
const PASSWORD = 'Quiet-Harbour-2026!';
const pageErrors: string[] = [];

async function console(agentId: string, password: string): Promise<Page> {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${agentId}: ${e.message}`));
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId, password });
  await page.locator('[data-test="internal-open"]').click();
  return page;
}
const chatEntry = (page: Page, name: string) => page.locator('[data-test="internal-drawer"] [data-test="internal-chat"]', { hasText: name }).first();
const input = (page: Page) => page.locator('textarea[data-test="internal-input"], [data-test="internal-input"] textarea').first();
const messages = (page: Page) => page.locator('[data-test="internal-thread"] [data-test="internal-message"]');

test.serial('INTERNAL-GROUPCHAT-7 an agent creates a chat, a member sees it with an @ mark when mentioned, and only the creator may mention everyone', async (t) => {
  for (const [agentId, nickname] of [
    ['bob', 'Bob'],
    ['cat', 'Cat'],
  ]) {
    const r = await s.admin.post('/api/agents', { agentId, name: `${nickname} Agent`, nickname, password: PASSWORD, mustChangePassword: false, role: 'agent' });
    t.is(r.status, 201, r.text);
  }
  const [adminPage, bobPage] = [await console('admin', ADMIN_PASSWORD), await console('bob', PASSWORD)];

  // 发起群聊: a name and two colleagues (three members with the creator).
  await adminPage.locator('[data-test="internal-chat-create"]').click();
  const dialog = adminPage.locator('[data-test="internal-chat-dialog"]');
  await field(adminPage, 'internal-chat-name').fill('Launch team');
  await dialog.locator('[data-test="internal-chat-members"]').click();
  for (const nick of ['Bob', 'Cat']) await adminPage.locator('.el-select-dropdown__item:visible', { hasText: nick }).first().click();
  // A multiple select stays open: a click on the name closes it.
  await field(adminPage, 'internal-chat-name').click();
  await adminPage.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });
  await dialog.locator('[data-test="internal-chat-save"]').click();
  await adminPage.locator('[data-test="internal-chat-head"]', { hasText: 'Launch team' }).waitFor({ timeout: 10_000 });

  // Bob's open console learns of the chat at once.
  await chatEntry(bobPage, 'Launch team').waitFor({ timeout: 10_000 });

  // The mention picker: the creator may use @所有人, and names Bob.
  await adminPage.locator('[data-test="internal-mention-button"]').click();
  await adminPage.locator('[data-test="internal-mention-all"]:visible').waitFor();
  await adminPage.locator('[data-test="internal-mention-member"]:visible', { hasText: '@Bob' }).click();
  await input(adminPage).pressSequentially('please check the launch list');
  t.is(await input(adminPage).inputValue(), '@Bob please check the launch list');
  await input(adminPage).press('Enter');
  await messages(adminPage).filter({ hasText: 'launch list' }).waitFor();

  // Bob sees the unread chat marked @ before opening it, then the message with its sender.
  await chatEntry(bobPage, 'Launch team').locator('[data-test="internal-chat-mentioned"]').waitFor({ timeout: 10_000 });
  await chatEntry(bobPage, 'Launch team').click();
  const got = messages(bobPage).filter({ hasText: '@Bob please check the launch list' });
  await got.waitFor({ timeout: 10_000 });
  await bobPage.locator('[data-test="internal-mention-button"]').click();
  await bobPage.locator('[data-test="internal-mention-member"]:visible').first().waitFor();
  t.is(await bobPage.locator('[data-test="internal-mention-all"]:visible').count(), 0, 'a plain member is not offered @所有人');
  await input(bobPage).click();
  await bobPage.locator('[data-test="internal-mention-member"]:visible').first().waitFor({ state: 'hidden' });

  // Bob's members dialog: he may leave but neither rename nor dissolve.
  await bobPage.locator('[data-test="internal-chat-manage"]').click();
  const members = bobPage.locator('[data-test="internal-chat-members-dialog"]');
  await members.locator('[data-test="internal-chat-member"]').nth(2).waitFor();
  t.is(await members.locator('[data-test="internal-chat-member"]').count(), 3);
  t.is(await members.locator('[data-test="internal-chat-dissolve"]').count(), 0);
  t.is(await members.locator('[data-test="internal-chat-rename"]').count(), 0);
  t.true(await members.locator('[data-test="internal-chat-leave"]').isVisible());
  await bobPage.screenshot({ path: screenshotPath('internal-groupchat-members') });
  await adminPage.screenshot({ path: screenshotPath('internal-groupchat') });
  t.deepEqual(pageErrors, []);
});
