import test from 'ava';
import { call, next } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, online, startCollab } from './helpers/collab.ts';

/** What the workbench's idle rule and network indicator ask of the server (OTHERSET-IDLE-9, DISPLAY-NETWORK-4). */
let c: CollabKefu;
test.before(async () => {
  c = await startCollab();
});
test.after.always(() => c?.k.close());

const logOf = async (agentId: number) =>
  (await c.k.server.db('agent_status_log').where({ agent_id: agentId }).orderBy('id').select('old_status', 'new_status', 'reason')).map((r: any) => [
    r.old_status,
    r.new_status,
    r.reason,
  ]);

test.serial(`OTHERSET-IDLE-9 TOOLBAR-STATUSLOG-15 the idle rule's away and return are logged with reason idle and reach colleagues (${driver})`, async (t) => {
  const eve = await online(c.k, 'eve', 'busy');
  const ann = await online(c.k, 'ann');
  const seen = next(ann, 'presence.changed', (m) => m.agentId === c.id.eve && m.status === 'away');
  const self = next(eve, 'presence.self', (m) => m.status === 'away');
  const away = await call(eve, 'presence.set', { status: 'away', reason: 'idle' });
  t.true(away.ok, JSON.stringify(away));
  await seen;
  t.is((await self).reason, 'idle', 'the console learns why');
  t.true((await call(eve, 'presence.set', { status: 'busy', reason: 'idle' })).ok);
  // A manual change without a reason stays `manual`.
  t.true((await call(eve, 'presence.set', { status: 'online' })).ok);
  t.deepEqual((await logOf(c.id.eve)).slice(-3), [
    ['busy', 'away', 'idle'],
    ['away', 'busy', 'idle'],
    ['busy', 'online', 'manual'],
  ]);
  await closeAll(eve, ann);
});

test.serial(`OTHERSET-IDLE-9 idleness never makes an admin invisible; an unknown reason is a field error (${driver})`, async (t) => {
  const boss = await online(c.k, 'boss');
  const invisible = await call(boss, 'presence.set', { status: 'invisible', reason: 'idle' });
  t.is(invisible.error.code, 'status_not_allowed');
  t.is((await call(boss, 'presence.set', { status: 'away', reason: 'sleepy' })).error.code, 'validation_failed');
  t.is((await c.k.server.db('agent_presence').where({ agent_id: c.id.boss }).first('status')).status, 'online');
  await closeAll(boss);
});

test.serial(`DISPLAY-NETWORK-4 ping answers at once over the console's connection (${driver})`, async (t) => {
  const ann = await online(c.k, 'ann');
  const started = performance.now();
  const r = await call(ann, 'ping', {});
  t.true(r.ok, JSON.stringify(r));
  t.true(performance.now() - started < 1000);
  t.is((await call(ann, 'ping', { extra: 1 })).error.code, 'validation_failed', 'the payload is strict');
  await closeAll(ann);
});
