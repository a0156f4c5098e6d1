import crypto from 'node:crypto';
import fs from 'node:fs';
import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, next, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { VerificationChallenges } from '../../core/src/policies/verification-challenges.ts';
import { chatWithAgent as serveChat, launchBrowser, openDemoChat, screenshotPath, until } from './browser.ts';

/** Issue 6's remaining visitor-side states in real Chromium: busy, captcha, rich messages, seen reports, transcript. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;
/** Captcha answers as made, learnt the way a person reading the image would (the image itself is the library's). */
const answers: string[] = [];
const uuid = () => crypto.randomUUID();
const newContext = (): Promise<BrowserContext> => browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });

const openChat = (page: Page, company = k.company.publicId) => openDemoChat(page, k.url, company);
const chatWithAgent = (page: Page) => serveChat(page, k.url, k.company.publicId, agent);

const savePolicies = async (settings: Record<string, unknown>) => {
  const version = (await admin.get('/api/settings/policies')).body.version;
  const r = await admin.put('/api/settings/policies', { version, settings });
  if (r.status !== 200) throw new Error(r.text);
};

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
  const challenges = k.server.container.resolve(VerificationChallenges);
  const real = challenges.generate;
  challenges.generate = () => {
    const c = real();
    answers.push(c.text);
    return c;
  };
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await k?.close();
});

test.serial('TOOLBAR-BUSY-10 WINDOW-SEQUENCE-2 with every agent 忙碌 the window shows the busy text before the waiting text', async (t) => {
  const shop = await k.createCompany('Busy shop');
  const owner = await k.login('admin', shop.adminPassword, shop.publicId);
  const sock = await agentSocket(k.url, owner);
  t.teardown(() => sock.close());
  t.true((await call(sock, 'presence.set', { status: 'busy' })).ok);
  const config = await until(
    () => k.client().get(`/api/widget/config?c=${shop.publicId}`),
    (r) => r.body.busy === true,
  );
  t.true(config.body.busy, 'the public config says busy');

  const context = await newContext();
  const page = await context.newPage();
  const frame = await openChat(page, shop.publicId);
  await frame.locator('#start-chat').click();
  const busy = frame.locator('.msg.system', { hasText: 'All our agents are busy right now' });
  await busy.waitFor({ timeout: 15_000 });
  const lines = await frame.locator('.msg.system .text').allTextContents();
  const at = lines.findIndex((l) => l.startsWith('All our agents are busy'));
  t.true(at >= 0 && lines.slice(at + 1).some((l) => l.startsWith('Connecting you to an agent')), `busy text first: ${JSON.stringify(lines)}`);
  t.is(await frame.locator('#app').getAttribute('data-state'), 'queued');
  await page.screenshot({ path: screenshotPath('busy') });
  await context.close();
});

test.serial('POLICY-SPAM-6 POLICY-SPAM-4 the window shows the image challenge; a wrong answer says so with a new image; the right one lets the chat through', async (t) => {
  await savePolicies({ antiSpam: { enabled: true, mode: 'always' } });
  t.teardown(() => savePolicies({ antiSpam: { enabled: false } }));
  const context = await newContext();
  const page = await context.newPage();
  const frame = await openChat(page);
  await frame.locator('#start-chat').click();
  const dialog = frame.locator('#captcha[role="dialog"]');
  await dialog.waitFor({ timeout: 15_000 });
  const img = dialog.locator('img.captcha-image');
  const first = await img.getAttribute('src');
  t.regex(first!, /^data:image\/svg\+xml/, 'the SVG is shown as an image, never inserted as markup');
  t.is(await frame.locator('#captcha svg').count(), 0);
  await page.screenshot({ path: screenshotPath('captcha') });

  await dialog.locator('input[name="captcha"]').fill('zzzz');
  await dialog.locator('button[type="submit"]').click();
  const again = frame.locator('#captcha');
  await again.locator('.error', { hasText: 'Wrong characters' }).waitFor();
  await until(
    () => again.locator('img.captcha-image').getAttribute('src'),
    (src) => !!src && src !== first,
  );
  t.not(await again.locator('img.captcha-image').getAttribute('src'), first, 'a wrong answer brings a new image');
  await page.screenshot({ path: screenshotPath('captcha-wrong') });

  const beforeRefresh = await again.locator('img.captcha-image').getAttribute('src');
  const count = answers.length;
  await again.locator('.captcha-refresh').click();
  await until(
    () => again.locator('img.captcha-image').getAttribute('src'),
    (src) => src !== beforeRefresh,
  );
  t.is(answers.length, count + 1, 'refresh asks the server for a new challenge');
  t.is(await again.locator('.error').textContent(), '');

  await again.locator('input[name="captcha"]').fill(answers.at(-1)!);
  await again.locator('input[name="captcha"]').press('Enter');
  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  t.is(await frame.locator('#captcha').count(), 0);
  const open = await k.server.db('conversations').where({ company_id: k.company.id }).whereNot('status', 'ended');
  t.is(open.length, 1, 'one chat went through');
  await call(agent, 'conversation.end', { conversationId: Number(open[0].id) });
  await context.close();
});

test.serial('CONV-READ-41 WINDOW-TOOLBAR-4 agent links are safe links; the agent learns what the visitor saw; the visitor saves the transcript', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page);

  const seen = next(agent, 'visitor.seen', (m) => m.conversationId === conversationId, 10_000);
  const sent = await call(agent, 'message.send', {
    conversationId,
    clientId: uuid(),
    text: 'Our guide: https://shop.example/help?a=1&b=2. Not this: javascript:alert(1) <img src=x onerror=alert(2)>',
  });
  const row = frame.locator('.msg.agent', { hasText: 'Our guide' });
  await row.waitFor();
  const links = row.locator('a');
  t.is(await links.count(), 1, 'only the http(s) address is a link');
  t.is(await links.getAttribute('href'), 'https://shop.example/help?a=1&b=2', 'the full stop after it is the sentence’s');
  t.is(await links.getAttribute('target'), '_blank');
  t.is(await links.getAttribute('rel'), 'noopener noreferrer');
  t.is(await row.locator('img').count(), 0, 'markup stays text');
  t.true((await row.locator('.text').textContent())!.includes('<img src=x onerror=alert(2)>'));
  await page.screenshot({ path: screenshotPath('agent-link') });

  // Window open and page visible: the agent is told up to which message the visitor saw.
  t.like(await seen, { conversationId, seq: sent.message.seq });
  await until(
    () => k.server.db('conversations').where({ id: conversationId }).first('visitor_seen_seq'),
    (r) => Number(r.visitor_seen_seq) === sent.message.seq,
  );

  // Minimised: a new message is not seen until the visitor opens the window again.
  await frame.locator('#close').click();
  await page.locator('kefu-widget iframe').waitFor({ state: 'hidden' });
  const unseen = next(agent, 'visitor.seen', (m) => m.conversationId === conversationId, 1500).then(
    () => 'seen',
    () => 'not seen',
  );
  const later = await call(agent, 'message.send', { conversationId, clientId: uuid(), text: 'Are you still there?' });
  t.is(await unseen, 'not seen', 'no report while the window is minimised');
  const reopened = next(agent, 'visitor.seen', (m) => m.conversationId === conversationId, 10_000);
  await page.locator('kefu-widget button.btn').click();
  t.like(await reopened, { seq: later.message.seq });

  await frame.locator('#input').fill('Yes, thank you');
  await frame.locator('#input').press('Enter');
  await frame.locator('.msg.visitor[data-state="sent"]', { hasText: 'Yes, thank you' }).waitFor();
  t.true(await frame.locator('#save').isVisible());
  const download = page.waitForEvent('download');
  await frame.locator('#save').click();
  const file = await download;
  t.is(file.suggestedFilename(), `chat-${conversationId}.txt`);
  const text = fs.readFileSync((await file.path())!, 'utf8');
  t.regex(text, /Our guide: https:\/\/shop\.example\/help\?a=1&b=2\./);
  t.regex(text, /You\nYes, thank you/);
  t.true(text.indexOf('Our guide') < text.indexOf('Yes, thank you'), 'in the order shown');

  await call(agent, 'conversation.end', { conversationId });
  await frame.locator('#app[data-state="ended"]').waitFor();
  t.true(await frame.locator('#save').isVisible(), 'still there once the chat ended');
  t.false(await frame.locator('#emoji').isVisible());
  await page.screenshot({ path: screenshotPath('ended-save') });

  // Another visitor cannot report on this conversation.
  const stranger = await visitorSocket(k.url, k.company.publicId);
  t.is((await call(stranger.socket, 'messages.seen', { conversationId, seq: 1 })).error.code, 'not_found');
  stranger.socket.close();
  await context.close();
});

test.serial('ROBOT-HANDOVER-13 a robot card shows its buttons; clicking one sends it and the chat goes to a person', async (t) => {
  t.is((await admin.post('/api/plugins/robot/enable', {})).status, 200);
  t.teardown(() => admin.post('/api/plugins/robot/disable', {}));
  const r = await admin.put('/api/p/robot/settings', { mode: 'first' });
  t.is(r.status, 200, r.text);
  const context = await newContext();
  const page = await context.newPage();
  const frame = await openChat(page);
  await frame.locator('#start-chat').click();
  const card = frame.locator('.msg.has-card');
  await card.waitFor({ timeout: 15_000 });
  const button = card.locator('button.card-button');
  t.is(await button.count(), 1);
  const label = (await button.textContent())!;
  t.true(['Talk to a person', '转人工'].includes(label), label);
  await page.screenshot({ path: screenshotPath('robot-card') });

  const served = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active', 15_000);
  await button.click();
  const { conversation } = await served;
  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  const sent = await k.server.db('messages').where({ conversation_id: conversation.id, sender_kind: 'visitor' }).select('text');
  t.deepEqual(
    sent.map((m) => m.text),
    [label],
    'the click is the visitor’s message',
  );
  await call(agent, 'conversation.end', { conversationId: conversation.id });
  await context.close();
});

test.serial('ICON-GROUP-6 ASSIGN-SCOPE-3 a group icon lists its groups with their state; the pick scopes the chat, an offline one the leave-message', async (t) => {
  const me = (await admin.get('/api/auth/me')).body.agent.id;
  const billing = (await admin.post('/api/groups', { name: 'Billing', memberIds: [me] })).body;
  const returns = (await admin.post('/api/groups', { name: 'Returns' })).body;
  const made = await admin.post('/api/icons', {
    name: 'Teams',
    type: 'group',
    entries: [
      { kind: 'group', id: billing.id, name: { en: 'Billing questions' } },
      { kind: 'group', id: returns.id, name: { en: 'Returns' } },
    ],
  });
  t.is(made.status, 201, made.text);
  const open = async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.route(`${k.url}/teams.html`, (r) => r.fulfill({ contentType: 'text/html', body: `<!doctype html><h1>Shop</h1>${made.body.code.function}` }));
    await page.goto(`${k.url}/teams.html`);
    await page.locator('kefu-widget button.btn').click();
    const frame = page.frameLocator('kefu-widget iframe');
    const entries = frame.locator('#start .entries button.entry');
    await entries.first().waitFor({ timeout: 15_000 });
    return { context, page, frame, entries };
  };

  const { context, page, frame, entries } = await open();
  t.deepEqual(await entries.allTextContents(), ['Billing questionsOnline', 'ReturnsOffline · leave a message']);
  t.is(await frame.locator('#start-chat').count(), 0, 'no chat before a pick');
  await page.screenshot({ path: screenshotPath('group-entries') });
  await entries.first().click();
  await frame.locator('#start-chat').click();
  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  const conv = await until(
    () => k.server.db('conversations').where({ company_id: k.company.id }).whereNot('status', 'ended').first('id', 'group_id', 'agent_id'),
    (c) => !!c,
  );
  t.is(Number(conv.group_id), billing.id);
  t.is(Number(conv.agent_id), me, 'served by the group member');
  await call(agent, 'conversation.end', { conversationId: Number(conv.id) });
  await context.close();

  // Nobody in Returns: its entry leads to the leave-message form, tagged with the group.
  const second = await open();
  await second.entries.nth(1).click();
  const form = second.frame.locator('#app[data-state="leave"] #leave-form');
  await form.waitFor({ timeout: 15_000 });
  await form.locator('input[name="name"]').fill('Sun Li');
  await form.locator('input[name="mobile"]').fill('13900139000');
  await form.locator('textarea[name="content"]').fill('The parcel came back');
  await form.locator('button[type="submit"]').click();
  await second.frame.locator('#leave .thanks').waitFor();
  const left = await k.server.db('leave_messages').where({ company_id: k.company.id, content: 'The parcel came back' });
  t.is(left.length, 1);
  t.is(Number(left[0].group_id), returns.id);
  await second.context.close();
});

test.serial('ICON-TYPES-3 an email icon opens the leave-message form even while agents are online', async (t) => {
  const made = await admin.post('/api/icons', { name: 'Mail us', type: 'email' });
  t.is(made.status, 201, made.text);
  const context = await newContext();
  const page = await context.newPage();
  await page.route(`${k.url}/mail.html`, (r) => r.fulfill({ contentType: 'text/html', body: `<!doctype html><h1>Shop</h1>${made.body.code.function}` }));
  await page.goto(`${k.url}/mail.html`);
  await page.locator('kefu-widget button.btn').click();
  const frame = page.frameLocator('kefu-widget iframe');
  await frame.locator('#app[data-state="leave"] #leave-form').waitFor({ timeout: 15_000 });
  t.is(await frame.locator('#start-chat').isVisible(), false, 'no chat is offered');
  await page.screenshot({ path: screenshotPath('email-icon') });
  await context.close();
});

test.serial('CONV-FORM-22 the agent pushes the information form; the visitor answers inside the chat; it is checked and stored', async (t) => {
  const context = await newContext();
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page);
  const pushed = await call(agent, 'form.push', { conversationId });
  t.falsy(pushed.error, JSON.stringify(pushed.error));
  t.is(pushed.message.kind, 'form');
  const card = frame.locator(`#info-form-${pushed.message.seq}`);
  await card.waitFor();
  t.true((await card.locator('label', { hasText: 'Name *' }).count()) === 1, 'required items are marked as in 访客信息配置');
  await card.locator('input[name="email"]').fill('not-an-address');
  await card.locator('button[type="submit"]').click();
  t.is(await card.locator(`#info-form-${pushed.message.seq}-email-error`).textContent(), 'Enter a valid e-mail address');
  await page.screenshot({ path: screenshotPath('info-form') });

  const answered = next(agent, 'message', (m) => m.message.kind === 'form' && m.message.senderKind === 'visitor');
  await card.locator('input[name="name"]').fill('Li Lei');
  await card.locator('input[name="email"]').fill('li@example.com');
  await card.locator('input[name="mobile"]').fill('13800138000');
  await card.locator('button[type="submit"]').click();
  const { message } = await answered;
  t.like(message.payload.fields, { name: 'Li Lei', email: 'li@example.com', mobile: '13800138000' });
  await frame.locator('.msg.agent .note', { hasText: 'Sent. Thank you!' }).waitFor();
  await frame.locator('.msg.visitor', { hasText: 'Name: Li Lei' }).waitFor();
  await page.screenshot({ path: screenshotPath('info-form-sent') });
  const visitor = await k.server.db('visitors').where({ id: message.senderId }).first('name', 'email');
  t.like(visitor, { name: 'Li Lei', email: 'li@example.com' });

  // An unknown conversation is not found; after five pushes a sixth is refused.
  const stranger = await call(agent, 'form.push', { conversationId: 999_999 });
  t.is(stranger.error.code, 'not_found');
  for (let i = 2; i <= 5; i++) t.falsy((await call(agent, 'form.push', { conversationId })).error);
  t.is((await call(agent, 'form.push', { conversationId })).error.code, 'rate_limited');
  t.is(await frame.locator('form.form[id^="info-form-"]').count(), 1, 'only the newest push holds a form');
  await call(agent, 'conversation.end', { conversationId });
  t.is((await call(agent, 'form.push', { conversationId })).error.code, 'conversation_not_active');
  await context.close();
});
