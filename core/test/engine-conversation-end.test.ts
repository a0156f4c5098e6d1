import crypto from 'node:crypto';
import test from 'ava';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { call, next } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, online, served, startCollab } from './helpers/collab.ts';

/** Ending a conversation (CONV-END-26) and the agent's unread counts (TOOLBAR-UNREAD-3). */
let c: CollabKefu;
const ended: any[] = [];

test.before(async () => {
  c = await startCollab();
  c.k.server.container.resolve(HookRegistry).addAction('conversation.ended', (p) => void ended.push(p));
});
test.after.always(() => c?.k.close());

test.serial(`CONV-END-26 the serving agent, an admin or a monitor of that agent ends it once; others cannot (${driver})`, async (t) => {
  const [a, b, m, adm] = [await online(c.k, 'ann'), await online(c.k, 'bob'), await online(c.k, 'mon'), await online(c.k, 'admin')];
  // A colleague who neither serves nor monitors it: it does not exist for them.
  const first = await served(c.k, a);
  t.is((await call(b, 'conversation.end', { conversationId: first.conv.id })).error.code, 'not_found');
  t.is((await call(m, 'conversation.end', { conversationId: first.conv.id })).error.code, 'not_found', 'not before monitoring');

  // Two enders at once: one end, one conversation.ended, the other gets conversation_ended.
  ended.length = 0;
  const visitorTold = next(first.v.socket, 'conversation.updated', (e) => e.conversation.status === 'ended');
  const [x, y] = await Promise.all([
    call(a, 'conversation.end', { conversationId: first.conv.id }),
    call(adm, 'conversation.end', { conversationId: first.conv.id }),
  ]);
  t.deepEqual([x.ok, y.ok].filter(Boolean), [true], 'exactly one succeeded');
  t.is((x.ok ? y : x).error.code, 'conversation_ended');
  t.like((await visitorTold).conversation, { status: 'ended', endReason: 'agent_ended' });
  t.is(ended.filter((e) => e.conversationId === first.conv.id).length, 1);

  // A monitor of ann ends her chat; it counts as ended by the monitor.
  t.true((await call(m, 'monitor.start', { agentId: c.id.ann })).ok);
  const second = await served(c.k, a);
  const annTold = next(a, 'conversation.updated', (e) => e.conversation.id === second.conv.id && e.conversation.status === 'ended');
  const r = await call(m, 'conversation.end', { conversationId: second.conv.id });
  t.like(r.conversation, { status: 'ended', endReason: 'agent_ended', endedBy: `agent:${c.id.mon}` });
  await annTold;
  t.is((await call(a, 'conversation.end', { conversationId: second.conv.id })).error.code, 'conversation_ended');
  await call(m, 'monitor.stop', { agentId: c.id.ann });
  await closeAll(a, b, m, adm, first.v.socket, second.v.socket);
});

test.serial(
  `TOOLBAR-UNREAD-3 visitor messages count as unread for the serving agent until read; a monitor's reading changes nothing for the agent (${driver})`,
  async (t) => {
    const [a, m] = [await online(c.k, 'ann'), await online(c.k, 'mon')];
    t.true((await call(m, 'monitor.start', { agentId: c.id.ann })).ok);
    const { v, conv } = await served(c.k, a);
    let last = 0;
    for (const text of ['one', 'two', 'three'])
      last = (await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text })).message.seq;
    await call(a, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: 'my own reply never counts' });
    const unread = async () => (await call(a, 'workbench.snapshot', {})).unread[String(conv.id)] ?? 0;
    t.is(await unread(), 3);
    t.true((await call(m, 'conversation.read', { conversationId: conv.id, seq: last })).ok);
    t.is(await unread(), 3, 'monitoring marks nothing read for the agent');
    t.true((await call(a, 'conversation.read', { conversationId: conv.id, seq: last - 1 })).ok);
    t.is(await unread(), 1);
    t.true((await call(a, 'conversation.read', { conversationId: conv.id, seq: last })).ok);
    t.is(await unread(), 0);
    t.true((await call(a, 'conversation.read', { conversationId: conv.id, seq: 1 })).ok);
    t.is(await unread(), 0, 'reading an older seq never brings messages back');
    await call(m, 'monitor.stop', { agentId: c.id.ann });
    await closeAll(a, m, v.socket);
  },
);
