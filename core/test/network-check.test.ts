import test from 'ava';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { clientAt } from './helpers/accounts.ts';

let k: TestKefu;
test.before(async () => {
  k = await startTestServer();
});
test.after.always(async () => {
  await k?.close();
});

test('LOGIN-NETWORK-12 获取IP answers the caller’s own address before login, uncached, 10 times a minute per address', async (t) => {
  const from = clientAt(k, '203.0.113.7');
  const first = await from.get('/api/auth/client-ip');
  t.is(first.status, 200);
  t.deepEqual(first.body, { ip: '203.0.113.7' });
  t.is(first.headers.get('cache-control'), 'no-store');
  for (let i = 0; i < 9; i++) t.is((await from.get('/api/auth/client-ip')).status, 200);
  const refused = await from.get('/api/auth/client-ip');
  t.is(refused.status, 429);
  t.is(refused.body.error.code, 'rate_limited');
  t.is((await clientAt(k, '203.0.113.8').get('/api/auth/client-ip')).status, 200, 'another address has its own count');
});
