import test from 'ava';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, openDemoChat, screenshotPath, until } from './browser.ts';

/** The waiting visitor in real Chromium: position and estimate, 取消排队, 留言, the maximum-wait question, a full queue. */
const clock = { ahead: 0, now: () => new Date(Date.now() + clock.ahead) };
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;
let occupant: Socket;
const newContext = (): Promise<BrowserContext> => browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
const PATH = '/api/settings/assignment';
const save = async (patch: Record<string, unknown>) => {
  const current = (await admin.get(PATH)).body;
  const r = await admin.put(PATH, { version: current.version, settings: { ...current.settings, ...patch } });
  if (r.status !== 200) throw new Error(r.text);
};
const latest = () => k.server.db('conversations').where({ company_id: k.company.id }).orderBy('id', 'desc').first();

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer({}, { clock }), launchBrowser()]);
  admin = await k.login();
  const me = (await admin.get('/api/auth/me')).body.agent.id;
  // The admin serves one chat at a time and already has one, so every window below waits.
  await k.server.db('agents').where({ id: me }).update({ max_chats: 1 });
  agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  occupant = v.socket;
  if ((await call(occupant, 'chat.request', {})).conversation.status !== 'active') throw new Error('the first chat was not served');
  // Five chats connected after a 3-minute wait today: the estimate the window shows (ASSIGN-POSITION-9).
  const now = clock.now().getTime();
  const [visitor] = await k.server.db('visitors').where({ company_id: k.company.id }).select('id');
  for (let i = 1; i <= 5; i++)
    await k.server.db('conversations').insert({
      company_id: k.company.id,
      visitor_id: visitor.id,
      status: 'ended',
      agent_id: me,
      created_at: new Date(now - i * 600_000 - 180_000),
      accepted_at: new Date(now - i * 600_000),
      ended_at: new Date(now - i * 600_000 + 60_000),
    });
  await save({ showEstimatedWait: true });
});
test.after.always(async () => {
  occupant?.close();
  agent?.close();
  await browser?.close();
  await k?.close();
});

test.serial('CONV-QUEUE-7 ASSIGN-POSITION-9 ASSIGN-OVERFLOW-10 the waiting window: position and estimate, the question at the maximum wait, 留言 prefilled', async (t) => {
  const context = await newContext();
  // A failure must not leave this visitor waiting in the next test's queue.
  t.teardown(() => context.close());
  const page = await context.newPage();
  const frame = await openDemoChat(page, k.url, k.company.publicId);
  await frame.locator('#start-chat').click();
  await frame.locator('#app[data-state="queued"]').waitFor({ timeout: 15_000 });
  const status = frame.locator('#status');
  await status.filter({ hasText: 'You are number 1 in the queue' }).waitFor();
  t.regex((await status.textContent()) ?? '', /Estimated wait: about 3 min\./);
  t.true(await frame.locator('#queue-cancel').isVisible(), '取消排队 is offered');
  t.is((await frame.locator('#queue-cancel').textContent())?.trim(), 'Stop waiting');
  t.true(await frame.locator('#queue-leave').isVisible(), '留言 is offered');
  t.false(await frame.locator('#queue-prompt').isVisible());

  await frame.locator('#input').fill('My order 1234 has not arrived');
  await frame.locator('#input').press('Enter');
  await frame.locator('.msg.visitor', { hasText: 'My order 1234' }).waitFor();
  const id = (await latest()).id;
  await until(
    async () => (await k.server.db('messages').where({ conversation_id: id, sender_kind: 'visitor' })).length,
    (n) => n === 1,
  );

  // Back to real time afterwards: until the next heartbeat (10 s) the shifted clock makes the agent look gone, and the
  // next test's window would open as offline.
  t.teardown(() => (clock.ahead = 0));
  clock.ahead += 601_000; // past the default 600 s
  const prompt = frame.locator('#queue-prompt');
  await prompt.waitFor({ state: 'visible', timeout: 5000 });
  t.regex((await prompt.textContent()) ?? '', /Keep waiting, or leave a message/);
  await page.screenshot({ path: screenshotPath('queue-prompt') });
  // A reload inside the 30 s the place is kept: the same request, asked again.
  await page.reload();
  const again = page.frameLocator('kefu-widget iframe');
  await again.locator('#app[data-state="queued"]').waitFor({ state: 'attached', timeout: 15_000 });
  if (!(await again.locator('#app').isVisible())) await page.locator('kefu-widget button.btn').click();
  await again.locator('#app[data-state="queued"]').waitFor({ timeout: 15_000 });
  await prompt.waitFor({ state: 'visible', timeout: 5000 });
  await again.locator('.msg.visitor', { hasText: 'My order 1234' }).waitFor();
  await prompt.locator('#queue-keep').click();
  await prompt.waitFor({ state: 'hidden' });
  const kept = await until(
    async () => (await k.server.db('conversations').where({ id }).first()).queue_stage,
    (s) => s === 2,
  );
  t.is(kept, 2, '继续等待 reached the server');
  t.is(await frame.locator('#app').getAttribute('data-state'), 'queued');

  await frame.locator('#queue-leave').click();
  const form = frame.locator('#app[data-state="leave"] #leave-form');
  await form.waitFor({ timeout: 5000 });
  t.is(await form.locator('[name="content"]').inputValue(), 'My order 1234 has not arrived', 'prefilled with what was typed while waiting');
  const ended = await k.server.db('conversations').where({ id }).first();
  t.like(ended, { status: 'ended', end_reason: 'queue_left', ended_by: 'visitor' });
  await page.screenshot({ path: screenshotPath('queue-leave-form') });
});

test.serial('ASSIGN-LEAVE-11 取消排队 ends the request at once; a full queue opens the form with its text', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const frame = await openDemoChat(page, k.url, k.company.publicId);
  await frame.locator('#start-chat').click();
  await frame.locator('#app[data-state="queued"]').waitFor({ timeout: 15_000 });
  await frame.locator('#queue-cancel').click();
  await frame.locator('#app[data-state="ended"]').waitFor({ timeout: 5000 });
  t.like(await latest(), { status: 'ended', end_reason: 'queue_left' });
  t.false(await frame.locator('#queue-cancel').isVisible(), 'no 取消排队 once the request is gone');

  await save({ maxQueue: 0, queueFullText: { en: 'So many visitors right now: please leave us a message.' } });
  t.teardown(() => save({ maxQueue: 50, queueFullText: {} }));
  const before = (await latest()).id;
  await frame.locator('#restart').click();
  const form = frame.locator('#app[data-state="leave"] #leave-form');
  await form.waitFor({ timeout: 5000 });
  t.is(await frame.locator('#leave .queue-full').textContent(), 'So many visitors right now: please leave us a message.');
  t.is((await latest()).id, before, 'nothing was queued');
  await page.screenshot({ path: screenshotPath('queue-full') });
  await context.close();
});
