import path from 'node:path';
import test from 'ava';
import { io } from 'socket.io-client';
import { startTestServer, type TestKefu, type TestClient } from '@kefu/core/testing';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { calls } from './fixtures/plugins/hello/server/index.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'plugins');
let k: TestKefu;
let adminA: TestClient;
let adminB: TestClient;
let companyB: { publicId: number };

test.before(async () => {
  k = await startTestServer({ KEFU_PLUGINS_DIR: fixtures, KEFU_OPERATOR_TOKEN: 'operator-token-for-tests-0123456789' });
  companyB = await k.createCompany('Beta');
  adminA = await k.login();
  adminB = await k.login('admin', undefined, companyB.publicId);
});
test.after.always(() => k?.close());

test.serial('a plugin whose migration fails stays off and is reported; the server keeps serving', async (t) => {
  const r = await adminA.get('/api/plugins');
  t.is(r.status, 200);
  const broken = r.body.items.find((p: any) => p.id === 'broken');
  t.is(broken.status, 'failed');
  t.truthy(broken.error);
  const orphan = r.body.items.find((p: any) => p.id === 'orphan');
  t.is(orphan.status, 'failed');
  t.regex(orphan.error, /nowhere/);
  t.is((await adminA.post('/api/plugins/broken/enable', {})).body.error.code, 'plugin_not_running');
  t.is((await adminA.get('/api/p/broken/anything')).status, 404);
  t.is((await k.client().get('/healthz')).status, 200);
});

test.serial('unknown plugin id answers 404 not_found', async (t) => {
  const r = await adminA.post('/api/plugins/nosuch/enable', {});
  t.is(r.status, 404);
  t.is(r.body.error.code, 'not_found');
});

test.serial('enabled for one company and not another, at run time; install runs on first enable only', async (t) => {
  t.is((await adminA.get('/api/p/hello/items')).body.error.code, 'plugin_disabled');
  t.is((await adminA.post('/api/plugins/hello/enable', {})).status, 200);
  const a = await adminA.get('/api/p/hello/items');
  t.is(a.status, 200);
  t.deepEqual(a.body.names, ['seeded']);
  const b = await adminB.get('/api/p/hello/items');
  t.is(b.status, 404);
  t.is(b.body.error.code, 'plugin_disabled');
  t.is((await adminA.post('/api/plugins/hello/disable', {})).status, 200);
  t.is((await adminA.get('/api/p/hello/items')).body.error.code, 'plugin_disabled');
  await adminA.post('/api/plugins/hello/enable', {});
  t.deepEqual((await adminA.get('/api/p/hello/items')).body.names, ['seeded'], 'data kept, install not repeated');
  t.deepEqual(calls.installs, [k.company.id]);
  const me = await adminA.get('/api/auth/me');
  t.true(me.body.plugins.includes('hello'));
  t.false((await adminB.get('/api/auth/me')).body.plugins.includes('hello'));
});

test.serial('plugin permissions appear in the editor only while the plugin is enabled', async (t) => {
  const a = await adminA.get('/api/permissions');
  t.true(a.body.permissions.some((p: any) => p.name === 'hello.use' && p.plugin === 'hello'));
  const b = await adminB.get('/api/permissions');
  t.false(b.body.permissions.some((p: any) => p.name === 'hello.use'));
});

test.serial('an expired licence behaves as disabled (BILLING-REMAIN-3)', async (t) => {
  const op = k.client();
  op.bearer = 'operator-token-for-tests-0123456789';
  const bad = await op.put(`/api/operator/companies/${companyB.publicId}/plugins/hello`, { enabled: true, startsOn: '2026-01-10', expiresOn: '2026-01-01' });
  t.is(bad.status, 400);
  t.is(bad.body.error.fields[0].path, 'expiresOn');
  t.is((await op.put(`/api/operator/companies/${companyB.publicId}/plugins/hello`, { enabled: true, expiresOn: '2020-01-01' })).status, 200);
  t.is((await adminB.get('/api/p/hello/items')).body.error.code, 'plugin_disabled');
  t.is((await op.put(`/api/operator/companies/${companyB.publicId}/plugins/hello`, { enabled: true, expiresOn: '2999-12-31' })).status, 200);
  t.is((await adminB.get('/api/p/hello/items')).status, 200);
  t.is((await k.client().put(`/api/operator/companies/${companyB.publicId}/plugins/hello`, { enabled: false })).status, 401);
  await op.put(`/api/operator/companies/${companyB.publicId}/plugins/hello`, { enabled: false });
});

test.serial('plugin actions fire only for companies that enabled the plugin', async (t) => {
  calls.logins.length = 0;
  await k.login();
  await k.login('admin', undefined, companyB.publicId);
  t.is(calls.logins.length, 1);
});

test.serial('socket events of a plugin are dispatched, validated, and refused when disabled', async (t) => {
  const emit = async (client: TestClient, event: string, payload: unknown) => {
    const s = io(k.url + '/agent', { extraHeaders: { cookie: client.cookie }, transports: ['websocket'] });
    try {
      return await s.timeout(3000).emitWithAck(event, payload);
    } finally {
      s.close();
    }
  };
  t.deepEqual(await emit(adminA, 'hello:ping', { n: 3 }), { ok: true, pong: 3, companyId: k.company.id });
  t.is((await emit(adminA, 'hello:ping', { n: 'x' })).error.code, 'validation_failed');
  t.is((await emit(adminB, 'hello:ping', { n: 1 })).error.code, 'plugin_disabled');
  t.is((await emit(adminA, 'hello:nope', {})).error.code, 'unknown_event');
});

test.serial('cron jobs are named <plugin>:<job> and never overlap on a node', async (t) => {
  const cron = k.server.container.resolve(CronSupervisor);
  t.true(cron.names().includes('hello:tick'));
  const before = calls.ticks;
  const [a, b] = await Promise.all([cron.runOnce('hello:tick'), cron.runOnce('hello:tick')]);
  t.deepEqual([a, b].sort(), [false, true]);
  t.is(calls.ticks, before + 1);
});

test.serial('uninstall rolls back the plugin migrations and removes its routes', async (t) => {
  const op = k.client();
  op.bearer = 'operator-token-for-tests-0123456789';
  t.is((await op.post('/api/operator/plugins/hello/uninstall', {})).status, 200);
  const exists = await k.server.db.raw("select count(*)::int as n from information_schema.tables where table_name = 'hello_items'");
  t.is(exists.rows[0].n, 0);
  t.is((await adminA.get('/api/p/hello/items')).status, 404);
  const list = await adminA.get('/api/plugins');
  t.is(list.body.items.find((p: any) => p.id === 'hello').status, 'uninstalled');
});
