import crypto from 'node:crypto';
import test from 'ava';
import { io } from 'socket.io-client';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { Outbox, visitorClient, type PendingSend } from '../src/protocol/client.ts';
import { DESKTOP_CHROME, agentSocket, call, next } from './helpers/sockets.ts';

let k: TestKefu;
test.before(async () => {
  k = await startTestServer();
});
test.after.always(() => k?.close());

test.serial('CONV-IDEMPOTENT-9 a forced disconnect mid-send loses nothing and stores nothing twice', async (t) => {
  const admin = await k.login();
  const agent = await agentSocket(k.url, admin);
  let token: string | undefined;
  const socket = io(k.url + '/visitor', {
    auth: (cb) => cb({ companyId: k.company.publicId, token }),
    extraHeaders: { 'user-agent': DESKTOP_CHROME },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  const client = visitorClient(socket);
  client.on('session', (s) => (token = s.token));
  await new Promise<void>((resolve) => socket.once('session', () => resolve()));
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const { conversation } = await client.call('chat.request', {});
  await assigned;

  const acked: string[] = [];
  const outbox = new Outbox((p: PendingSend) => client.call('message.send', p, 300).then((r) => r.message), { onSent: (p) => acked.push(p.clientId) });
  socket.on('connect', () => void outbox.flush());
  const sends = Array.from({ length: 30 }, (_, i) => ({ conversationId: conversation.id, clientId: crypto.randomUUID(), text: `message ${i}` }));
  let kicked = false;
  for (const [i, s] of sends.entries()) {
    void outbox.push(s);
    if (i === 10 && !kicked) {
      kicked = true;
      // The connection drops (as on a network failure) while sends are in flight.
      for (const s of k.server.gateway.visitorsNs.sockets.values()) s.conn.close();
    }
  }
  for (let i = 0; i < 100 && outbox.pending.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    await outbox.flush();
  }
  t.is(outbox.pending.length, 0, 'everything went out');
  t.is(new Set(acked).size, sends.length);
  const rows = await k.server
    .db('messages')
    .where({ conversation_id: conversation.id, sender_kind: 'visitor' })
    .orderBy('seq')
    .select('client_id', 'text', 'seq');
  t.deepEqual(
    rows.map((r) => r.client_id),
    sends.map((s) => s.clientId),
    'each stored once, in the order typed',
  );
  const replay = await call(agent, 'sync', { conversationId: conversation.id, afterSeq: 0 });
  t.is(replay.messages.length, sends.length);
  socket.close();
  agent.close();
});

test('Outbox: an empty flush does not stall later sends', async (t) => {
  const sent: string[] = [];
  const outbox = new Outbox(async (p: PendingSend) => {
    sent.push(p.clientId);
    return p;
  });
  await outbox.flush();
  await outbox.push({ conversationId: 1, clientId: 'a-000000001', text: 'x' });
  t.deepEqual(sent, ['a-000000001']);
  t.is(outbox.pending.length, 0);
});

test.serial('CONV-IDEMPOTENT-9 sends pipelined on one socket without waiting for acks are stored in the order sent', async (t) => {
  const admin = await k.login();
  const agent = await agentSocket(k.url, admin);
  const { visitorSocket } = await import('./helpers/sockets.ts');
  const v = await visitorSocket(k.url, k.company.publicId);
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const { conversation } = await call(v.socket, 'chat.request', {});
  await assigned;
  const sends = Array.from({ length: 20 }, (_, i) => ({ conversationId: conversation.id, clientId: crypto.randomUUID(), text: `p${i}` }));
  await Promise.all(sends.map((s) => call(v.socket, 'message.send', s)));
  const rows = await k.server.db('messages').where({ conversation_id: conversation.id, sender_kind: 'visitor' }).orderBy('seq').select('text');
  t.deepEqual(
    rows.map((r) => r.text),
    sends.map((s) => s.text),
  );
  agent.close();
  v.socket.close();
});
