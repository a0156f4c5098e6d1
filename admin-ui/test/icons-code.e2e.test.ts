import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 对话图标 (English console) in real Chromium: create an icon bound to a group, then copy its embed code (issue 5). */
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

async function signIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: k.url });
  const page = await context.newPage();
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  return page;
}

test('ICON-LIST-1 ICON-BIND-5 ICON-CODE-2 an icon made in the console, bound to a group; 复制代码 copies its function code', async (t) => {
  const group = (await admin.post('/api/groups', { name: 'Pre-sales' })).body;
  const page = await signIn();
  await page.goto(k.url + '/settings/icons');
  await page.locator('[data-test="icon-new"]').click();
  const dialog = page.locator('.el-dialog', { has: page.locator('[data-test="icon-name"]') });
  await dialog.locator('input[data-test="icon-name"], [data-test="icon-name"] input').first().fill('Pricing page');
  await dialog.locator('[data-test="icon-binding"]').getByText('Group').click();
  await dialog.locator('[data-test="icon-bind-group"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: 'Pre-sales' }).click();
  await dialog.locator('[data-test="icon-save"]').click();
  await dialog.waitFor({ state: 'hidden' });

  const [icon] = (await admin.get('/api/icons')).body.filter((i: any) => i.name === 'Pricing page');
  t.deepEqual(icon.binding, { kind: 'group', groupId: group.id });
  const row = page.locator('[data-test="icon-list"] tr', { hasText: 'Pricing page' });
  await row.click();
  await t.notThrowsAsync(row.getByText('Group').waitFor());
  const code = page.locator('[data-test="icon-code"]');
  t.is(await code.locator('textarea[data-test="icon-code-function"]').inputValue(), icon.code.function);

  await code.locator('[data-test="icon-copy-function"]').click();
  await page.getByText('Copied.').first().waitFor();
  t.is(await page.evaluate(() => navigator.clipboard.readText()), icon.code.function);
  t.true(icon.code.function.includes(`data-icon="${icon.key}"`));
  await page.screenshot({ path: screenshotPath('icons-code-copied'), fullPage: true });
  await page.context().close();
});

test('ICON-GROUP-6 ICON-TYPES-3 a group icon made in the console lists a group and an agent, in the order set', async (t) => {
  const group = (await admin.post('/api/groups', { name: 'Support desk' })).body;
  const me = (await admin.get('/api/auth/me')).body.agent;
  const page = await signIn();
  await page.goto(k.url + '/settings/icons');
  await page.locator('[data-test="icon-new"]').click();
  const dialog = page.locator('.el-dialog', { has: page.locator('[data-test="icon-name"]') });
  await dialog.locator('input[data-test="icon-name"], [data-test="icon-name"] input').first().fill('Our team');
  await dialog.locator('[data-test="icon-type"]').getByText('Group').click();
  const option = (text: string) => page.locator('.el-select-dropdown__item:visible', { hasText: text }).first();
  await dialog.locator('[data-test="icon-entry-add"]').click();
  await dialog.locator('[data-test="icon-entry-target-0"]').click();
  await option('Support desk').click();
  await dialog.locator('[data-test="icon-entry-0"] input[placeholder="Name (English)"]').fill('Support');
  await dialog.locator('[data-test="icon-entry-add"]').click();
  await dialog.locator('[data-test="icon-entry-1"] .kind').click();
  await page.locator('.el-select-dropdown__item:visible').getByText('Agent', { exact: true }).click();
  await dialog.locator('[data-test="icon-entry-target-1"]').click();
  await option(`(${me.agentId})`).click();
  await dialog.locator('[data-test="icon-entry-1"]').getByRole('button', { name: 'Move up' }).click();
  await page.screenshot({ path: screenshotPath('icons-group-entries') });
  await dialog.locator('[data-test="icon-save"]').click();
  await dialog.waitFor({ state: 'hidden' });

  const [icon] = (await admin.get('/api/icons')).body.filter((i: any) => i.name === 'Our team');
  t.is(icon.type, 'group');
  t.deepEqual(icon.entries, [
    { kind: 'agent', id: me.id, name: {} },
    { kind: 'group', id: group.id, name: { en: 'Support' } },
  ]);
  await page.context().close();
});

test('TAG-SCREEN-4 REGION-PICKER-3 the custom-tag and service-region screens save what is entered', async (t) => {
  const page = await signIn();
  await page.goto(k.url + '/settings/tags');
  await page.locator('[data-test="tag-add"]').click();
  const row = page.locator('[data-test="tag-row"]').first();
  await row.locator('input').first().fill('优惠活动');
  await page.locator('[data-test="tags-enabled"]').click();
  await page.locator('[data-test="settings-save"]').click();
  await page.getByText('Saved').first().waitFor();
  const tags = (await admin.get('/api/settings/tags')).body.settings;
  t.true(tags.enabled);
  t.like(tags.tags[0], { label: { 'zh-CN': '优惠活动' }, target: 'agent', enabled: true });
  await page.screenshot({ path: screenshotPath('tags-settings'), fullPage: true });

  await page.goto(k.url + '/settings/region');
  await page.locator('[data-test="region-enabled"]').click();
  // Turning it on with no region is refused and the field says why.
  await page.locator('[data-test="settings-save"]').click();
  await page.locator('[data-test="settings-error"]').waitFor();
  await page.locator('input[data-test="region-country"], [data-test="region-country"] input').first().fill('中国');
  await page.locator('[data-test="region-add"]').click();
  await page.locator('[data-test="region-entry"]', { hasText: '中国' }).waitFor();
  await page.locator('[data-test="settings-save"]').click();
  await page.getByText('Saved').first().waitFor();
  t.like((await admin.get('/api/settings/region')).body.settings, { enabled: true, mode: 'serve', entries: [{ country: '中国', province: null, city: null }] });
  await page.screenshot({ path: screenshotPath('region-settings'), fullPage: true });
  await page.context().close();
});

test('ICON-IMAGE-4 the dialog previews the eight built-in looks and takes uploaded online and offline images with alt text', async (t) => {
  const page = await signIn();
  await page.goto(k.url + '/settings/icons');
  await page.locator('[data-test="icon-new"]').click();
  const dialog = page.locator('.el-dialog', { has: page.locator('[data-test="icon-name"]') });
  await dialog.locator('input[data-test="icon-name"], [data-test="icon-name"] input').first().fill('Side tab');
  const tiles = dialog.locator('[data-test^="icon-style-"] img');
  t.is(await tiles.count(), 16, 'each look online and offline');
  // Every preview really loaded: a broken image has no natural width.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test^="icon-style-"] img')].every((i) => (i as HTMLImageElement).naturalWidth > 0));
  await dialog.locator('[data-test="icon-style-5"]').click();
  t.is(await dialog.locator('[data-test="icon-style-5"]').getAttribute('aria-checked'), 'true');
  await page.screenshot({ path: screenshotPath('icons-image-styles') });
  await dialog.locator('[data-test="icon-save"]').click();
  await dialog.waitFor({ state: 'hidden' });
  const side = (await admin.get('/api/icons')).body.find((i: any) => i.name === 'Side tab');
  t.like(side, { style: 5, image: { source: 'builtin' } });

  await page.locator('[data-test="icon-new"]').click();
  await dialog.locator('input[data-test="icon-name"], [data-test="icon-name"] input').first().fill('Own picture');
  await dialog.locator('[data-test="icon-image-source"]').getByText('Own images').click();
  // Saving with only the online image: the server names the missing offline one beside its field.
  const png = (color: string) => ({ name: `${color}.png`, mimeType: 'image/png', buffer: Buffer.from(pixel(color), 'base64') });
  await dialog.locator('[data-test="icon-image-online-file"]').setInputFiles(png('blue'));
  await dialog.locator('[data-test="icon-image-online-preview"]').waitFor();
  await dialog.locator('[data-test="icon-save"]').click();
  await t.notThrowsAsync(dialog.locator('[data-test="icon-image-offline-problem"]').waitFor());
  await dialog.locator('[data-test="icon-image-offline-file"]').setInputFiles(png('grey'));
  await dialog.locator('[data-test="icon-image-offline-preview"]').waitFor();
  await dialog.locator('[data-test="icon-alt-en"] input, input[data-test="icon-alt-en"]').first().fill('Talk to us');
  await page.screenshot({ path: screenshotPath('icons-image-custom') });
  await dialog.locator('[data-test="icon-save"]').click();
  await dialog.waitFor({ state: 'hidden' });
  const own = (await admin.get('/api/icons')).body.find((i: any) => i.name === 'Own picture');
  t.is(own.image.source, 'custom');
  t.truthy(own.image.online && own.image.offline);
  t.is(own.image.busy, null);
  t.deepEqual(own.alt, { en: 'Talk to us' });
  // The icon code's image is the upload for the icon's state (the admin's open console may be serving).
  const { online } = (await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${own.key}`)).body;
  const image = await fetch(`${k.url}/api/widget/icons/${own.key}/image?c=${k.company.publicId}`);
  t.is(image.headers.get('content-type'), 'image/png');
  t.deepEqual(Buffer.from(await image.arrayBuffer()), Buffer.from(pixel(online ? 'blue' : 'grey'), 'base64'));
  await page.context().close();
});

/** 1×1 PNGs, one per colour, so the two uploads differ. */
function pixel(color: 'blue' | 'grey'): string {
  return color === 'blue'
    ? 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADElEQVQImWMQK/8PAAIzAY25sHlZAAAAAElFTkSuQmCC'
    : 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADElEQVQImWPo6ekBAANMAaVAvXDnAAAAAElFTkSuQmCC';
}
