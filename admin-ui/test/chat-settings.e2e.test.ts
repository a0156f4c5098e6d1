import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

let k: TestKefu;
let browser: Browser;
let admin: TestClient;
test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

/** Element Plus puts `data-test` on the input element or on its wrapper, depending on the input's kind. */
const control = (scope: ReturnType<Page['locator']>, name: string, tag: 'input' | 'textarea' = 'input') =>
  scope.locator(`${tag}[data-test="${name}"], [data-test="${name}"] ${tag}`).first();

const contents = (page: Page) => page.locator('[data-test="canned-row"] .content').allInnerTexts();

async function addEntry(page: Page, content: string, shortcut: string) {
  await page.locator('[data-test="tool-editor-canned"] [data-test="tool-add"]').click();
  const dialog = page.locator('[data-test="tool-dialog"]').last();
  await control(dialog, 'tool-content', 'textarea').fill(content);
  await control(dialog, 'tool-shortcut').fill(shortcut);
  await dialog.locator('[data-test="tool-save"]').click();
  await page.locator('[data-test="canned-row"]', { hasText: content }).waitFor({ timeout: 10_000 });
}

test.serial(
  'CHATSET-SCREEN-15 CHATSET-CANNEDDRAFT-10 CHATSET-CANNEDHISTORY-9: sections keep unsaved edits, leaving warns, a draft comes back after a reload, drag order and a history version are saved, search filters',
  async (t) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Closing or reloading the browser tab with unsaved edits asks first (the browser's own beforeunload question).
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
    await page.goto(k.url + '/agent-tools');

    // 自动应答设置 first, with the placeholders filled in the live preview.
    await control(page, 'auto-welcome-text', 'textarea').fill('Hi {visitor}, I am {agent}.');
    const preview = page.locator('[data-test="auto-welcome-preview"]');
    await preview.waitFor({ timeout: 10_000 });
    t.notRegex(await preview.innerText(), /\{visitor\}|\{agent\}/, 'the preview shows sample values, not placeholders');

    // 常用语管理: two personal entries, not saved yet.
    await page.locator('[data-test="section-canned"]').click();
    await page.locator('[data-test="tool-editor-canned"] [data-test="tool-group"]').first().waitFor({ timeout: 10_000 });
    await addEntry(page, 'Alpha reply', '/alpha');
    await addEntry(page, 'Beta reply', '/beta');
    await page.locator('[data-test="canned-unsaved"]').waitFor({ timeout: 5_000 });

    // Switching sections keeps both unsaved edits.
    await page.locator('[data-test="section-autoReply"]').click();
    t.is(await control(page, 'auto-welcome-text', 'textarea').inputValue(), 'Hi {visitor}, I am {agent}.');
    await page.locator('[data-test="section-canned"]').click();
    t.deepEqual(await contents(page), ['Alpha reply', 'Beta reply']);

    // Leaving the screen inside the console warns and names the sections; 取消 stays with the edits.
    await page.locator('[data-test="nav-user"]').hover();
    await page.locator('[data-test="nav-item-/profile"]').click();
    const warning = page.locator('.el-message-box');
    await warning.waitFor({ timeout: 10_000 });
    t.regex(await warning.innerText(), /unsaved changes[\s\S]*Automatic replies[\s\S]*Canned replies/);
    await page.screenshot({ path: screenshotPath('chat-settings-leave-warning') });
    await warning.getByRole('button', { name: 'Cancel' }).click();
    await warning.waitFor({ state: 'hidden' });
    t.regex(page.url(), /\/agent-tools\?section=canned$/);
    t.deepEqual(await contents(page), ['Alpha reply', 'Beta reply']);

    // 保存为草稿, then a reload (the browser asks first): the saved list is still empty, 载入草稿 brings the two back.
    await page.locator('[data-test="canned-save-draft"]').click();
    await page.locator('[data-test="canned-draft-info"]', { hasText: 'Draft saved by' }).waitFor({ timeout: 10_000 });
    await page.reload();
    t.true(dialogs.includes('beforeunload'), 'reloading with unsaved edits asked first');
    await page.locator('[data-test="canned-draft-info"]').waitFor({ timeout: 10_000 });
    t.deepEqual(await contents(page), [], 'a draft is not published');
    await page.locator('[data-test="canned-load-draft"]').click();
    await page.locator('[data-test="canned-row"]', { hasText: 'Beta reply' }).waitFor({ timeout: 10_000 });
    t.deepEqual(await contents(page), ['Alpha reply', 'Beta reply']);

    // Drag Beta above Alpha and save: the order survives a reload and the draft is gone.
    const rows = page.locator('[data-test="canned-row"]');
    await rows.nth(1).dragTo(rows.nth(0));
    t.deepEqual(await contents(page), ['Beta reply', 'Alpha reply']);
    await page.locator('[data-test="canned-save"]').click();
    await page.locator('[data-test="canned-unsaved"]').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.reload();
    await rows.first().waitFor({ timeout: 10_000 });
    t.deepEqual(await contents(page), ['Beta reply', 'Alpha reply'], 'the dragged order was saved');
    t.is(await page.locator('[data-test="canned-draft-info"]').count(), 0, 'publishing deleted the draft');
    const saved = await admin.get('/api/agent-tools/canned/tree');
    t.deepEqual(
      saved.body.items.filter((i: { scope: string }) => i.scope === 'personal').map((i: { content: string }) => i.content),
      ['Beta reply', 'Alpha reply'],
    );

    // Search by code filters the list.
    await control(page, 'tool-search').fill('/alp');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="canned-row"]').length === 1);
    t.deepEqual(await contents(page), ['Alpha reply']);
    await control(page, 'tool-search').fill('');

    // Delete Alpha and save; then load the older version from 历史表 into the editor and save it again.
    await rows.filter({ hasText: 'Alpha reply' }).locator('[data-test="canned-delete"]').click();
    await page.locator('[data-test="canned-save"]').click();
    await page.locator('[data-test="canned-unsaved"]').waitFor({ state: 'hidden', timeout: 10_000 });
    t.deepEqual(await contents(page), ['Beta reply']);
    await page.locator('[data-test="canned-history"]').click();
    const drawer = page.locator('[data-test="canned-history-drawer"]');
    const versions = drawer.locator('[data-test="canned-versions"] .el-table__row');
    await versions.nth(1).waitFor({ timeout: 10_000 });
    await versions.nth(1).click();
    await drawer.locator('[data-test="canned-version-entries"]', { hasText: 'Alpha reply' }).waitFor({ timeout: 10_000 });
    await drawer.locator('[data-test="canned-restore"]').click();
    await page.locator('.el-message-box').getByRole('button', { name: 'OK' }).click();
    await page.locator('[data-test="canned-unsaved"]').waitFor({ timeout: 10_000 });
    t.deepEqual(await contents(page), ['Beta reply', 'Alpha reply'], 'the version is in the editor, not yet published');
    await page.screenshot({ path: screenshotPath('chat-settings-canned') });
    await page.locator('[data-test="canned-save"]').click();
    await page.locator('[data-test="canned-unsaved"]').waitFor({ state: 'hidden', timeout: 10_000 });
    const history = await admin.get('/api/agent-tools/canned/versions?scope=personal');
    t.is(history.body.items.length, 3, 'loading a version and saving it made a new version');
    t.is(history.body.items[0].entryCount, 2);

    // 对话主题管理: drag 其他 (the last topic) to the top; the order is saved at once and survives a reload.
    await page.locator('[data-test="section-topics"]').click();
    const topics = page.locator('[data-test="topic-row"]');
    await topics.nth(4).waitFor({ timeout: 10_000 });
    const last = (await topics.nth(4).locator('.name').innerText()).trim();
    await topics.nth(4).dragTo(topics.nth(0));
    await topics.first().filter({ hasText: last }).waitFor({ timeout: 10_000 });
    await page.waitForResponse((r) => r.url().endsWith('/api/topics') && r.request().method() === 'GET');
    await page.reload();
    await topics.nth(4).waitFor({ timeout: 10_000 });
    t.is((await topics.nth(0).locator('.name').innerText()).trim(), last, 'the dragged topic is first after a reload');
    t.is((await admin.get('/api/topics')).body.items[0].name, last);
    await page.screenshot({ path: screenshotPath('chat-settings-topics') });

    // 常用链接和文件管理: within one group, dragging a link by its handle saves the order at once.
    for (const title of ['First link', 'Second link']) await admin.post('/api/agent-tools/links', { scope: 'personal', title, url: 'https://example.com/' + title.length });
    await page.locator('[data-test="section-links"]').click();
    const links = page.locator('[data-test="tool-editor-links"]');
    await links.locator('[data-test="tool-group"]').first().click();
    const linkRows = links.locator('[data-test="tool-table"] tbody tr');
    await links.locator('[data-test="tool-drag"]').nth(1).waitFor({ timeout: 10_000 });
    await links.locator('[data-test="tool-drag"]').nth(1).dragTo(linkRows.nth(0));
    await linkRows.first().filter({ hasText: 'Second link' }).waitFor({ timeout: 10_000 });
    await page.waitForResponse((r) => r.url().includes('/api/agent-tools/links?') && r.request().method() === 'GET');
    const tree = (await admin.get('/api/agent-tools/links/tree')).body;
    t.deepEqual(
      tree.items
        .filter((i: { scope: string }) => i.scope === 'personal')
        .sort((a: { position: number }, b: { position: number }) => a.position - b.position)
        .map((i: { title: string }) => i.title),
      ['Second link', 'First link'],
    );
    t.deepEqual(pageErrors, []);
  },
);
