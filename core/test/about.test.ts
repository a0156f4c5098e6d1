import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';

const COMMIT = '0123456789ab';
let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer({ KEFU_BUILD_COMMIT: COMMIT });
  admin = await k.login();
});
test.after.always(() => k?.close());

test.serial('MENU-ABOUT-5 关于 names the product, version, build commit, licence and the enabled plugins with their versions', async (t) => {
  await addAgent(admin, 'ann');
  const ann = await signIn(k, 'ann');
  const before = await ann.get('/api/about');
  t.is(before.status, 200, before.text);
  t.like(before.body, { product: 'Kefu', version: '0.1.0', commit: COMMIT, licence: { name: 'MIT', url: '/api/about/licence' }, plugins: [] });
  t.is(before.body.system, null, 'the database and nodes are for admins only');

  t.is((await admin.post('/api/plugins/otp/enable', {})).status, 200);
  const after = await ann.get('/api/about');
  t.deepEqual(
    after.body.plugins.map((p: any) => [p.id, p.name.en, p.version]),
    [['otp', 'Dynamic password', '0.1.0']],
  );
  t.is((await k.client().get('/api/about')).status, 401);
});

test.serial('MENU-ABOUT-5 the bundled licence text is served by the server itself', async (t) => {
  const r = await k.client().get('/api/about/licence');
  t.is(r.status, 200);
  t.regex(r.headers.get('content-type') ?? '', /^text\/plain/);
  t.regex(r.text, /^MIT License/);
  t.regex(r.text, /Permission is hereby granted, free of charge/);
});

test.serial('MENU-ABOUT-5 admins see the database kind and the nodes; nodes on different versions raise the warning', async (t) => {
  const about = async () => (await admin.get('/api/about')).body.system;
  const mine = await about();
  t.is(mine.database, process.env.KEFU_TEST_PG ? 'postgresql' : 'embedded');
  t.is(mine.nodes.length, 1, 'this node beats its row at start');
  t.like(mine.nodes[0], { version: '0.1.0', commit: COMMIT });
  t.false(mine.mixedVersions);

  // A second node mid rolling-restart on the next version, and one gone silent a minute ago.
  const now = Date.now();
  await k.server.db('cluster_nodes').insert([
    { id: crypto.randomUUID(), version: '0.2.0', commit: 'fedcba987654', started_at: new Date(now), seen_at: new Date(now) },
    { id: crypto.randomUUID(), version: '0.0.9', commit: null, started_at: new Date(now - 600_000), seen_at: new Date(now - 60_000) },
  ]);
  const mixed = await about();
  t.deepEqual(
    mixed.nodes.map((n: any) => n.version),
    ['0.1.0', '0.2.0'],
    'the silent node is not counted',
  );
  t.true(mixed.mixedVersions);
});

test.serial('MENU-CONTACT-3 without a configured contact the API says so; the operator’s contact is served to anyone', async (t) => {
  t.deepEqual((await k.client().get('/api/support-contact')).body, { contact: null });
  const other = await startTestServer({ KEFU_SUPPORT_EMAIL: 'help@host.example', KEFU_SUPPORT_PHONE: '+86 400 800 1234' });
  try {
    t.deepEqual((await other.client().get('/api/support-contact')).body, {
      contact: { url: null, email: 'help@host.example', phone: '+86 400 800 1234' },
    });
  } finally {
    await other.close();
  }
});
