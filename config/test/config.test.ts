import test from 'ava';
import { ConfigError, loadConfig } from '../index.ts';

test('defaults give a runnable configuration on the embedded database', (t) => {
  const c = loadConfig({});
  t.is(c.PORT, 3000);
  t.is(c.DATABASE_URL, undefined);
  t.is(c.KEFU_DATA_DIR, './data');
  t.is(c.derivedPublicUrl, 'http://localhost:3000');
});

test('environment variables override defaults', (t) => {
  const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db/kefu', PUBLIC_URL: 'https://chat.example.com/', LOG_LEVEL: 'warn' });
  t.is(c.PORT, 8080);
  t.is(c.DATABASE_URL, 'postgres://u@db/kefu');
  t.is(c.derivedPublicUrl, 'https://chat.example.com');
  t.is(c.LOG_LEVEL, 'warn');
});

test('an invalid setting stops start-up naming the key and the problem', (t) => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ KEFU_SECRET: 'short' }, 'KEFU_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ KEFU_LICENCE_MODE: 'free' }, 'KEFU_LICENCE_MODE'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
  ];
  for (const [env, key] of cases) {
    const err = t.throws(() => loadConfig(env), { instanceOf: ConfigError });
    t.is(err!.problems[0].key, key);
    t.regex(err!.message, new RegExp(`${key}: .+`));
  }
});

test('unrelated environment variables are ignored', (t) => {
  t.notThrows(() => loadConfig({ HOME: '/root', SOMETHING_ELSE: '1' }));
});
