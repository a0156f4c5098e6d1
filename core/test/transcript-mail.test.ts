import crypto from 'node:crypto';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { MailOutbox } from '../src/leavemsg/mail-outbox.ts';
import { VerificationChallenges } from '../src/policies/verification-challenges.ts';
import { agentSocket, call, visitorSocket } from './helpers/sockets.ts';
import { mailText, smtp } from './helpers/smtp.ts';

/** CONV-TRANSCRIPT-40 邮件发送记录: the visitor's copy of the transcript, by e-mail through the company's mail server. */
let k: TestKefu;
let admin: TestClient;
let outbox: MailOutbox;
let mailer: Awaited<ReturnType<typeof smtp>>;
const uuid = () => crypto.randomUUID();

const saveWidget = async (toolbar: Record<string, boolean>) => {
  const current = (await admin.get('/api/settings/widget')).body;
  const r = await admin.put('/api/settings/widget', {
    version: current.version,
    settings: { ...current.settings, toolbar: { ...current.settings.toolbar, ...toolbar } },
  });
  if (r.status !== 200) throw new Error(r.text);
};
const useMail = async (port: number) => {
  const version = (await admin.get('/api/settings/mail')).body.version;
  const r = await admin.put('/api/settings/mail', { version, smtp: { host: '127.0.0.1', port, security: 'none', fromAddress: 'kefu@acme.test' } });
  if (r.status !== 200) throw new Error(r.text);
};
const ask = (token: string, body: Record<string, unknown>) =>
  k.client().post('/api/widget/transcript/email', { companyId: k.company.publicId, token, ...body });

/** A visitor chatting with the admin (assigned automatically, or accepted). */
async function chat() {
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  const conversationId = req.conversation.id;
  const acc = await call(agent, 'conversation.accept', { conversationId });
  if (!acc.ok && acc.error.code !== 'already_accepted') throw new Error(JSON.stringify(acc));
  return { agent, v, conversationId, close: () => (agent.close(), v.socket.close()) };
}

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  outbox = k.server.container.resolve(MailOutbox);
  mailer = await smtp();
});
test.after.always(async () => {
  await mailer?.close();
  await k?.close();
});

test.serial('CONV-TRANSCRIPT-40 WINDOW-TOOLBAR-4 refused while the tool is off, without a mail server, for a bad address or a stranger', async (t) => {
  const c = await chat();
  t.teardown(c.close);
  const off = await ask(c.v.token, { conversationId: c.conversationId, email: 'li@example.com' });
  t.is(off.status, 403);
  t.is(off.body.error.code, 'tool_disabled');

  await saveWidget({ emailTranscript: true });
  const noSmtp = await ask(c.v.token, { conversationId: c.conversationId, email: 'li@example.com' });
  t.is(noSmtp.status, 409);
  t.is(noSmtp.body.error.code, 'smtp_not_configured');

  await useMail(mailer.port);
  const bad = await ask(c.v.token, { conversationId: c.conversationId, email: 'not-an-address' });
  t.is(bad.status, 400);
  t.is(bad.body.error.fields[0].path, 'email');
  const stranger = await visitorSocket(k.url, k.company.publicId);
  t.teardown(() => stranger.socket.close());
  const other = await ask(stranger.token, { conversationId: c.conversationId, email: 'li@example.com' });
  t.is(other.status, 404, 'another visitor cannot ask for this chat');
  t.is((await ask('no-such-token', { conversationId: c.conversationId, email: 'li@example.com' })).status, 401);
  t.is(
    await k.server
      .db('transcript_requests')
      .where({ conversation_id: c.conversationId })
      .count('* as n')
      .first()
      .then((r) => Number(r!.n)),
    0,
  );
  await call(c.agent, 'conversation.end', { conversationId: c.conversationId });
});

test.serial(
  'CONV-TRANSCRIPT-40 CONV-WHISPER-37 asked during the chat, the transcript arrives when it ends, without whispers; after the end at once; at most 3',
  async (t) => {
    await saveWidget({ emailTranscript: true });
    await useMail(mailer.port);
    const c = await chat();
    t.teardown(c.close);
    const { conversationId } = c;
    t.true((await call(c.v.socket, 'message.send', { conversationId, clientId: uuid(), text: 'Where is my parcel 7731?' })).ok);
    t.true((await call(c.agent, 'message.send', { conversationId, clientId: uuid(), text: 'It left the warehouse today.' })).ok);
    t.true((await call(c.agent, 'whisper.send', { conversationId, clientId: uuid(), text: 'secret note for colleagues' })).ok);

    const during = await ask(c.v.token, { conversationId, email: 'li@example.com', language: 'en' });
    t.is(during.status, 200, during.text);
    t.deepEqual(during.body, { status: 'scheduled', remaining: 2 });
    await outbox.drain();
    t.is(mailer.received.length, 0, 'nothing before the chat ends');

    t.true((await call(c.agent, 'message.send', { conversationId, clientId: uuid(), text: 'Anything else?' })).ok);
    t.true((await call(c.agent, 'conversation.end', { conversationId })).ok);
    const queued = async () => (await k.server.db('transcript_requests').where({ conversation_id: conversationId }).whereNotNull('outbox_id')).length;
    for (const end = Date.now() + 5000; (await queued()) < 1 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    t.is(await outbox.drain(), 1);
    t.is(mailer.received.length, 1);
    const first = mailer.received[0];
    t.deepEqual(first.to, ['li@example.com']);
    t.regex(first.raw, /^Subject: .*Chat_transcript/m);
    const text = mailText(first.raw);
    const nickname = (await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'admin' }).first('nickname')).nickname;
    t.regex(text, /Chat transcript \d{4}-\d{2}-\d{2} · Acme/);
    t.regex(text, /\] You:\nWhere is my parcel 7731\?/);
    t.true(text.includes(`] ${nickname}:\nIt left the warehouse today.`), 'agents by nickname');
    t.true(text.includes('Anything else?'), 'written after the request, before the end');
    t.false(text.includes('secret note'), 'never a whisper');
    t.true(text.indexOf('Where is my parcel') < text.indexOf('It left the warehouse'), 'in order');

    // After the end: sent at once, in the language asked for.
    const after = await ask(c.v.token, { conversationId, email: 'wang@example.com', language: 'zh-CN' });
    t.deepEqual(after.body, { status: 'sent', remaining: 1 });
    t.is(await outbox.drain(), 1);
    t.regex(mailText(mailer.received[1].raw), /^\s*Acme 对话记录 \d{4}-\d{2}-\d{2}\n/);
    t.regex(mailText(mailer.received[1].raw), /\] 您:\nWhere is my parcel 7731\?/);
    t.is((await ask(c.v.token, { conversationId, email: 'li@example.com' })).body.remaining, 0);
    const fourth = await ask(c.v.token, { conversationId, email: 'li@example.com' });
    t.is(fourth.status, 429);
    t.is(fourth.body.error.code, 'rate_limited');
    t.is(await outbox.drain(), 1);
    t.is(mailer.received.length, 3, 'three requests, three mails');
  },
);

test.serial(
  'CONV-TRANSCRIPT-40 POLICY-SPAM-4 POLICY-SPAM-5 with the anti-spam verification on, the e-mail request needs a solved image challenge; the pass holds for the next one',
  async (t) => {
    await saveWidget({ emailTranscript: true });
    await useMail(mailer.port);
    const c = await chat();
    t.teardown(c.close);
    const { conversationId } = c;
    const challenges = k.server.container.resolve(VerificationChallenges);
    const real = challenges.generate;
    let answer = '';
    challenges.generate = () => {
      const made = real();
      answer = made.text;
      return made;
    };
    t.teardown(() => (challenges.generate = real));
    const policies = async (antiSpam: Record<string, unknown>) => {
      const version = (await admin.get('/api/settings/policies')).body.version;
      const r = await admin.put('/api/settings/policies', { version, settings: { antiSpam } });
      if (r.status !== 200) throw new Error(r.text);
    };
    await policies({ enabled: true, mode: 'always' });
    t.teardown(() => policies({ enabled: false }));

    const refused = await ask(c.v.token, { conversationId, email: 'li@example.com' });
    t.is(refused.status, 403);
    t.is(refused.body.error.code, 'verification_required');
    const { challengeId, image } = refused.body.error.challenge;
    t.regex(image, /^<svg/);
    const wrong = await ask(c.v.token, { conversationId, email: 'li@example.com', verification: { challengeId, answer: 'zzzz' } });
    t.like(wrong.body.error, { code: 'verification_failed', challengeId });
    t.is(
      await k.server
        .db('transcript_requests')
        .where({ conversation_id: conversationId })
        .count('* as n')
        .first()
        .then((r) => Number(r!.n)),
      0,
      'nothing recorded',
    );

    const ok = await ask(c.v.token, { conversationId, email: 'li@example.com', verification: { challengeId, answer } });
    t.is(ok.status, 200, ok.text);
    t.deepEqual(ok.body, { status: 'scheduled', remaining: 2 });
    const again = await ask(c.v.token, { conversationId, email: 'wang@example.com' });
    t.is(again.status, 200, 'the pass holds 30 minutes for this visitor');
    const stranger = await visitorSocket(k.url, k.company.publicId);
    t.teardown(() => stranger.socket.close());
    t.is(
      (await ask(stranger.token, { conversationId, email: 'li@example.com' })).body.error.code,
      'verification_required',
      'checked before anything else about the chat',
    );
    await call(c.agent, 'conversation.end', { conversationId });
  },
);
