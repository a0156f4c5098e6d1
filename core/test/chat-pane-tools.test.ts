import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import test from 'ava';
import { pino } from 'pino';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import type { Socket } from 'socket.io-client';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { MESSAGE_BACKGROUNDS, MESSAGE_COLORS } from '../src/protocol/message-style.ts';
import { contrastRatio } from '../src/settings/contrast.ts';
import { addAgent } from './helpers/accounts.ts';
import { driver, none, online, served } from './helpers/collab.ts';
import { call, next } from './helpers/sockets.ts';

/** The chat pane's tools on the server side: message colour and bold (CONV-FONT-13) and live view (CONV-LIVEVIEW-21). */
let k: TestKefu;
let admin: TestClient;
let agent: Socket;
/** Everything the server logged, at every level. */
let logged = '';

test.before(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  k = await startTestServer({}, { log: pino({ level: 'trace' }, sink) });
  admin = await k.login();
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  agent = await online(k, 'admin');
});
test.after.always(async () => {
  agent?.close();
  await k?.close();
});

test('CONV-FONT-13 the eight message colours keep 4.5:1 contrast on the message backgrounds of the light and the dark theme', (t) => {
  t.is(Object.keys(MESSAGE_COLORS).length, 8);
  for (const [code, c] of Object.entries(MESSAGE_COLORS)) {
    for (const bg of MESSAGE_BACKGROUNDS.light) t.true(contrastRatio(c.light, bg) >= 4.5, `${code} on ${bg}: ${contrastRatio(c.light, bg).toFixed(2)}`);
    for (const bg of MESSAGE_BACKGROUNDS.dark) t.true(contrastRatio(c.dark, bg) >= 4.5, `${code} on ${bg}: ${contrastRatio(c.dark, bg).toFixed(2)}`);
  }
});

test.serial(`CONV-FONT-13 an agent's colour and bold travel with the message as a palette code and are stored with it (${driver})`, async (t) => {
  const { v, conv } = await served(k, agent);
  const seen = next(v.socket, 'message', (m) => m.message.text === 'Welcome!');
  const sent = await call(agent, 'message.send', {
    conversationId: conv.id,
    clientId: crypto.randomUUID(),
    text: 'Welcome!',
    style: { color: 'blue', bold: true },
  });
  t.deepEqual(sent.message.payload, { style: { color: 'blue', bold: true } });
  t.deepEqual((await seen).message.payload.style, { color: 'blue', bold: true }, 'the visitor receives the code');
  const row = await k.server.db('messages').where({ id: sent.message.id }).first('payload');
  t.deepEqual((typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload).style, { color: 'blue', bold: true });
  const history = await call(v.socket, 'sync', { conversationId: conv.id, afterSeq: 0 });
  t.deepEqual(history.messages.find((m: any) => m.id === sent.message.id).payload.style, { color: 'blue', bold: true }, 'and after a reload');

  const plain = await call(agent, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'plain', style: {} });
  t.is(plain.message.payload, null, 'the theme colour and normal weight store nothing');
  const css = await call(agent, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'x', style: { color: '#ff0000' } });
  t.is(css.error.code, 'validation_failed', 'CSS is not a palette code');
  t.is(css.error.fields[0].path, 'style.color');
  const visitorStyle = await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'me too', style: { bold: true } });
  t.is(visitorStyle.error.code, 'validation_failed', 'visitors have no message style');
  v.socket.close();
});

test.serial(`CONV-LIVEVIEW-21 the draft reaches the consoles only with live view on and allowed, never stored, logged or hooked (${driver})`, async (t) => {
  const hooks = k.server.container.resolve(HookRegistry);
  const hooked: string[] = [];
  const dispose = hooks.addFilter('message.beforeSend', (m) => void hooked.push(m.text ?? ''), { owner: 'core' });
  try {
    const { v, conv } = await served(k, agent);
    const told = next(v.socket, 'liveview', (p) => p.conversationId === conv.id);
    t.deepEqual(await call(agent, 'liveview.set', { conversationId: conv.id, on: true }), { ok: true, on: true });
    t.true((await told).on, 'the visitor window is told to send the draft');

    const draft = next(agent, 'visitor.typing', (p) => p.conversationId === conv.id);
    await call(v.socket, 'typing', { conversationId: conv.id, text: 'secret draft 4111' });
    t.is((await draft).text, 'secret draft 4111');
    const signal = next(agent, 'visitor.typing', (p) => p.conversationId === conv.id);
    await call(v.socket, 'typing', { conversationId: conv.id });
    t.is((await signal).text, null, 'without text: the typing signal');

    // The company switches 允许实时查看 off: only the signal, whatever the window sends.
    const stored = (await admin.get('/api/settings/live-view')).body;
    t.deepEqual(stored.settings, { liveView: true }, 'on by default');
    const saved = await admin.put('/api/settings/live-view', { version: stored.version, settings: { liveView: false } });
    t.is(saved.status, 200);
    t.is((await admin.put('/api/settings/live-view', { version: stored.version, settings: { liveView: true } })).body.error.code, 'settings_changed');
    const off = next(v.socket, 'liveview', (p) => p.conversationId === conv.id);
    t.deepEqual(await call(agent, 'liveview.set', { conversationId: conv.id, on: true }), { ok: true, on: false });
    t.false((await off).on);
    const stripped = next(agent, 'visitor.typing', (p) => p.conversationId === conv.id);
    await call(v.socket, 'typing', { conversationId: conv.id, text: 'secret draft 4112' });
    t.is((await stripped).text, null, 'the draft is dropped by the server');
    await admin.put('/api/settings/live-view', { version: saved.body.version, settings: { liveView: true } });

    await addAgent(admin, 'lvbob');
    const other = await online(k, 'lvbob');
    t.is((await call(other, 'liveview.set', { conversationId: conv.id, on: true })).error.code, 'not_found', 'only the serving agent switches it');
    other.close();

    t.true(await none(agent, 'visitor.typing', () => true, 100));
    const rows = await k.server.db('messages').where({ conversation_id: conv.id }).select('text', 'payload');
    t.false(JSON.stringify(rows).includes('secret draft'), 'no message holds the draft');
    t.false(logged.includes('secret draft'), 'no log line holds the draft');
    t.false(hooked.join().includes('secret draft'), 'no hook saw the draft');

    const ended = await call(v.socket, 'chat.end', { conversationId: conv.id });
    t.true(ended.ok);
    t.true(await none(agent, 'visitor.typing', () => true, 200), 'nothing after the end');
    await call(v.socket, 'typing', { conversationId: conv.id, text: 'after' });
    v.socket.close();
  } finally {
    dispose();
  }
});
