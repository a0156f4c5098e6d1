import test from 'ava';
import { startTestServer, type TestKefu, type TestClient } from '@kefu/core/testing';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
let admin: TestClient;
test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(() => k?.close());

test.serial('VISITOR-BLOCK-13 DISPLAY-BLOCKVISITOR-12 blocking a visitor ends its chat, hides it and refuses new chats; removal restores it', async (t) => {
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  await call(v.socket, 'page.view', { url: 'https://shop.example/' });
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const { conversation } = await call(v.socket, 'chat.request', {});
  await assigned;
  const ended = next(v.socket, 'conversation.updated', (m) => m.conversation.status === 'ended');
  const r = await admin.post(`/api/visitors/${conversation.visitorId}/block`, { kind: 'visitor', note: 'spam' });
  t.is(r.status, 201);
  t.is((await ended).conversation.endReason, 'blocked');
  t.is((await call(v.socket, 'chat.request', {})).error.code, 'visitor_blocked');
  const snap = await call(agent, 'workbench.snapshot', {});
  t.false(
    snap.visitors.some((x: any) => x.id === conversation.visitorId),
    'hidden from the visitor list',
  );
  t.is((await call(v.socket, 'page.view', { url: 'https://shop.example/2' })).visitId, 0, 'page views are not recorded');
  const { items } = (await admin.get('/api/blocks')).body;
  t.true(items.length >= 1);
  for (const b of items) t.is((await admin.del(`/api/blocks/${b.id}`)).status, 204);
  const again = await call(v.socket, 'chat.request', {});
  t.true(again.ok, 'unblocked: chat works again');
  agent.close();
  v.socket.close();
});

test.serial('DISPLAY-BLOCKADD-11 block input is validated: range width, past end, own address, duplicates', async (t) => {
  const bad = async (body: object, code: string, status = 400) => {
    const r = await admin.post('/api/blocks', body);
    t.is(r.status, status, JSON.stringify(body));
    t.is(r.body.error.fields?.[0]?.code ?? r.body.error.code, code);
  };
  await bad({ kind: 'chat', cidr: '10.0.0.0/8' }, 'range_too_wide');
  await bad({ kind: 'chat', cidr: 'not-an-ip' }, 'invalid_address');
  await bad({ kind: 'chat', cidr: '203.0.113.7', endsAt: '2000-01-01T00:00:00Z' }, 'end_in_past');
  await bad({ kind: 'chat', cidr: '127.0.0.1' }, 'would_block_self', 409);
  t.is((await admin.post('/api/blocks', { kind: 'chat', cidr: '203.0.113.0/24' })).status, 201);
  await bad({ kind: 'chat', cidr: '203.0.113.0/24' }, 'duplicate_entry', 409);
});

test.serial('DISPLAY-BLOCKPERM-9 blocking needs visitor.block; company B cannot see or remove company A blocks', async (t) => {
  await admin.post('/api/agents', { agentId: 'plain', name: 'Plain', password: 'Pass-word-123', mustChangePassword: false });
  const plain = await k.login('plain', 'Pass-word-123');
  const r = await plain.get('/api/blocks');
  t.is(r.status, 403);
  t.is(r.body.error.permission, 'visitor.block');
  const b = await k.createCompany('Other');
  const other = await k.login('admin', undefined, b.publicId);
  t.deepEqual((await other.get('/api/blocks')).body.items, []);
  const mine = (await admin.get('/api/blocks')).body.items[0];
  t.is((await other.del(`/api/blocks/${mine.id}`)).status, 404);
  t.is((await admin.get('/api/blocks')).body.items.length, 1);
});
