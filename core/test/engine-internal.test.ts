import crypto from 'node:crypto';
import test from 'ava';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { call, next } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, online, startCollab } from './helpers/collab.ts';

/** Agent-to-agent chat: recall, monitoring, history pages and limits (SPEC INTERNAL). */
let c: CollabKefu;
const uuid = () => crypto.randomUUID();

test.before(async () => {
  c = await startCollab();
});
test.after.always(() => c?.k.close());

test.serial(
  `INTERNAL-RECALL-10 the sender recalls within 2 minutes; both sides see it replaced and its text is gone; later → recall_window_passed (${driver})`,
  async (t) => {
    const [a, b, cat] = [await online(c.k, 'ann'), await online(c.k, 'bob'), await online(c.k, 'cat')];
    const sent = await call(a, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), text: 'wrong price: 99' });
    t.is((await call(b, 'internal.unread')).total, 1);
    t.is((await call(b, 'internal.recall', { messageId: sent.message.id })).error.code, 'not_found', 'only the sender may recall');
    t.is((await call(cat, 'internal.recall', { messageId: sent.message.id })).error.code, 'not_found');
    const bobSees = next(b, 'internal.recalled', (m) => m.message.id === sent.message.id);
    const r = await call(a, 'internal.recall', { messageId: sent.message.id });
    t.truthy(r.message.recalledAt);
    t.is(r.message.text, null);
    t.like((await bobSees).message, { id: sent.message.id, text: null });
    const row = await c.k.server.db('internal_messages').where({ id: sent.message.id }).first('text', 'payload', 'recalled_at');
    t.like(row, { text: null, payload: null });
    t.truthy(row.recalled_at);
    t.is((await call(b, 'internal.unread')).total, 0, 'a recalled unread message no longer counts');
    const history = await call(b, 'internal.history', { withAgentId: c.id.ann });
    t.like(
      history.messages.find((m: any) => m.id === sent.message.id),
      { text: null },
      'it keeps its place in the thread',
    );

    const later = await call(a, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), text: 'kept' });
    c.shift(2 * 60_000 + 1000);
    try {
      t.is((await call(a, 'internal.recall', { messageId: later.message.id })).error.code, 'recall_window_passed');
    } finally {
      c.shift(0);
    }
    t.is((await c.k.server.db('internal_messages').where({ id: later.message.id }).first('text')).text, 'kept');
    t.is((await call(a, 'internal.recall', { messageId: 'x' })).error.code, 'validation_failed');
    await closeAll(a, b, cat);
  },
);

test.serial(`INTERNAL-MONITOR-11 a monitor receives the watched agent's internal messages live, only while monitoring (${driver})`, async (t) => {
  const [a, b, m] = [await online(c.k, 'ann'), await online(c.k, 'bob'), await online(c.k, 'mon')];
  const before = none(m, 'internal.monitored', () => true, 400);
  await call(a, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), text: 'before monitoring' });
  t.true(await before, 'nothing from before 监控客服');
  t.true((await call(m, 'monitor.start', { agentId: c.id.ann })).ok);
  const out = next(m, 'internal.monitored', (e) => e.message.text === 'ann to bob');
  await call(a, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), text: 'ann to bob' });
  t.like(await out, { watchedAgentId: c.id.ann, event: 'internal.message' });
  const inbound = next(m, 'internal.monitored', (e) => e.message.text === 'bob to ann');
  await call(b, 'internal.send', { toAgentId: c.id.ann, clientId: uuid(), text: 'bob to ann' });
  t.like(await inbound, { watchedAgentId: c.id.ann });
  t.is(Number((await c.k.server.db('internal_messages').where({ to_agent_id: c.id.mon }).count('* as n').first())!.n), 0, 'nothing stored for the monitor');
  t.true((await call(m, 'monitor.stop', { agentId: c.id.ann })).ok);
  const after = none(m, 'internal.monitored', () => true, 400);
  await call(a, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), text: 'after monitoring' });
  t.true(await after, 'nothing after 取消监控');
  await closeAll(a, b, m);
});

test.serial(`INTERNAL-HISTORY-9 a thread pages back 50 at a time without gaps or duplicates; nobody else reads it (${driver})`, async (t) => {
  const [a, b, adm] = [await online(c.k, 'ann'), await online(c.k, 'bob'), await online(c.k, 'admin')];
  await c.k.server.db('internal_messages').where({ company_id: c.k.company.id }).delete();
  const texts = Array.from({ length: 120 }, (_, i) => `m${i}`);
  await c.k.server.db('internal_messages').insert(
    texts.map((text, i) => ({
      company_id: c.k.company.id,
      from_agent_id: i % 2 ? c.id.ann : c.id.bob,
      to_agent_id: i % 2 ? c.id.bob : c.id.ann,
      client_id: uuid(),
      text,
      created_at: new Date(Date.now() - (120 - i) * 1000),
    })),
  );
  const seen: string[] = [];
  let page = await call(b, 'internal.history', { withAgentId: c.id.ann });
  t.is(page.messages.length, 50);
  // A new message arriving meanwhile does not shift the pages.
  await call(a, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), text: 'new' });
  for (;;) {
    seen.unshift(...page.messages.map((m: any) => m.text));
    if (!page.hasMore) break;
    page = await call(b, 'internal.history', { withAgentId: c.id.ann, before: page.messages[0].id });
  }
  t.deepEqual(seen, texts);
  const adminView = await call(adm, 'internal.history', { withAgentId: c.id.bob });
  t.deepEqual(adminView.messages, [], "an admin's own thread with bob holds none of ann's messages");
  await closeAll(a, b, adm);
});

test.serial(`INTERNAL-LIMITS-12 30 messages per 10 s, disabled colleagues refuse sends but stay readable, no visitor filter applies (${driver})`, async (t) => {
  const [a, b] = [await online(c.k, 'ann'), await online(c.k, 'bob')];
  // The earlier tests' messages are within the window: start from none.
  await c.k.server.db('internal_messages').where({ company_id: c.k.company.id }).delete();
  // A visitor-message filter that stops everything never sees internal messages.
  const dispose = c.k.server.container
    .resolve(HookRegistry)
    .addFilter('message.beforeSend', () => ({ stop: true as const, reason: 'nothing passes' }), { owner: 'core' });
  try {
    const results = [];
    for (let i = 0; i < 31; i++) results.push(await call(a, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), text: `burst ${i}` }));
    t.true(
      results.slice(0, 30).every((r) => r.ok),
      'message.beforeSend does not apply',
    );
    t.is(results[30].error.code, 'rate_limited');
  } finally {
    dispose();
  }
  await c.k.server.db('agents').where({ id: c.id.cat }).update({ disabled_at: new Date() });
  try {
    const refused = await call(b, 'internal.send', { toAgentId: c.id.cat, clientId: uuid(), text: 'hello?' });
    t.is(refused.error.code, 'agent_disabled');
    t.true((await call(b, 'internal.history', { withAgentId: c.id.cat })).ok, 'the thread stays readable');
  } finally {
    await c.k.server.db('agents').where({ id: c.id.cat }).update({ disabled_at: null });
  }
  await closeAll(a, b);
});
