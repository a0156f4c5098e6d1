import test from 'ava';
import { io, type Socket } from 'socket.io-client';
import { startTestServer, type TestKefu, type TestClient } from '@kefu/core/testing';

let k: TestKefu;
let admin: TestClient;
test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(() => k?.close());

const connect = (client: TestClient) =>
  new Promise<Socket>((resolve, reject) => {
    const s = io(k.url + '/agent', { extraHeaders: { cookie: client.cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.on('connect', () => resolve(s));
    s.on('connect_error', (e) => reject(e));
  });

test.serial('the /agent namespace refuses a connection without a live session', async (t) => {
  const err = await t.throwsAsync(connect(k.client()));
  t.is(err!.message, 'unauthenticated');
});

test.serial('LOGIN-SESSION-7 a console socket carrying the cookie from a foreign origin is refused', async (t) => {
  const err = await t.throwsAsync(
    new Promise((resolve, reject) => {
      const s = io(k.url + '/agent', {
        extraHeaders: { cookie: admin.cookie, origin: 'https://evil.example' },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      s.on('connect', () => resolve(s));
      s.on('connect_error', reject);
    }),
  );
  t.is(err!.message, 'unauthenticated');
});

test.serial('LOGIN-SESSION-7 disabling an agent closes its open sockets at once with the reason', async (t) => {
  const created = await admin.post('/api/agents', { agentId: 'amy', name: 'Amy', password: 'Pass-word-123' });
  t.is(created.status, 201);
  const amy = await k.login('amy', 'Pass-word-123');
  const socket = await connect(amy);
  const ended = new Promise<{ reason: string }>((resolve) => socket.on('session.ended', resolve));
  const closed = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));
  const started = Date.now();
  t.is((await admin.post(`/api/agents/${created.body.id}/disable`)).status, 200);
  t.deepEqual(await ended, { reason: 'agent_disabled' });
  await closed;
  t.true(Date.now() - started < 1000, 'within one second');
  t.is((await amy.get('/api/auth/me')).status, 401);
});

test.serial('logout in one tab closes that session’s sockets; another session of the agent stays', async (t) => {
  const tab1 = await k.login();
  const tab2 = await k.login();
  const s1 = await connect(tab1);
  const s2 = await connect(tab2);
  const closed1 = new Promise<void>((resolve) => s1.on('disconnect', () => resolve()));
  t.is((await tab1.post('/api/auth/logout')).status, 204);
  await closed1;
  t.true(s2.connected);
  s2.close();
});
