import path from 'node:path';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

/** CONV-MESSAGE-8 cards from plugins: a button may open a page, but only an http(s) one. */
let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer({ KEFU_PLUGINS_DIR: path.join(import.meta.dirname, 'fixtures', 'card-plugins') });
  admin = await k.login();
  const r = await admin.post('/api/plugins/testcards/enable', {});
  if (r.status !== 200) throw new Error(r.text);
});
test.after.always(async () => {
  await k?.close();
});

test('CONV-MESSAGE-8 a card button with an http(s) URL reaches the visitor; javascript:, data: and other schemes are refused', async (t) => {
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  t.teardown(() => (agent.close(), v.socket.close()));
  const conversationId = (await call(v.socket, 'chat.request', {})).conversation.id;
  const send = (payload: unknown) => admin.post('/api/p/testcards/send', { conversationId, text: 'Our offers', payload });

  const got = next(v.socket, 'message', (m) => m.message.kind === 'card');
  const ok = await send({
    buttons: [
      { label: 'See the offer', url: 'https://shop.example/offer?id=7' },
      { label: 'Talk to a person', action: 'robot.handover' },
    ],
  });
  t.is(ok.status, 200, ok.text);
  const { message } = await got;
  t.deepEqual(message.payload.buttons, [
    { label: 'See the offer', url: 'https://shop.example/offer?id=7' },
    { label: 'Talk to a person', action: 'robot.handover' },
  ]);

  for (const url of [
    'javascript:alert(1)',
    ' JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
    'ftp://files.example/a',
    'mailto:a@example.com',
    '//evil.example',
  ]) {
    const r = await send({ buttons: [{ label: 'Open', url }] });
    t.is(r.status, 400, url);
    t.is(r.body.error.code, 'validation_failed');
    t.is(r.body.error.fields[0].path, 'payload.buttons.0.url', url);
  }
  const many = await send({ buttons: Array.from({ length: 11 }, (_, i) => ({ label: `B${i}` })) });
  t.is(many.status, 400);
  t.is((await send({ buttons: [{ label: '   ' }] })).status, 400, 'a button needs a label');
  const cards = await k.server.db('messages').where({ conversation_id: conversationId, kind: 'card' });
  t.is(cards.length, 1, 'nothing refused was stored');
});
