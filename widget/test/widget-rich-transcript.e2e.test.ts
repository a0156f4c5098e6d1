import crypto from 'node:crypto';
import path from 'node:path';
import test from 'ava';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { agentSocket, call, DESKTOP_CHROME, repoRoot, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { ConversationService } from '../../core/src/conversations/conversation-service.ts';
import { MailOutbox } from '../../core/src/leavemsg/mail-outbox.ts';
import { VerificationChallenges } from '../../core/src/policies/verification-challenges.ts';
import { mailText, smtp } from '../../core/test/helpers/smtp.ts';
import { chatWithAgent, launchBrowser, screenshotPath, until } from './browser.ts';

/** Issue 6: card buttons that open pages, and the visitor's e-mailed transcript (CONV-TRANSCRIPT-40), in real Chromium. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let agent: Socket;
let mailer: Awaited<ReturnType<typeof smtp>>;
const uuid = () => crypto.randomUUID();
const newContext = (): Promise<BrowserContext> => browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 }, locale: 'en-US' });

test.before(async () => {
  // A test plugin that sends the cards it is given, so the server's card check is the real one.
  [k, browser, mailer] = await Promise.all([
    startTestServer({ KEFU_PLUGINS_DIR: path.join(repoRoot, 'core', 'test', 'fixtures', 'card-plugins') }),
    launchBrowser(),
    smtp(),
  ]);
  await k.server.db('companies').where({ id: k.company.id }).update({ chat_settings: JSON.stringify({ autoAssign: true }) });
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
  const r = await admin.post('/api/plugins/testcards/enable', {});
  if (r.status !== 200) throw new Error(r.text);
});
test.after.always(async () => {
  agent?.close();
  await browser?.close();
  await mailer?.close();
  await k?.close();
});

test.serial('CONV-MESSAGE-8 a card button with a URL opens the page in a new tab without opener or referrer; other schemes are never drawn', async (t) => {
  const context = await newContext();
  await context.route(`${k.url}/offer.html?id=7`, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Offer</title><h1>Offer 7</h1>' }));
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  const sent = await admin.post('/api/p/testcards/send', {
    conversationId,
    text: 'Our offers',
    payload: { buttons: [{ label: 'See the offer', url: `${k.url}/offer.html?id=7` }, { label: 'Yes please' }] },
  });
  t.is(sent.status, 200, sent.text);
  const refused = await admin.post('/api/p/testcards/send', { conversationId, text: 'Bad', payload: { buttons: [{ label: 'Run', url: 'javascript:alert(1)' }] } });
  t.is(refused.status, 400, 'the server refuses a javascript: button');

  const card = frame.locator('.msg.has-card', { hasText: 'Our offers' });
  await card.waitFor();
  const link = card.locator('a.card-button');
  t.is(await link.textContent(), 'See the offer');
  t.is(await link.getAttribute('href'), `${k.url}/offer.html?id=7`);
  t.is(await link.getAttribute('target'), '_blank');
  t.is(await link.getAttribute('rel'), 'noopener noreferrer');
  t.is(await card.locator('button.card-button').textContent(), 'Yes please', 'a button without URL still answers');
  t.false(await frame.locator('#mail').isVisible(), 'the e-mail transcript tool is off by default (CONV-TRANSCRIPT-40)');
  await page.screenshot({ path: screenshotPath('card-link') });

  const opened = context.waitForEvent('page');
  await link.click();
  const tab = await opened;
  await tab.waitForLoadState();
  t.is(tab.url(), `${k.url}/offer.html?id=7`);
  t.is(await tab.locator('h1').textContent(), 'Offer 7');
  t.deepEqual(await tab.evaluate(() => [window.opener === null, document.referrer]), [true, ''], 'the page cannot reach back into the chat');
  await tab.close();
  const visitorTexts = async () => (await k.server.db('messages').where({ conversation_id: conversationId, sender_kind: 'visitor' }).select('text')).map((m) => m.text);
  t.deepEqual(await visitorTexts(), [], 'opening the link sends nothing');

  // A card that did not pass the check (stored before it, or written around it) is drawn without its unsafe buttons.
  await k.server.container.resolve(ConversationService).send(
    k.company.id,
    conversationId,
    { kind: 'plugin', pluginId: 'testcards', name: 'Cards' },
    {
      clientId: uuid(),
      kind: 'card',
      text: 'Old card',
      payload: {
        buttons: [
          { label: 'Script', url: 'javascript:alert(1)' },
          { label: 'Data', url: 'data:text/html,<script>alert(1)</script>' },
          { label: 'Broken', url: 42 },
          { label: 'Help', url: 'https://help.example/' },
        ],
      },
    },
  );
  const old = frame.locator('.msg.has-card', { hasText: 'Old card' });
  await old.waitFor();
  t.deepEqual(await old.locator('.card-button').allTextContents(), ['Help']);
  t.is(await frame.locator('a[href^="javascript:"], a[href^="data:"]').count(), 0);

  await card.locator('button.card-button').click();
  await until(visitorTexts, (v) => v.length === 1);
  t.deepEqual(await visitorTexts(), ['Yes please']);
  await call(agent, 'conversation.end', { conversationId });
  await context.close();
});

test.serial('CONV-TRANSCRIPT-40 WINDOW-TOOLBAR-4 the visitor asks for the transcript by e-mail during the chat and again after it; it arrives without whispers', async (t) => {
  const outbox = k.server.container.resolve(MailOutbox);
  const widget = (await admin.get('/api/settings/widget')).body;
  const saved = await admin.put('/api/settings/widget', { version: widget.version, settings: { ...widget.settings, toolbar: { ...widget.settings.toolbar, emailTranscript: true } } });
  t.is(saved.status, 200, saved.text);
  const mail = await admin.put('/api/settings/mail', {
    version: (await admin.get('/api/settings/mail')).body.version,
    smtp: { host: '127.0.0.1', port: mailer.port, security: 'none', fromAddress: 'kefu@acme.test' },
  });
  t.is(mail.status, 200, mail.text);
  // What the window reads: the mobile block (applied inside the narrow in-page window too) keeps its own copy for ≤ 5 s.
  await until(
    () => k.client().get(`/api/widget/setup?c=${k.company.publicId}`),
    (r) => r.body.toolbar?.emailTranscript === true && (r.body.mobile?.toolbar?.emailTranscript ?? true) === true,
  );

  const context = await newContext();
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  await frame.locator('#input').fill('Please send me the delivery date');
  await frame.locator('#input').press('Enter');
  await frame.locator('.msg.visitor[data-state="sent"]').waitFor();
  await call(agent, 'message.send', { conversationId, clientId: uuid(), text: 'It arrives on Friday.' });
  await call(agent, 'whisper.send', { conversationId, clientId: uuid(), text: 'VIP customer, be nice' });
  await frame.locator('.msg.agent', { hasText: 'It arrives on Friday.' }).waitFor();

  const tool = frame.locator('#mail');
  t.is(await tool.getAttribute('aria-label'), 'E-mail the conversation');
  await tool.click();
  const form = frame.locator('#mail-panel');
  await form.locator('input[name="email"]').fill('not-an-address');
  await form.locator('button[type="submit"]').click();
  await form.locator('.note.error', { hasText: 'Enter a valid e-mail address' }).waitFor();
  await form.locator('input[name="email"]').fill('li@example.com');
  await form.locator('button[type="submit"]').click();
  await form.locator('.note', { hasText: 'We will e-mail the conversation to li@example.com when the chat ends.' }).waitFor();
  await page.screenshot({ path: screenshotPath('transcript-mail') });
  await outbox.drain();
  t.is(mailer.received.length, 0, 'nothing before the end');

  await call(agent, 'conversation.end', { conversationId });
  await frame.locator('#app[data-state="ended"]').waitFor();
  const drained = async () => (await outbox.drain(), mailer.received.length);
  t.is(await until(drained, (n) => n === 1), 1, 'sent once the chat ended');
  const text = mailText(mailer.received[0].raw);
  t.deepEqual(mailer.received[0].to, ['li@example.com']);
  t.regex(text, /\] You:\nPlease send me the delivery date/);
  t.regex(text, /It arrives on Friday\./);
  t.false(text.includes('VIP customer'), 'never a whisper');

  // After the end the tool is still there and sends at once; a fourth request is refused.
  t.true(await tool.isVisible());
  t.false(await frame.locator('#emoji').isVisible());
  await form.locator('input[name="email"]').fill('wang@example.com');
  await form.locator('button[type="submit"]').click();
  await form.locator('.note', { hasText: 'The conversation is on its way to wang@example.com.' }).waitFor();
  t.is(await until(drained, (n) => n === 2), 2);
  t.deepEqual(mailer.received[1].to, ['wang@example.com']);
  await page.screenshot({ path: screenshotPath('transcript-mail-ended') });
  await form.locator('button[type="submit"]').click();
  await form.locator('.note', { hasText: 'on its way' }).waitFor();
  await form.locator('button[type="submit"]').click();
  await form.locator('.note.error', { hasText: 'The conversation cannot be e-mailed more often.' }).waitFor();
  t.is(await until(drained, (n) => n === 3), 3, 'three requests, three mails');
  await context.close();
});

test.serial('CONV-TRANSCRIPT-40 POLICY-SPAM-4 POLICY-SPAM-6 with the anti-spam verification on, the e-mail request shows the image challenge first', async (t) => {
  // The tool and the mail server stay as the test before set them.
  const context = await newContext();
  const page = await context.newPage();
  const { frame, conversationId } = await chatWithAgent(page, k.url, k.company.publicId, agent);
  const challenges = k.server.container.resolve(VerificationChallenges);
  const real = challenges.generate;
  const answers: string[] = [];
  challenges.generate = () => {
    const made = real();
    answers.push(made.text);
    return made;
  };
  const policies = async (antiSpam: Record<string, unknown>) => {
    const version = (await admin.get('/api/settings/policies')).body.version;
    const r = await admin.put('/api/settings/policies', { version, settings: { antiSpam } });
    if (r.status !== 200) throw new Error(r.text);
  };
  await policies({ enabled: true, mode: 'always' });
  t.teardown(async () => {
    challenges.generate = real;
    await policies({ enabled: false });
  });

  await frame.locator('#mail').click();
  const form = frame.locator('#mail-panel');
  await form.locator('input[name="email"]').fill('li@example.com');
  await form.locator('button[type="submit"]').click();
  const dialog = frame.locator('#captcha[role="dialog"]');
  await dialog.waitFor();
  t.is(answers.length, 1, 'the refusal brought a challenge');
  await dialog.locator('input[name="captcha"]').fill(answers[0]);
  await dialog.locator('input[name="captcha"]').press('Enter');
  await form.locator('.note', { hasText: 'We will e-mail the conversation to li@example.com when the chat ends.' }).waitFor();
  t.is(await frame.locator('#captcha').count(), 0);
  t.is((await k.server.db('transcript_requests').where({ conversation_id: conversationId })).length, 1);
  await page.screenshot({ path: screenshotPath('transcript-mail-captcha') });
  await call(agent, 'conversation.end', { conversationId });
  await context.close();
});
