import test from 'ava';
import pino from 'pino';
import { HookRegistry, HookTimeoutError } from '../src/hooks/hook-registry.ts';

const log = pino({ level: 'silent' });
const ctx = { companyId: 1, actor: { kind: 'system' as const } };
const login = () => ({ agent: { id: 1, agentId: 'a', role: 'agent' as const, isPrimary: false }, ip: '1.1.1.1', credentials: {}, factor: 'password' });

test('filters run by ascending priority, ties in insertion order, and may replace the value', async (t) => {
  const h = new HookRegistry(log);
  const seen: string[] = [];
  h.addFilter('auth.beforeLogin', (v) => {
    seen.push('b50');
    return { ...v, factor: v.factor + '+b' };
  });
  h.addFilter(
    'auth.beforeLogin',
    (v) => {
      seen.push('a10');
      return { ...v, factor: v.factor + '+a' };
    },
    { priority: 10 },
  );
  h.addFilter('auth.beforeLogin', () => {
    seen.push('c50');
    return undefined;
  });
  const r = await h.runFilter('auth.beforeLogin', login(), ctx);
  t.deepEqual(seen, ['a10', 'b50', 'c50']);
  t.false(r.halted);
  if (!r.halted) t.is(r.value.factor, 'password+a+b');
});

test('a halt stops the chain and later filters do not run', async (t) => {
  const h = new HookRegistry(log);
  let after = false;
  h.addFilter('auth.beforeLogin', () => ({ stop: true, reason: 'nope' }), { priority: 1 });
  h.addFilter('auth.beforeLogin', () => {
    after = true;
  });
  const r = await h.runFilter('auth.beforeLogin', login(), ctx);
  t.true(r.halted);
  t.false(after);
});

test('a slow fail-open filter is skipped after its timeout; a critical one fails the call', async (t) => {
  const h = new HookRegistry(log);
  h.addFilter('auth.beforeLogin', () => new Promise((r) => setTimeout(() => r({ ...login(), factor: 'late' }), 200)), { timeoutMs: 20 });
  const r = await h.runFilter('auth.beforeLogin', login(), ctx);
  t.false(r.halted);
  if (!r.halted) t.is(r.value.factor, 'password');
  h.addFilter('auth.beforeLogin', () => new Promise(() => undefined), { timeoutMs: 20, critical: true });
  await t.throwsAsync(h.runFilter('auth.beforeLogin', login(), ctx), { instanceOf: HookTimeoutError });
});

test('a throwing fail-open filter is skipped; a throwing critical filter propagates', async (t) => {
  const h = new HookRegistry(log);
  h.addFilter('auth.beforeLogin', () => {
    throw new Error('boom');
  });
  t.false((await h.runFilter('auth.beforeLogin', login(), ctx)).halted);
  h.addFilter(
    'auth.beforeLogin',
    () => {
      throw new Error('secure');
    },
    { critical: true },
  );
  await t.throwsAsync(h.runFilter('auth.beforeLogin', login(), ctx), { message: 'secure' });
});

test('actions run in parallel and a failing one does not affect the others or the caller', async (t) => {
  const h = new HookRegistry(log);
  const got: number[] = [];
  h.addAction('agent.login', () => {
    throw new Error('bad plugin');
  });
  h.addAction('agent.login', async (p) => {
    got.push(p.agentId);
  });
  await t.notThrowsAsync(h.emit('agent.login', { agentId: 7, sessionId: 1, factor: 'password', ip: '::1' }, ctx));
  t.deepEqual(got, [7]);
});

test('disposers and owner removal take handlers away', async (t) => {
  const h = new HookRegistry(log);
  const dispose = h.addAction('agent.login', () => undefined, { owner: 'robot' });
  h.addAction('agent.login', () => undefined, { owner: 'robot' });
  h.addAction('agent.login', () => undefined);
  t.is(h.count('robot'), 2);
  dispose();
  t.is(h.count('robot'), 1);
  h.removeOwner('robot');
  t.is(h.count('robot'), 0);
  t.is(h.count(), 1);
});

test('a plugin-owned handler runs only for companies that enabled the plugin', async (t) => {
  const h = new HookRegistry(log, (owner, companyId) => owner === 'otp' && companyId === 1);
  const ran: number[] = [];
  h.addAction(
    'agent.login',
    (_p, c) => {
      ran.push(c.companyId);
    },
    { owner: 'otp' },
  );
  await h.emit('agent.login', { agentId: 1, sessionId: 1, factor: 'p', ip: '' }, { companyId: 1, actor: { kind: 'system' } });
  await h.emit('agent.login', { agentId: 1, sessionId: 1, factor: 'p', ip: '' }, { companyId: 2, actor: { kind: 'system' } });
  t.deepEqual(ran, [1]);
});
