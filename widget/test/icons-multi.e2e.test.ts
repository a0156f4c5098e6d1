import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, until } from './browser.ts';

/** Issue 6 item 1: several icon codes of one company on one page share one visitor, one live link and one chat frame. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;
let me: number;

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
  me = (await admin.get('/api/auth/me')).body.agent.id;
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await k?.close();
});

/** A customer's page holding `html`, served under the test server's origin (see icons-tags.e2e.test.ts). */
async function customerPage(html: string): Promise<Page> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.route(`${k.url}/many.html`, (r) => r.fulfill({ contentType: 'text/html', body: `<!doctype html><html><body><h1>Shop</h1>${html}</body></html>` }));
  await page.goto(`${k.url}/many.html`);
  return page;
}

const visitorCount = async () => Number((await k.server.db('visitors').where({ company_id: k.company.id }).count('* as n'))[0].n);

test.serial('ICON-RENDER-8 ICON-BIND-5 WIDGET-EMBED three icon codes draw three icons with one visitor and one frame; each click routes by its own binding', async (t) => {
  const sales = (await admin.post('/api/groups', { name: 'Sales', memberIds: [me] })).body;
  const made = await Promise.all([
    admin.post('/api/icons', { name: 'Corner', type: 'float', float: { position: 'bottom-left', offsetX: 30, offsetY: 30 } }),
    admin.post('/api/icons', { name: 'Sales pill', type: 'text', binding: { kind: 'group', groupId: sales.id } }),
    admin.post('/api/icons', { name: 'My desk', type: 'fixed', binding: { kind: 'agent', agentId: me } }),
  ]);
  for (const m of made) t.is(m.status, 201, m.text);
  const [corner, pill, desk] = made.map((m) => m.body);
  const before = await visitorCount();
  const listed = next(agent, 'visitor.updated', (m) => (m.visitor.currentUrl ?? '').includes('/many.html'), 15_000);
  // The fixed icon's own code marks where it goes; the corner icon's function code is pasted twice.
  const page = await customerPage(
    `<p>Desk: ${desk.code.icon}</p>${corner.code.function}${pill.code.function}${desk.code.function}${corner.code.function}`,
  );
  const floating = page.locator('kefu-widget button.btn');
  const inline = page.locator('p kefu-icon button.btn');
  // Every icon is drawn once its settings arrive: the fixed one then moves into the page.
  await until(
    async () => (await page.locator('kefu-widget button.btn[data-state]').count()) + (await inline.count()),
    (n) => n === 3,
  );
  t.is(await floating.count(), 2, 'the corner icon and the text pill float; the duplicate snippet draws nothing more');
  t.is(await inline.count(), 1, 'the fixed icon takes its icon code’s place');
  t.is(await page.locator('p a[data-kefu-icon]').count(), 0, 'the script-less link is taken over');
  await until(
    () => page.locator('kefu-widget .text button.btn').textContent(),
    (s) => s === 'Chat online',
  );
  const cornerBox = (await page.locator('kefu-widget .left button.btn').boundingBox())!;
  t.is(Math.round(cornerBox.x), 30, 'the corner icon keeps its own offsets');
  t.deepEqual(
    await page.evaluate(() => Object.keys(window).filter((key) => /kefu/i.test(key))),
    ['Kefu'],
  );
  const { visitor } = await listed;
  await page.screenshot({ path: screenshotPath('three-icons') });

  /** Clicks an icon and starts the chat; answers the conversation the agent sees. */
  const chatFrom = async (button: ReturnType<Page['locator']>, key: string) => {
    await button.click();
    const src = await until(
      () => page.locator('kefu-widget iframe').getAttribute('src'),
      (s) => !!s && new URL(s).searchParams.get('i') === key,
    );
    t.is(new URL(src!).searchParams.get('i'), key, 'the window is made for the clicked icon');
    const frame = page.frameLocator('kefu-widget iframe');
    await frame.locator('#start-chat').click();
    const created = await until(
      () => k.server.db('conversations').where({ company_id: k.company.id }).whereNot('status', 'ended').first(),
      (c) => !!c,
    );
    await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
    const served = await k.server.db('conversations').where({ id: created.id }).first();
    t.is(await page.locator('iframe').count(), 1, 'one chat frame on the page');
    const ended = next(agent, 'conversation.updated', (m) => m.conversation.id === Number(created.id) && m.conversation.status === 'ended');
    await call(agent, 'conversation.end', { conversationId: Number(created.id) });
    await ended;
    await frame.locator('#app[data-state="ended"]').waitFor();
    return served;
  };
  const fromPill = await chatFrom(page.locator('kefu-widget .text button.btn'), pill.key);
  t.is(Number(fromPill.group_id), sales.id, 'the text icon is bound to Sales');
  t.is(Number(fromPill.icon_id), pill.id);
  const fromDesk = await chatFrom(inline, desk.key);
  t.is(Number(fromDesk.icon_id), desk.id, 'the fixed icon’s binding (its agent) scopes the second chat');
  t.is(Number(fromDesk.agent_id), me);
  t.is(fromDesk.group_id, null);
  const fromCorner = await chatFrom(page.locator('kefu-widget .left button.btn'), corner.key);
  t.is(Number(fromCorner.icon_id), corner.id);
  t.is(fromCorner.group_id, null);
  t.deepEqual(
    [fromPill, fromDesk, fromCorner].map((c) => Number(c.visitor_id)),
    [visitor.id, visitor.id, visitor.id],
    'all three chats are the visitor the agent lists',
  );
  t.is(await visitorCount(), before + 1, 'one visitor for the page');
  await page.context().close();
});

test.serial('WIDGET-EMBED two companies on one page stay separate: each draws its icon and opens its own chat', async (t) => {
  const other = await k.createCompany('Other shop');
  const loader = (c: number) => `<script async src="${k.url}/widget/loader.js" data-company="${c}"></script>`;
  const page = await customerPage(loader(k.company.publicId) + loader(other.publicId));
  const hosts = page.locator('kefu-widget');
  await until(
    () => hosts.count(),
    (n) => n === 2,
  );
  await until(
    () => page.locator('kefu-widget button.btn[data-state]').count(),
    (n) => n === 2,
  );
  // The scripts are async: either may run first. Each host opens its own company's window (both icons sit in
  // the default corner, one over the other, so the click is sent to each button directly).
  const companyOf = async (i: number) => {
    await hosts.nth(i).locator('button.btn').dispatchEvent('click');
    const src = await until(
      () => hosts.nth(i).locator('iframe').getAttribute('src', { timeout: 15_000 }),
      (s) => !!s,
    );
    return Number(new URL(src!).searchParams.get('c'));
  };
  t.deepEqual([await companyOf(0), await companyOf(1)].sort(), [k.company.publicId, other.publicId].sort());
  t.is(await page.locator('kefu-widget iframe').count(), 2, 'a frame per company');
  // Each company's page-view beacon names its own visitor.
  const tokens = await until(
    () => page.evaluate(() => Object.keys(localStorage).filter((key) => key.endsWith(':token'))),
    (keys) => keys.length === 2,
  );
  t.deepEqual(tokens.sort(), [`kefu:${k.company.publicId}:token`, `kefu:${other.publicId}:token`].sort(), 'a visitor of each company');
  t.deepEqual(
    await page.evaluate(() => Object.keys(window).filter((key) => /kefu/i.test(key))),
    ['Kefu'],
  );
  await page.context().close();
});

test.serial('ICON-GROUP-6 LEAVEMSG-ASSIGN-7 a group icon lists agent entries by nickname with their state; the online one chats with that agent, the offline one takes a leave-message for them', async (t) => {
  await k.server.db('agents').where({ id: me }).update({ nickname: 'Front desk' });
  const bob = await admin.post('/api/agents', { agentId: 'bob', name: 'Bob Realname', password: 'Quiet-river-42', mustChangePassword: false });
  t.is(bob.status, 201, bob.text);
  const made = await admin.post('/api/icons', {
    name: 'People',
    type: 'group',
    entries: [
      { kind: 'agent', id: me, name: {} },
      { kind: 'agent', id: bob.body.id, name: { en: 'Bob in sales' } },
    ],
  });
  t.is(made.status, 201, made.text);
  const open = async () => {
    const page = await customerPage(made.body.code.function);
    await page.locator('kefu-widget button.btn').click();
    const frame = page.frameLocator('kefu-widget iframe');
    const entries = frame.locator('#start .entries button.entry');
    await entries.first().waitFor({ timeout: 15_000 });
    return { page, frame, entries };
  };

  const first = await open();
  t.deepEqual(await first.entries.allTextContents(), ['Front deskOnline', 'Bob in salesOffline · leave a message'], 'nicknames or set names, never real names');
  await first.page.screenshot({ path: screenshotPath('agent-entries') });
  await first.entries.first().click();
  const served = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active', 15_000);
  await first.frame.locator('#start-chat').click();
  const { conversation } = await served;
  await first.frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  const row = await k.server.db('conversations').where({ id: conversation.id }).first();
  t.is(Number(row.scope_agent_id), me, 'the chat is scoped to the picked agent');
  t.is(Number(row.agent_id), me);
  await call(agent, 'conversation.end', { conversationId: conversation.id });
  await first.page.context().close();

  // Bob is offline: his entry opens the leave-message form, and the message is his to handle.
  const second = await open();
  await second.entries.nth(1).click();
  const form = second.frame.locator('#app[data-state="leave"] #leave-form');
  await form.waitFor({ timeout: 15_000 });
  await form.locator('input[name="name"]').fill('Sun Li');
  await form.locator('input[name="mobile"]').fill('13900139000');
  await form.locator('textarea[name="content"]').fill('Please call me back, Bob');
  await form.locator('button[type="submit"]').click();
  await second.frame.locator('#leave .thanks').waitFor();
  const left = await k.server.db('leave_messages').where({ company_id: k.company.id, content: 'Please call me back, Bob' });
  t.is(left.length, 1);
  t.is(Number(left[0].handler_id), bob.body.id);
  await second.page.context().close();
});

test.serial('ICON-IMAGE-4 a floating icon with uploaded images shows the online one while someone serves, the offline one otherwise, named by its alt text', async (t) => {
  const png = async (color: string) => {
    const sharp = (await import('sharp')).default;
    return sharp({ create: { width: 80, height: 40, channels: 3, background: color } })
      .png()
      .toBuffer();
  };
  const keys: string[] = [];
  for (const color of ['#1677ff', '#8c8c8c']) {
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(await png(color))], { type: 'image/png' }), 'icon.png');
    const r = await fetch(k.url + '/api/icons/images', { method: 'POST', body: fd, headers: { cookie: admin.cookie, origin: k.url } });
    t.is(r.status, 201);
    keys.push((await r.json()).key);
  }
  const made = await admin.post('/api/icons', {
    name: 'Picture icon',
    type: 'float',
    binding: { kind: 'agent', agentId: me },
    image: { source: 'custom', online: keys[0], offline: keys[1] },
    alt: { en: 'Ask our team' },
  });
  t.is(made.status, 201, made.text);
  t.true((await call(agent, 'presence.set', { status: 'online' })).ok);
  const page = await customerPage(made.body.code.function);
  const button = page.locator('kefu-widget button.btn[data-state="online"]');
  await button.waitFor();
  t.is(await button.getAttribute('aria-label'), 'Ask our team', 'the alt text in the page language names the icon');
  const picture = button.locator('img');
  t.true((await picture.getAttribute('src'))!.endsWith(`/style-images/${keys[0]}`));
  // The picture really loaded, and the drawn speech bubble gave way to it.
  await page.waitForFunction(() => {
    const img = document.querySelector('kefu-widget')!.shadowRoot!.querySelector('button.btn img') as HTMLImageElement;
    return img.complete && img.naturalWidth === 80;
  });
  t.false(await button.locator('svg').isVisible());
  await page.screenshot({ path: screenshotPath('icon-image-online') });

  t.true((await call(agent, 'presence.set', { status: 'away' })).ok);
  await page.reload();
  const offline = page.locator('kefu-widget button.btn[data-state="offline"] img');
  await offline.waitFor();
  t.true((await offline.getAttribute('src'))!.endsWith(`/style-images/${keys[1]}`));
  t.true((await call(agent, 'presence.set', { status: 'online' })).ok);
  await page.context().close();
});
