import crypto from 'node:crypto';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { MailOutbox } from '../src/leavemsg/mail-outbox.ts';
import { agentSocket, call, visitorSocket } from './helpers/sockets.ts';
import { mailText, smtp } from './helpers/smtp.ts';

/** CONV-EMAIL-39 发送记录: agents e-mail a conversation's transcript through the company's mail server. */
let k: TestKefu;
let admin: TestClient;
let outbox: MailOutbox;
let mailer: Awaited<ReturnType<typeof smtp>>;
const uuid = () => crypto.randomUUID();

test.before(async () => {
  k = await startTestServer();
  // A nickname unlike the agent ID, so the mail can be seen to use the one and not the other.
  await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'admin' }).update({ nickname: 'Lily' });
  admin = await k.login();
  outbox = k.server.container.resolve(MailOutbox);
  mailer = await smtp();
});
test.after.always(async () => {
  await mailer?.close();
  await k?.close();
});

async function chat() {
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  const conversationId = req.conversation.id;
  const acc = await call(agent, 'conversation.accept', { conversationId });
  if (!acc.ok && acc.error.code !== 'already_accepted') throw new Error(JSON.stringify(acc));
  return { agent, v, conversationId, close: () => (agent.close(), v.socket.close()) };
}
const send = (client: TestClient, id: number, body: Record<string, unknown>) => client.post(`/api/conversations/${id}/transcript/email`, body);

test.serial(
  'CONV-EMAIL-39 an agent mails the transcript during the chat to typed addresses: escaped text, nicknames, no whispers, recorded; limits and refusals',
  async (t) => {
    const c = await chat();
    t.teardown(c.close);
    const { conversationId } = c;
    t.true((await call(c.v.socket, 'message.send', { conversationId, clientId: uuid(), text: 'Order <b>7731</b>?' })).ok);
    t.true((await call(c.agent, 'message.send', { conversationId, clientId: uuid(), text: 'Shipped today.' })).ok);
    t.true((await call(c.agent, 'whisper.send', { conversationId, clientId: uuid(), text: 'internal only' })).ok);

    const noSmtp = await send(admin, conversationId, { emails: ['li@example.com'] });
    t.is(noSmtp.status, 409);
    t.is(noSmtp.body.error.code, 'smtp_not_configured');
    const version = (await admin.get('/api/settings/mail')).body.version;
    t.is(
      (await admin.put('/api/settings/mail', { version, smtp: { host: '127.0.0.1', port: mailer.port, security: 'none', fromAddress: 'kefu@acme.test' } }))
        .status,
      200,
    );

    const bad = await send(admin, conversationId, { emails: ['li@example.com', 'nope'] });
    t.is(bad.status, 400);
    t.is(bad.body.error.code, 'validation_failed');
    t.is(bad.body.error.fields[0].path, 'emails.1');
    t.is((await send(admin, conversationId, { emails: Array.from({ length: 6 }, (_, i) => `a${i}@example.com`) })).status, 400, 'at most 5 addresses');

    const ok = await send(admin, conversationId, { emails: ['li@example.com', 'wang@example.com'], language: 'en' });
    t.is(ok.status, 200, ok.text);
    t.deepEqual(ok.body, { sent: 2, remaining: 8 });
    t.is(await outbox.drain(), 2, 'sent at once, during the chat');
    t.deepEqual(
      mailer.received
        .map((m) => m.to)
        .flat()
        .sort(),
      ['li@example.com', 'wang@example.com'],
    );
    const text = mailText(mailer.received[0].raw);
    const nickname = (await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'admin' }).first('nickname')).nickname;
    t.regex(text, /Chat transcript \d{4}-\d{2}-\d{2} · Acme/);
    t.true(text.includes('Order <b>7731</b>?'), 'the text as written');
    t.true(text.includes(`] ${nickname}:\nShipped today.`), 'agents by nickname');
    t.false(text.includes('internal only'), 'never a whisper');
    t.false(text.includes('] admin:'), 'never the agent ID');

    const sends = await admin.get(`/api/conversations/${conversationId}/transcript/sends`);
    t.is(sends.status, 200);
    t.deepEqual(sends.body.items.map((s: any) => [s.email, s.agentNickname]).sort(), [
      ['li@example.com', nickname],
      ['wang@example.com', nickname],
    ]);

    // 10 per conversation: 8 left, so 5 + 3 pass and one more is refused.
    t.is((await send(admin, conversationId, { emails: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com'] })).status, 200);
    t.is((await send(admin, conversationId, { emails: ['f@example.com', 'g@example.com', 'h@example.com'] })).body.remaining, 0);
    const over = await send(admin, conversationId, { emails: ['i@example.com'] });
    t.is(over.status, 429);
    t.is(over.body.error.code, 'rate_limited');

    // Another company's agent does not find it.
    const other = await k.createCompany('Other');
    const stranger = await k.login('admin', other.adminPassword, other.publicId);
    t.is((await send(stranger, conversationId, { emails: ['x@example.com'] })).status, 404);
    t.is((await stranger.get(`/api/conversations/${conversationId}/transcript/sends`)).status, 404);
    await call(c.agent, 'conversation.end', { conversationId });
  },
);
