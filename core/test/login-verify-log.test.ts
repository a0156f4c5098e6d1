import { Writable } from 'node:stream';
import argon2 from 'argon2';
import pino from 'pino';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { PasswordHasher } from '../src/accounts/password-hasher.ts';
import { addAgent, AGENT_PASSWORD, clientAt, loginBody } from './helpers/accounts.ts';

/** The server's own log lines, as JSON objects. */
const serverLog: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) serverLog.push(JSON.parse(line));
    done();
  },
});

let k: TestKefu;
let admin: TestClient;
test.before(async () => {
  k = await startTestServer({}, { log: pino({ level: 'info' }, sink) });
  admin = await k.login();
});
test.after.always(() => k?.close());

const entriesFrom = async (ip: string) => (await admin.get('/api/login-log?pageSize=100')).body.items.filter((e: any) => e.ip === ip && e.type === 'login');

test.serial('LOGIN-VERIFY-3 rate limits come before the password: a locked ID pair is refused even with the right password', async (t) => {
  await addAgent(admin, 'order1');
  const c = clientAt(k, '192.0.2.81');
  for (let i = 0; i < 5; i++) t.is((await c.post('/api/auth/login', loginBody(k, 'order1', 'Wrong-password-1'))).status, 401);
  const right = await c.post('/api/auth/login', loginBody(k, 'order1', AGENT_PASSWORD));
  t.is(right.status, 429);
  t.is(right.body.error.code, 'rate_limited');
});

test.serial('LOGIN-VERIFY-3 the login IP list is checked before any password is tried: right and wrong passwords get the same refusal', async (t) => {
  await addAgent(admin, 'order2');
  const listed = await admin.put('/api/settings/login-ip', { enabled: true, entries: [{ cidr: '127.0.0.1/32', note: null }], confirmLockout: true });
  t.is(listed.status, 200, listed.text);
  try {
    const outside = clientAt(k, '198.51.100.7');
    const right = await outside.post('/api/auth/login', loginBody(k, 'order2', AGENT_PASSWORD));
    const wrong = await outside.post('/api/auth/login', loginBody(k, 'order2', 'Wrong-password-1'));
    t.is(right.status, 403);
    t.is(right.body.error.code, 'login_ip_not_allowed');
    t.deepEqual(wrong.body, right.body, 'the answer does not depend on the password');
    t.deepEqual(
      (await entriesFrom('198.51.100.7')).map((e: any) => e.reason),
      ['login_ip_not_allowed', 'login_ip_not_allowed'],
      'never logged as a wrong password',
    );
  } finally {
    t.is((await admin.put('/api/settings/login-ip', { enabled: false, entries: [] })).status, 200);
  }
});

test.serial('LOGIN-VERIFY-3 the agent’s state is looked at only after a correct password', async (t) => {
  const a = await addAgent(admin, 'order3');
  t.is((await admin.post(`/api/agents/${a.id}/disable`)).status, 200);
  const c = clientAt(k, '192.0.2.83');
  const wrong = await c.post('/api/auth/login', loginBody(k, 'order3', 'Wrong-password-1'));
  t.is(wrong.body.error.code, 'invalid_credentials');
  const right = await c.post('/api/auth/login', loginBody(k, 'order3', AGENT_PASSWORD));
  t.is(right.status, 403);
  t.is(right.body.error.code, 'agent_disabled');
});

test.serial('LOGIN-VERIFY-3 a password hashed with older parameters is re-hashed on a successful login', async (t) => {
  const a = await addAgent(admin, 'order4');
  const old = await argon2.hash(AGENT_PASSWORD, { type: argon2.argon2id, memoryCost: 8192, timeCost: 2, parallelism: 1 });
  await k.server.db('agents').where({ id: a.id }).update({ password_hash: old });
  const hasher = k.server.container.resolve(PasswordHasher);
  t.true(hasher.needsRehash(old));
  t.is((await clientAt(k, '192.0.2.84').post('/api/auth/login', loginBody(k, 'order4', AGENT_PASSWORD))).status, 200);
  const now = (await k.server.db('agents').where({ id: a.id }).first('password_hash')).password_hash;
  t.not(now, old);
  t.false(hasher.needsRehash(now));
  t.true(await hasher.verify(now, AGENT_PASSWORD));
});

test.serial('LOGIN-LOG-17 the log is more specific than the identical answer: wrong_password, unknown_agent, locked_out; no password stored', async (t) => {
  await addAgent(admin, 'logged17');
  const ip = '192.0.2.85';
  const c = clientAt(k, ip);
  const wrong = await c.post('/api/auth/login', loginBody(k, 'logged17', 'Typed-secret-17'));
  const unknown = await c.post('/api/auth/login', loginBody(k, 'nobody17', 'Typed-secret-17'));
  t.is(wrong.status, 401);
  t.is(unknown.text, wrong.text, 'the caller cannot tell the two apart');
  for (let i = 0; i < 4; i++) await c.post('/api/auth/login', loginBody(k, 'logged17', 'Typed-secret-17'));
  t.is((await c.post('/api/auth/login', loginBody(k, 'logged17', AGENT_PASSWORD))).status, 429);

  const entries = await entriesFrom(ip);
  t.like(entries[0], { agentId: 'logged17', result: 'failure', reason: 'locked_out' });
  t.like(entries.at(-1), { agentId: 'logged17', result: 'failure', reason: 'wrong_password' });
  t.like(entries.at(-2), { agentId: 'nobody17', result: 'failure', reason: 'unknown_agent' });
  const stored = JSON.stringify(await k.server.db('login_log').select());
  t.false(stored.includes('Typed-secret-17') || stored.includes(AGENT_PASSWORD), 'typed passwords are never stored');
});

test.serial('LOGIN-LOG-17 an attempt naming a company that does not exist goes to the server log only, without the password', async (t) => {
  const ip = '192.0.2.86';
  const before = await k.server.db('login_log').count({ n: '*' }).first();
  const r = await clientAt(k, ip).post('/api/auth/login', { companyId: '99997', agentId: 'ghost', password: 'Typed-secret-18' });
  t.is(r.status, 401);
  t.is(r.body.error.code, 'invalid_credentials');
  t.deepEqual(await k.server.db('login_log').count({ n: '*' }).first(), before, 'no company’s log has it');
  const line = serverLog.find((l) => l.reason === 'unknown_company' && l.ip === ip);
  t.like(line, { companyId: '99997', agentId: 'ghost', msg: 'login attempt for an unknown company' });
  t.false(JSON.stringify(serverLog).includes('Typed-secret-18'), 'the password is never logged');
});
