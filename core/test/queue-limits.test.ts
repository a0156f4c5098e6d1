import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

const clock = { ahead: 0, now: () => new Date(Date.now() + clock.ahead) };
let k: TestKefu;
let admin: TestClient;
let ann: Socket;
let annId: number;
/** Visitors the member-sso plugin would mark 优先 through `visitor.routing` (SSO-ROUTING-13). */
const priority = new Set<number>();
const PATH = '/api/settings/assignment';

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
  // Ann alone takes chats, one at a time, so every later request waits.
  annId = (await addAgent(admin, 'ann', { permissions: ['conversation.accept'], name: 'Ann' })).id;
  await k.server.db('agents').where({ id: annId }).update({ max_chats: 1 });
  ann = await agentSocket(k.url, await signIn(k, 'ann'));
  k.server.container
    .resolve(HookRegistry)
    .addFilter('visitor.routing', (v) => (priority.has(v.visitor.id) ? { ...v, priority: true } : undefined), { owner: 'core' });
});
test.after.always(async () => {
  ann?.close();
  await k?.close();
});

const save = async (patch: Record<string, unknown>) => {
  const current = (await admin.get(PATH)).body;
  return admin.put(PATH, { version: current.version, settings: { ...current.settings, ...patch } });
};
const row = (id: number) => k.server.db('conversations').where({ id }).first();
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A visitor who opened a page in `language` and asked for a chat. */
async function visitor(language = 'zh-CN') {
  const v = await visitorSocket(k.url, k.company.publicId);
  await call(v.socket, 'page.view', { url: 'https://shop.example/cart', language });
  return v;
}
async function requested(language?: string) {
  const v = await visitor(language);
  const r = await call(v.socket, 'chat.request', {});
  return { ...v, r, id: r.conversation?.id as number };
}

/** Ends every open chat, so each test starts with Ann free and nobody waiting. */
async function reset() {
  await k.server.db('conversations').where({ company_id: k.company.id }).whereNot('status', 'ended').update({ status: 'ended', ended_at: new Date() });
}

test.serial('ASSIGN-SCREEN-16 ASSIGN-OVERFLOW-10 the queue limit, its text and the maximum wait are settings with field errors', async (t) => {
  const current = (await admin.get(PATH)).body;
  t.like(current.settings, { maxQueue: 50, maxWaitSeconds: 600, queueFullText: {} });
  const bad = await admin.put(PATH, {
    version: current.version,
    settings: { ...current.settings, maxQueue: 501, maxWaitSeconds: 3601, queueFullText: { en: '', xx: 'no' } },
  });
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), [
    'settings.maxQueue',
    'settings.maxWaitSeconds',
    'settings.queueFullText.en',
    'settings.queueFullText.xx',
  ]);
  const ok = await save({ maxQueue: 0, maxWaitSeconds: 0, queueFullText: { en: 'Too busy: write to us' } });
  t.is(ok.status, 200, ok.text);
  t.like(ok.body.settings, { maxQueue: 0, maxWaitSeconds: 0, queueFullText: { en: 'Too busy: write to us' } });
});

test.serial('ASSIGN-OVERFLOW-10 beyond the limit a request gets the leave-message text and nothing waits; 0 = never queue', async (t) => {
  await reset();
  t.is((await save({ maxQueue: 0, maxWaitSeconds: 600 })).status, 200);
  const first = await requested();
  t.true(first.r.ok, 'a free agent takes it even with 0 = never queue');
  t.is(first.r.conversation.status, 'active');

  const refused = await requested('en');
  t.is(refused.r.conversation, undefined);
  t.like(refused.r.error, { code: 'queue_full', message: 'Too busy: write to us', leaveMessage: true });
  const zh = await requested('zh-CN');
  t.is(zh.r.error.message, '当前咨询人数较多,请您留言,我们会尽快回复。', 'the built-in text in the visitor’s language');
  t.is((await k.server.db('conversations').where({ company_id: k.company.id, status: 'queued' })).length, 0, 'nothing was queued');

  t.is((await save({ maxQueue: 2 })).status, 200);
  const waiting = [await requested(), await requested()];
  t.true(waiting.every((w) => w.r.ok && w.r.conversation.status === 'queued'));
  const third = await requested('en');
  t.is(third.r.error?.code, 'queue_full', 'the third waiting request is beyond 2');
  for (const v of [first, refused, zh, ...waiting, third]) v.socket.close();
});

test.serial('ASSIGN-QUEUE-8 ASSIGN-POSITION-9 priority visitors wait ahead of earlier ones; the freed agent takes them first', async (t) => {
  await reset();
  t.is((await save({ maxQueue: 50 })).status, 200);
  const busy = await requested();
  t.is(busy.r.conversation.status, 'active');
  const plain = await requested();
  t.is(plain.r.position, 1);
  const vip = await visitor();
  priority.add(Number((await k.server.db('visitors').where({ company_id: k.company.id, number: vip.visitorNumber }).first('id')).id));
  const pushed = next(plain.socket, 'queue.position', (m) => m.conversationId === plain.id && m.position === 2);
  const vipReq = await call(vip.socket, 'chat.request', {});
  t.is(vipReq.position, 1, 'the priority request is first although it came later');
  t.is((await pushed).position, 2, 'the earlier visitor is told they moved back');

  const assigned = next(vip.socket, 'conversation.updated', (m) => m.conversation.status === 'active');
  t.true((await call(busy.socket, 'chat.end', { conversationId: busy.id })).ok);
  t.is((await assigned).conversation.agentId, annId);
  t.is((await row(plain.id)).status, 'queued', 'the plain request still waits');
  priority.clear();
  for (const v of [busy, plain, vip]) v.socket.close();
});

test.serial('ASSIGN-LEAVE-11 CONV-QUEUE-7 取消排队 and 留言 end the request at once with queue_left; the others move up', async (t) => {
  await reset();
  const busy = await requested();
  const a = await requested();
  const b = await requested();
  t.is(b.r.position, 2);
  const movedUp = next(b.socket, 'queue.position', (m) => m.conversationId === b.id && m.position === 1, 1000);
  const left = await call(a.socket, 'queue.leave', { conversationId: a.id });
  t.true(left.ok, JSON.stringify(left));
  t.like(left.conversation, { status: 'ended', endReason: 'queue_left' });
  await movedUp;
  const viaForm = await call(b.socket, 'queue.leave', { conversationId: b.id, leaveMessage: true });
  t.like(viaForm.conversation, { status: 'ended', endReason: 'queue_left' }, '留言 before the maximum wait is leaving the queue');
  t.like(await row(b.id), { ended_by: 'visitor', end_reason: 'queue_left' });
  const notWaiting = await call(busy.socket, 'queue.leave', { conversationId: busy.id });
  t.is(notWaiting.error?.code, 'not_queued', 'a chat an agent has is not ended by leaving the queue');
  t.is((await row(busy.id)).status, 'active');
  for (const v of [busy, a, b]) v.socket.close();
});

test.serial(
  'ASSIGN-OVERFLOW-10 at the maximum wait the visitor is asked; 继续等待 gives one more period, silence or 留言 ends with queue_timeout',
  async (t) => {
    await reset();
    t.is((await save({ maxWaitSeconds: 60 })).status, 200);
    const busy = await requested();
    const keeps = await requested();
    const silent = await requested();
    const writes = await requested();
    t.is((await call(keeps.socket, 'queue.continue', { conversationId: keeps.id })).error?.code, 'not_asked', 'nothing to answer yet');

    const asked = [keeps, silent, writes].map((v) => next(v.socket, 'queue.prompt', (m) => m.conversationId === v.id, 3000));
    clock.ahead += 61_000;
    for (const p of await Promise.all(asked)) t.true(Date.parse(p.answerBy) > clock.now().getTime() + 50_000, 'the answer is awaited one more period');
    t.is((await row(keeps.id)).status, 'queued', 'asking ends nothing');

    clock.ahead += 30_000; // half way through the time to answer
    const kept = await call(keeps.socket, 'queue.continue', { conversationId: keeps.id });
    t.true(kept.ok, JSON.stringify(kept));
    const wrote = await call(writes.socket, 'queue.leave', { conversationId: writes.id, leaveMessage: true });
    t.like(wrote.conversation, { status: 'ended', endReason: 'queue_timeout' }, '留言 as the answer is a timeout');

    const silentEnds = next(silent.socket, 'conversation.updated', (m) => m.conversation.status === 'ended', 3000);
    clock.ahead += 31_000;
    t.like((await silentEnds).conversation, { id: silent.id, endReason: 'queue_timeout' });
    t.like(await row(silent.id), { ended_by: 'system', end_reason: 'queue_timeout' });
    t.is((await row(keeps.id)).status, 'queued', 'the one who chose to wait keeps waiting');
    t.is((await call(keeps.socket, 'queue.continue', { conversationId: keeps.id })).error?.code, 'not_asked', '继续等待 only once');

    const keptEnds = next(keeps.socket, 'conversation.updated', (m) => m.conversation.status === 'ended', 3000);
    clock.ahead += 30_000; // 60 s after 继续等待
    t.like((await keptEnds).conversation, { id: keeps.id, endReason: 'queue_timeout' });
    t.is((await row(busy.id)).status, 'active', 'the served chat is not touched');
    for (const v of [busy, keeps, silent, writes]) v.socket.close();
    t.is((await save({ maxWaitSeconds: 600 })).status, 200);
  },
);

test.serial('ASSIGN-LEAVE-11 a closed window keeps the place 30 s: back in time it still waits, otherwise queue_left', async (t) => {
  await reset();
  const busy = await requested();
  const gone = await requested();
  const returns = await requested();
  gone.socket.close();
  returns.socket.close();
  await until(
    async () => (await row(returns.id)).queue_away_until,
    (v) => !!v,
  );
  t.truthy((await row(gone.id)).queue_away_until, 'the place is kept, not given up');
  t.is((await row(gone.id)).status, 'queued');
  const back = await visitorSocket(k.url, k.company.publicId, returns.token);
  t.is(back.conversation.id, returns.id, 'coming back finds the same request');
  await until(
    async () => (await row(returns.id)).queue_away_until,
    (v) => !v,
  );
  clock.ahead += 31_000;
  const ended = await until(
    () => row(gone.id),
    (r) => r.status === 'ended',
  );
  t.like(ended, { end_reason: 'queue_left', ended_by: 'system' });
  t.is((await row(returns.id)).status, 'queued', 'the visitor who came back keeps waiting');
  t.is((await row(returns.id)).queue_away_until, null);
  back.socket.close();
  busy.socket.close();
});
