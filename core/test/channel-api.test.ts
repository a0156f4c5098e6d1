import crypto from 'node:crypto';
import path from 'node:path';
import test from 'ava';
import { startTestServer, type TestKefu, type TestClient } from '@kefu/core/testing';
import { agentSocket, call, next } from './helpers/sockets.ts';
import { failFor, outbox } from './fixtures/channel-plugins/testchannel/server/index.ts';

let k: TestKefu;
let admin: TestClient;
test.before(async () => {
  k = await startTestServer({ KEFU_PLUGINS_DIR: path.join(import.meta.dirname, 'fixtures', 'channel-plugins') });
  admin = await k.login();
  await admin.post('/api/plugins/testchannel/enable', {});
});
test.after.always(() => k?.close());

const inbound = (from: string, msgId: string, text: string) =>
  k.client().post(`/api/p/testchannel/inbound/${k.company.publicId}`, { from, name: `IM ${from}`, msgId, text });

test.serial('channel API: an IM message enters the normal queue; the agent reply is delivered by the plugin with status', async (t) => {
  const agent = await agentSocket(k.url, admin);
  await call(agent, 'presence.set', { status: 'online' });
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const first = await inbound('wx-user-1', 'm1', '你好，我要退款');
  t.true(first.body.accepted);
  const { conversation } = await assigned;
  t.is(conversation.channel, 'testchannel');
  t.is(conversation.visitorName, 'IM wx-user-1');
  const redelivered = await inbound('wx-user-1', 'm1', '你好，我要退款');
  t.is(redelivered.body.seq, first.body.seq, 'a redelivered webhook is stored once');
  const second = next(agent, 'message');
  await inbound('wx-user-1', 'm2', 'order 123');
  t.is((await second).message.text, 'order 123');

  const delivery = next(agent, 'message.delivery');
  const reply = await call(agent, 'message.send', { conversationId: conversation.id, clientId: crypto.randomUUID(), text: 'Refund on its way' });
  t.true(reply.ok);
  t.like(await delivery, { messageId: reply.message.id, status: 'sent' });
  t.deepEqual(outbox.at(-1), { companyId: k.company.id, externalId: 'wx-user-1', messageId: reply.message.id, text: 'Refund on its way' });
  const synced = await call(agent, 'sync', { conversationId: conversation.id, afterSeq: 0 });
  t.is(synced.messages.find((m: any) => m.id === reply.message.id).deliveryStatus, 'sent');
  agent.close();
});

test.serial('channel API: a failed delivery is reported to the agent', async (t) => {
  failFor.add('wx-user-2');
  const agent = await agentSocket(k.url, admin);
  const assigned = next(
    agent,
    'conversation.updated',
    (m) => m.conversation.status === 'active' && m.conversation.channel === 'testchannel' && m.conversation.visitorName === 'IM wx-user-2',
  );
  await inbound('wx-user-2', 'a1', 'hello');
  const { conversation } = await assigned;
  const delivery = next(agent, 'message.delivery');
  await call(agent, 'message.send', { conversationId: conversation.id, clientId: crypto.randomUUID(), text: 'hi' });
  t.like(await delivery, { status: 'failed', error: 'platform said no' });
  agent.close();
});

test.serial('channel API: web conversations are never handed to channel plugins', async (t) => {
  const before = outbox.length;
  const { visitorSocket } = await import('./helpers/sockets.ts');
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.channel === 'web' && m.conversation.status === 'active');
  await call(v.socket, 'chat.request', {});
  const { conversation } = await assigned;
  const r = await call(agent, 'message.send', { conversationId: conversation.id, clientId: crypto.randomUUID(), text: 'web reply' });
  t.is(r.message.deliveryStatus, null);
  t.is(outbox.length, before);
  agent.close();
  v.socket.close();
});
