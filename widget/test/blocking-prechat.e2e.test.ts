import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, openDemoChat, screenshotPath, until } from './browser.ts';

/** The widget of a blocked visitor (DISPLAY-BLOCKCHAT-13, DISPLAY-BLOCKEND-15), the pre-chat form (PRECHAT-*) and resuming a held chat (POLICY-HOLD-9). */
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

const newestVisitor = async () => Number((await k.server.db('visitors').where({ company_id: k.company.id }).orderBy('id', 'desc').first('id')).id);
const iconState = (page: Page) => page.locator('kefu-widget button.btn').getAttribute('data-state');

test.serial('DISPLAY-BLOCKCHAT-13 DISPLAY-BLOCKEND-15 a blocked visitor’s icon and window show offline without a reload, and come back when the block is deleted', async (t) => {
  const page = await browser.newPage();
  const frame = await openDemoChat(page, k.url, k.company.publicId);
  t.is(await iconState(page), 'online');
  const visitorId = await newestVisitor();
  const r = await admin.post(`/api/visitors/${visitorId}/block`, { kind: 'chat', note: 'abuse' });
  t.is(r.status, 201, r.text);
  t.is(await until(() => iconState(page), (s) => s === 'offline', 5000), 'offline', 'the icon turns offline within 5 s');
  await frame.locator('#start-chat:disabled').waitFor({ timeout: 5000 });
  t.regex(await frame.locator('#app').innerText(), /not available|不可用/, 'offline, with no word of a block');
  t.is(await frame.locator('#app').getAttribute('data-state'), 'start', 'no leave-message form');
  await page.screenshot({ path: screenshotPath('widget-blocked') });

  // A reload while blocked is offline from the start.
  await page.reload();
  t.is(await until(() => iconState(page), (s) => s === 'offline', 10_000), 'offline');

  const [entry] = (await admin.get('/api/blocks')).body.items;
  t.is((await admin.del(`/api/blocks/${entry.id}`)).status, 204);
  t.is(await until(() => iconState(page), (s) => s === 'online', 5000), 'online', 'back online within 5 s, no reload');
  // The window was open before the reload, so it is open again (the visit keeps that).
  const chat = page.frameLocator('kefu-widget iframe');
  const served = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active', 15_000);
  await chat.locator('#start-chat:not(:disabled)').click();
  await served;
  await chat.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  await page.close();
});

test.serial(
  'PRECHAT-SWITCH-1 PRECHAT-FIELDS-3 PRECHAT-PREFILL-5 POLICY-HOLD-9 with the form on, a chat starts only after a valid form; a reload resumes it without the form; the next chat’s form is prefilled',
  async (t) => {
    const put = await admin.put('/api/settings/widget', {
      version: (await admin.get('/api/settings/widget')).body.version,
      settings: { prechat: { enabled: true, questionTypes: [{ id: 'sales', label: { en: 'Sales', 'zh-CN': '售前' }, order: 0 }] } },
    });
    t.is(put.status, 200, put.text);
    await until(
      async () => (await k.client().get(`/api/widget/config?c=${k.company.publicId}`)).body.prechat?.enabled,
      (on) => on === true,
      10_000,
    );
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const frame = await openDemoChat(page, k.url, k.company.publicId);
    const form = frame.locator('#start-body form');
    await form.waitFor({ timeout: 10_000 });
    // The default items, in order, with the required marks and the closing note (PRECHAT-FIELDS-3).
    const names = await form.locator('input, select').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name));
    t.deepEqual(names, ['name', 'questionType', 'email', 'phone', 'mobile', 'company', 'title'], 'the default shown items, in order');
    t.regex(await form.innerText(), /Name \*/);
    t.regex(await form.innerText(), /Fields marked \* are required/);

    const before = await k.server.db('conversations').where({ company_id: k.company.id }).count<{ n: string }[]>('* as n');
    await form.locator('button[type="submit"]').click();
    await form.locator('#prechat-name-error:not(:empty)').waitFor({ timeout: 5000 });
    const after = await k.server.db('conversations').where({ company_id: k.company.id }).count<{ n: string }[]>('* as n');
    t.is(Number(after[0].n), Number(before[0].n), 'no chat without a valid form');

    await form.locator('input[name="name"]').fill('Ann Lee');
    await form.locator('input[name="mobile"]').fill('13800138000');
    const served = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active', 15_000);
    await form.locator('button[type="submit"]').click();
    const { conversation } = await served;
    await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
    const visitor = await k.server.db('visitors').where({ id: conversation.visitorId }).first('name', 'phone');
    t.like(visitor, { name: 'Ann Lee', phone: '13800138000' });

    // POLICY-HOLD-9: a page load within the hold brings the window back open on the same chat, no form asked.
    await page.reload();
    const again = page.frameLocator('kefu-widget iframe');
    await again.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
    t.false(await again.locator('#start-body form').isVisible());
    const open = await k.server.db('conversations').where({ visitor_id: conversation.visitorId }).whereNot('status', 'ended');
    t.deepEqual(
      open.map((c: any) => Number(c.id)),
      [conversation.id],
      'the same conversation',
    );

    // PRECHAT-PREFILL-5: the next chat's form carries what was given before, and can be changed.
    await again.locator('#end').click();
    await again.locator('#app[data-state="ended"]').waitFor({ timeout: 10_000 });
    await again.locator('#restart').click();
    const next2 = again.locator('#start-body form');
    await next2.waitFor({ timeout: 10_000 });
    t.is(await next2.locator('input[name="name"]').inputValue(), 'Ann Lee');
    t.is(await next2.locator('input[name="mobile"]').inputValue(), '13800138000');
    await page.screenshot({ path: screenshotPath('widget-prechat-prefilled') });
    await context.close();
  },
);
