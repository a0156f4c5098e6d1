import crypto from 'node:crypto';
import test from 'ava';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { ConversationService } from '../src/conversations/conversation-service.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
test.before(async () => {
  k = await startTestServer();
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: true, defaultCap: 50 }) });
});
test.after.always(() => k?.close());

/** Visitors in active chats with the admin. */
async function openChats(n: number) {
  const agent = await agentSocket(k.url, await k.login());
  await call(agent, 'workbench.snapshot', {});
  const chats = [];
  for (let i = 0; i < n; i++) {
    const v = await visitorSocket(k.url, k.company.publicId);
    const active = next(v.socket, 'conversation.updated', (m) => m.conversation.status === 'active');
    const { conversation } = await call(v.socket, 'chat.request', {});
    await active;
    chats.push({ socket: v.socket, conversationId: conversation.id as number, visitorId: conversation.visitorId as number });
  }
  return { agent, chats };
}

test.serial("CONV-IDEMPOTENT-9 a burst of sends from many chats is stored once each, in each chat's order", async (t) => {
  const { agent, chats } = await openChats(8);
  const perChat = 6;
  const acks = await Promise.all(
    chats.flatMap((c) =>
      Array.from({ length: perChat }, (_, i) =>
        call(c.socket, 'message.send', { conversationId: c.conversationId, clientId: crypto.randomUUID(), text: `m${i}` }),
      ),
    ),
  );
  t.true(
    acks.every((a) => a.message),
    'every send acked with its stored message',
  );
  for (const c of chats) {
    const rows = await k.server.db('messages').where({ conversation_id: c.conversationId, sender_kind: 'visitor' }).orderBy('seq');
    t.deepEqual(
      rows.map((r) => r.text),
      ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'],
      'one copy of each, in the order the visitor sent them',
    );
  }
  agent.close();
  for (const c of chats) c.socket.close();
});

test.serial('sends waiting for the database go together in one statement', async (t) => {
  const { agent, chats } = await openChats(6);
  const conversations = k.server.container.resolve(ConversationService);
  let statements = 0;
  const count = (q: { sql: string }) => {
    if (q.sql.includes('insert into messages')) statements++;
  };
  k.server.db.on('query', count);
  const sent = await Promise.all(
    chats.flatMap((c) =>
      [1, 2].map((i) =>
        conversations.send(
          k.company.id,
          c.conversationId,
          { kind: 'visitor', visitorId: c.visitorId },
          { clientId: crypto.randomUUID(), kind: 'text', text: `b${i}` },
        ),
      ),
    ),
  );
  k.server.db.off('query', count);
  t.is(new Set(sent.map((m) => m.id)).size, 12, 'twelve messages stored');
  // The first send goes alone; the rest wait for it and share statements (one conversation at most once in each).
  t.true(statements <= 6, `${statements} statements for 12 messages`);
  for (const c of chats) {
    const rows = await k.server.db('messages').where({ conversation_id: c.conversationId, sender_kind: 'visitor' }).orderBy('seq');
    t.deepEqual(
      rows.map((r) => r.text),
      ['b1', 'b2'],
    );
  }
  agent.close();
  for (const c of chats) c.socket.close();
});

test.serial('CONV-IDEMPOTENT-9 a message the database refuses fails alone; its neighbours in the batch are stored', async (t) => {
  const { agent, chats } = await openChats(4);
  const conversations = k.server.container.resolve(ConversationService);
  const send = (c: (typeof chats)[number], text: string) =>
    conversations.send(k.company.id, c.conversationId, { kind: 'visitor', visitorId: c.visitorId }, { clientId: crypto.randomUUID(), kind: 'text', text });
  // PostgreSQL refuses NUL characters in text (the socket layer already rejects them; this is the last line).
  const results = await Promise.allSettled([send(chats[0], 'fine 1'), send(chats[1], 'bad \u0000 text'), send(chats[2], 'fine 2'), send(chats[3], 'fine 3')]);
  t.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  for (const [i, text] of [
    [0, 'fine 1'],
    [2, 'fine 2'],
    [3, 'fine 3'],
  ] as const) {
    t.truthy(await k.server.db('messages').where({ conversation_id: chats[i].conversationId, text }).first());
  }
  t.falsy(await k.server.db('messages').where({ conversation_id: chats[1].conversationId, sender_kind: 'visitor' }).first());
  agent.close();
  for (const c of chats) c.socket.close();
});
