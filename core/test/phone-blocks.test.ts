import path from 'node:path';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { normalizePhone } from '@kefu/core/plugin';
import { addAgent, setPermissions, signIn } from './helpers/accounts.ts';

/** The phone blacklist (DISPLAY-PHONEBLOCK-16), with a test call-back plugin that declares it uses the list. */
const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';
let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer({ KEFU_PLUGINS_DIR: path.join(import.meta.dirname, 'fixtures', 'phone-plugins') });
  admin = await k.login();
});
test.after.always(() => k?.close());

const permissionNames = async () => (await admin.get('/api/permissions')).body.permissions.map((p: any) => p.name);
const callback = (phone: string) => admin.post('/api/p/testcallback/request', { phone });

test.serial('DISPLAY-PHONEBLOCK-16 numbers are normalised to E.164 like the agents’ service numbers', (t) => {
  t.is(normalizePhone('138 0013 8000'), '+8613800138000');
  t.is(normalizePhone('010-12345678-801'), '+861012345678', 'a landline keeps its area code, not the extension');
  t.is(normalizePhone('(0755) 8765 4321'), '+8675587654321');
  t.is(normalizePhone('+1 (415) 555-0100'), '+14155550100');
  t.is(normalizePhone('+86 138-0013-8000'), '+8613800138000');
  t.is(normalizePhone('12345'), null);
  t.is(normalizePhone('12800138000'), null, 'not a mobile prefix');
  t.is(normalizePhone('call me'), null);
});

test.serial(
  `DISPLAY-PHONEBLOCK-16 the section and the phone.block permission exist only while a plugin using the blacklist is enabled (${driver})`,
  async (t) => {
    t.false((await permissionNames()).includes('phone.block'));
    const off = await admin.get('/api/phone-blocks');
    t.is(off.status, 404);
    t.is(off.body.error.code, 'phone_blacklist_unavailable');

    t.is((await admin.post('/api/plugins/testcallback/enable', {})).status, 200);
    t.true((await permissionNames()).includes('phone.block'));
    t.like((await admin.get('/api/phone-blocks')).body, { items: [], total: 0, limit: 5000 });

    const ann = await addAgent(admin, 'ann');
    const annClient = await signIn(k, 'ann');
    t.is((await annClient.get('/api/phone-blocks')).status, 403, 'agents need phone.block');
    await setPermissions(admin, ann.id, ['phone.block']);
    t.is((await annClient.get('/api/phone-blocks')).status, 200, 'a holder uses it like an admin');

    t.is((await admin.post('/api/plugins/testcallback/disable', {})).status, 200);
    t.false((await permissionNames()).includes('phone.block'));
    t.is((await annClient.get('/api/phone-blocks')).body.error.code, 'phone_blacklist_unavailable');
    t.is((await admin.post('/api/plugins/testcallback/enable', {})).status, 200);
  },
);

test.serial(`DISPLAY-PHONEBLOCK-16 add, search, delete; a listed number is refused to the plugin with a neutral text and counted (${driver})`, async (t) => {
  const added = await admin.post('/api/phone-blocks', { number: '138 0013 8000', note: '骚扰电话' });
  t.is(added.status, 201, added.text);
  const nickname = (await admin.get('/api/profile')).body.nickname;
  t.like(added.body, { number: '+8613800138000', note: '骚扰电话', hits: 0, endsAt: null, lastHitAt: null });
  t.is(added.body.createdBy.nickname, nickname, 'who added it');
  t.truthy(Date.parse(added.body.createdAt));

  const bad = await admin.post('/api/phone-blocks', { number: '12345' });
  t.is(bad.status, 400);
  t.like(bad.body.error.fields[0], { path: 'number', code: 'invalid_phone' });
  const dup = await admin.post('/api/phone-blocks', { number: '+86 13800138000' });
  t.is(dup.status, 409);
  t.is(dup.body.error.code, 'duplicate_entry', 'the same number however written');
  t.is(
    (await admin.post('/api/phone-blocks', { number: '13900139000', endsAt: new Date(Date.now() - 1000).toISOString() })).body.error.fields[0].code,
    'end_in_past',
  );

  t.like(await callback('13800138000').then((r) => r.body), { accepted: false, text: '暂时无法提交回拨请求' });
  t.like(await callback('+86 138 0013 8000').then((r) => r.body), { accepted: false });
  t.like(await callback('13900139000').then((r) => r.body), { accepted: true });
  const listed = (await admin.get('/api/phone-blocks?q=0013')).body;
  t.is(listed.total, 1);
  t.is(listed.items[0].hits, 2, 'each refused request counts');
  t.truthy(listed.items[0].lastHitAt);
  t.is((await admin.get(`/api/phone-blocks?q=${encodeURIComponent('骚扰')}`)).body.total, 1, 'the note is searched too');
  t.is((await admin.get('/api/phone-blocks?q=99999')).body.total, 0);

  // An entry past its end no longer blocks.
  const ending = await admin.post('/api/phone-blocks', { number: '13700137000', endsAt: new Date(Date.now() + 60_000).toISOString() });
  t.like(await callback('13700137000').then((r) => r.body), { accepted: false });
  await k.server
    .db('phone_blocks')
    .where({ id: ending.body.id })
    .update({ ends_at: new Date(Date.now() - 1000) });
  t.like(await callback('13700137000').then((r) => r.body), { accepted: true });

  t.is((await admin.del(`/api/phone-blocks/${added.body.id}`)).status, 200);
  t.is((await admin.del(`/api/phone-blocks/${added.body.id}`)).status, 404);
  t.like(await callback('13800138000').then((r) => r.body), { accepted: true });
});

test.serial(`DISPLAY-PHONEBLOCK-16 paste many: good lines are added, the others reported by line; at most 5,000 (${driver})`, async (t) => {
  const text = ['13600136000, 刷单', '', 'not a number', '13600136000', '021-87654321', '+44 20 7946 0958\t英国'].join('\n');
  const r = await admin.post('/api/phone-blocks/bulk', { text, note: '批量' });
  t.is(r.status, 200, r.text);
  t.is(r.body.added, 3);
  t.deepEqual(r.body.errors, [
    { line: 3, value: 'not a number', code: 'invalid_phone' },
    { line: 4, value: '13600136000', code: 'duplicate_entry' },
  ]);
  const items = (await admin.get('/api/phone-blocks?pageSize=100')).body.items;
  t.like(
    items.find((x: any) => x.number === '+8613600136000'),
    { note: '刷单' },
  );
  t.like(
    items.find((x: any) => x.number === '+862187654321'),
    { note: '批量' },
    'the shared note for lines without their own',
  );
  t.like(
    items.find((x: any) => x.number === '+442079460958'),
    { note: '英国' },
  );

  const have = (await admin.get('/api/phone-blocks')).body.total;
  const many = Array.from({ length: 5000 - have + 2 }, (_, i) => `135${String(i).padStart(8, '0')}`).join('\n');
  const full = await admin.post('/api/phone-blocks/bulk', { text: many });
  t.is(full.body.added, 5000 - have);
  t.deepEqual(
    full.body.errors.map((e: any) => e.code),
    ['phone_block_limit', 'phone_block_limit'],
  );
  t.is((await admin.get('/api/phone-blocks')).body.total, 5000);
  const more = await admin.post('/api/phone-blocks', { number: '13300133000' });
  t.is(more.status, 409);
  t.is(more.body.error.code, 'phone_block_limit');
});
