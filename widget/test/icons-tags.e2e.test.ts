import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, DESKTOP_CHROME, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, until } from './browser.ts';

/** Issue 5 on the visitor side in real Chromium: an embedded icon's code, and custom tags. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;

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

/**
 * A customer's page holding exactly the function code the console hands out. It is served under the
 * test server's origin (intercepted, never reaching the server) because Chromium refuses public pages
 * loading scripts from loopback addresses.
 */
async function customerPage(snippet: string): Promise<Page> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.route(`${k.url}/shop.html`, (r) =>
    r.fulfill({ contentType: 'text/html', body: `<!doctype html><html><body><h1>Shop</h1>${snippet}</body></html>` }),
  );
  await page.goto(`${k.url}/shop.html`);
  return page;
}

test.serial('ICON-CODE-2 ICON-TYPES-3 ICON-RENDER-8 TAG-RENDER-3 TAG-ROUTE-2 the embedded icon takes its style by key; a tag sends its message', async (t) => {
  const icon = (
    await admin.post('/api/icons', { name: 'Left side', type: 'float', float: { position: 'bottom-left', offsetX: 80, offsetY: 40 } })
  ).body;
  const tags = await admin.put('/api/settings/tags', {
    version: 0,
    settings: { enabled: true, tags: [{ id: 'order', label: { en: 'My order' }, text: { en: 'Where is my order?' } }, { id: 'off', label: { en: 'Hidden' }, enabled: false }] },
  });
  t.is(tags.status, 200, tags.text);

  const page = await customerPage(icon.code.function);
  const button = page.locator('kefu-widget button.btn');
  await button.waitFor();
  // Bottom-left with the icon's offsets, not the company's default bottom-right.
  await until(
    () => button.boundingBox(),
    (b) => !!b && b.x < 200,
  );
  const box = (await button.boundingBox())!;
  t.is(Math.round(box.x), 80);
  t.is(Math.round(800 - box.y - box.height), 40);
  await page.screenshot({ path: screenshotPath('icon-bottom-left') });

  await button.click();
  const frame = page.frameLocator('kefu-widget iframe');
  const chips = frame.locator('#tags button.tag');
  await chips.first().waitFor({ timeout: 15_000 });
  t.deepEqual(await chips.allTextContents(), ['My order'], 'enabled tags only, in the visitor language');
  await chips.first().click();
  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  await frame.locator('.msg.visitor', { hasText: 'Where is my order?' }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: screenshotPath('tag-sent') });

  const stored = await until(
    () => k.server.db('messages as m').join('conversations as c', 'c.id', 'm.conversation_id').where({ 'm.text': 'Where is my order?', 'm.sender_kind': 'visitor' }).select('c.icon_id', 'c.agent_id'),
    (rows) => rows.length > 0,
  );
  t.is(stored.length, 1, 'one click, one message');
  t.is(Number(stored[0].icon_id), icon.id, 'the chat remembers the icon it came from');
  t.truthy(stored[0].agent_id, 'and reached an agent');
  await page.context().close();
});

test.serial('ICON-RENDER-8 without data-icon the company look is kept; the snippet keeps working', async (t) => {
  const page = await customerPage(`<script async src="${k.url}/widget/loader.js" data-company="${k.company.publicId}"></script>`);
  const button = page.locator('kefu-widget button.btn');
  await button.waitFor();
  await new Promise((r) => setTimeout(r, 500));
  const box = (await button.boundingBox())!;
  t.true(box.x > 1000, 'bottom-right by default');
  await page.context().close();
});

test.serial('ICON-RENDER-8 ICON-MANAGE-9 a deleted icon key logs one warning and draws nothing', async (t) => {
  const icon = (await admin.post('/api/icons', { name: 'Short-lived', type: 'float' })).body;
  t.is((await admin.del(`/api/icons/${icon.id}`)).status, 204);
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME });
  const page = await context.newPage();
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.route(`${k.url}/gone.html`, (r) => r.fulfill({ contentType: 'text/html', body: `<!doctype html><h1>Shop</h1>${icon.code.function}` }));
  await page.goto(`${k.url}/gone.html`);
  await until(
    async () => warnings.length,
    (n) => n > 0,
  );
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await new Promise((r) => setTimeout(r, 500));
  t.deepEqual(warnings, [`[Kefu] unknown icon key ${icon.key}`]);
  t.is(await page.locator('kefu-widget button.btn').count(), 0);
  await context.close();
});

test.serial('REGION-RENDER-5 REGION-ENFORCE-2 a visitor outside the served region sees the notice and the leave-message form', async (t) => {
  // The browser reaches the server from 127.0.0.1, a LAN address: an unknown region, refused here.
  const { version } = (await admin.get('/api/settings/region')).body;
  const saved = await admin.put('/api/settings/region', {
    version,
    settings: { enabled: true, mode: 'serve', entries: [{ country: '中国' }], unknown: 'refuse', notice: { en: 'We only serve mainland China.' } },
  });
  t.is(saved.status, 200, saved.text);
  const page = await customerPage(`<script async src="${k.url}/widget/loader.js" data-company="${k.company.publicId}"></script>`);
  await page.locator('kefu-widget button.btn').click();
  const frame = page.frameLocator('kefu-widget iframe');
  await frame.locator('#app[data-state="leave"]').waitFor({ timeout: 15_000 });
  t.is(await frame.locator('#notice').textContent(), 'We only serve mainland China.');
  t.true(await frame.locator('#notice').isVisible());
  t.true(await frame.locator('#leave-form').isVisible());
  await page.screenshot({ path: screenshotPath('region-refused') });
  await page.context().close();
});
