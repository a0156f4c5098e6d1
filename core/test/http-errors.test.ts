import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { ADMIN_PASSWORD, repoRoot, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';

let k: TestKefu;
let admin: TestClient;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

const raw = (method: string, p: string, body: string, headers: Record<string, string> = {}) => admin.request(method, p, body, headers);

test('malformed JSON answers 400 malformed_json, never 500', async (t) => {
  for (const body of ['{bad', '{"companyId": 10001,', '[1,2', 'undefined', '{"a":1}}']) {
    const r = await k.client().request('POST', '/api/auth/login', body);
    t.is(r.status, 400, body);
    t.is(r.body?.error?.code, 'malformed_json', `${body}: ${r.text}`);
  }
  const authed = await raw('POST', '/api/groups', '{"name": ');
  t.is(authed.status, 400);
  t.is(authed.body.error.code, 'malformed_json');
});

test('unknown fields answer 400 validation_failed with unknown_field', async (t) => {
  const r = await k.client().post('/api/auth/login', { companyId: '10001', agentId: 'admin', password: ADMIN_PASSWORD, isAdmin: true });
  t.is(r.status, 400);
  t.is(r.body.error.code, 'validation_failed');
  t.deepEqual(r.body.error.fields, [{ path: 'isAdmin', code: 'unknown_field', message: 'Unknown field isAdmin' }]);
  const q = await admin.get('/api/agents?sort=evil');
  t.is(q.status, 400);
  t.deepEqual(
    q.body.error.fields.map((f: any) => [f.path, f.code]),
    [['query.sort', 'unknown_field']],
  );
  const nested = await admin.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '10.0.0.1', extra: 1 }] });
  t.deepEqual(
    nested.body.error.fields.map((f: any) => [f.path, f.code]),
    [['entries.0.extra', 'unknown_field']],
  );
});

test('wrong types answer 400 validation_failed naming every field', async (t) => {
  const r = await k.client().post('/api/auth/login', { companyId: true, agentId: 5, password: ['x'], remember: 'yes' });
  t.is(r.status, 400);
  t.is(r.body.error.code, 'validation_failed');
  t.deepEqual(r.body.error.fields.map((f: any) => f.path).sort(), ['agentId', 'companyId', 'password', 'remember']);
  for (const body of ['null', '42', '"text"', '[]']) {
    const top = await k.client().request('POST', '/api/auth/login', body);
    t.is(top.status, 400, `${body}: ${top.text}`);
    t.true(['validation_failed', 'malformed_json'].includes(top.body?.error?.code), `${body}: ${top.text}`);
  }
  const id = await admin.get('/api/agents/not-a-number');
  t.is(id.status, 400);
  t.deepEqual(
    id.body.error.fields.map((f: any) => f.path),
    ['params.id'],
  );
  const huge = await admin.get('/api/agents/99999999999999999999999');
  t.true([400, 404].includes(huge.status), huge.text);
});

test('a NUL character in any string answers 400 validation_failed naming the field, never 500', async (t) => {
  const login = await k.client().post('/api/auth/login', { companyId: '10001', agentId: 'ad\u0000min', password: 'x\u0000y' });
  t.is(login.status, 400, login.text);
  t.deepEqual(
    login.body.error.fields.map((f: any) => [f.path, f.code]),
    [
      ['agentId', 'invalid_character'],
      ['password', 'invalid_character'],
    ],
  );
  const group = await admin.post('/api/groups', { name: 'G\u0000' });
  t.is(group.status, 400, group.text);
  t.deepEqual(
    group.body.error.fields.map((f: any) => f.path),
    ['name'],
  );
  const nested = await admin.put('/api/settings/login-ip', { enabled: false, entries: [{ cidr: '10.0.0.1', note: 'a\u0000' }] });
  t.deepEqual(
    nested.body.error.fields.map((f: any) => f.path),
    ['entries.0.note'],
  );
  const query = await admin.get('/api/agents?q=%00');
  t.is(query.status, 400, query.text);
  t.deepEqual(
    query.body.error.fields.map((f: any) => f.path),
    ['query.q'],
  );
});

test('a body over the 1 MB limit answers 413 payload_too_large', async (t) => {
  const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
  const r = await raw('POST', '/api/groups', big);
  t.is(r.status, 413, r.text.slice(0, 200));
  t.is(r.body.error.code, 'payload_too_large');
  const anon = await k.client().request('POST', '/api/auth/login', big);
  t.is(anon.status, 413);
  t.is(anon.body.error.code, 'payload_too_large');
  // Just under the limit is parsed (and then refused by the schema, not the parser).
  const under = await raw('POST', '/api/groups', JSON.stringify({ name: 'y'.repeat(1000 * 1000) }));
  t.is(under.status, 400);
  t.is(under.body.error.code, 'validation_failed');
});

test('an unknown /api path answers 404 not_found as JSON; a wrong method is a JSON error too', async (t) => {
  for (const [method, p] of [
    ['GET', '/api/nope'],
    ['POST', '/api/nope/deeper'],
    ['GET', '/api/'],
    ['DELETE', '/api/agents'],
  ] as const) {
    const r = await admin.request(method, p);
    t.true(r.status === 404 || r.status === 405, `${method} ${p}: ${r.status}`);
    t.regex(r.headers.get('content-type') ?? '', /application\/json/, `${method} ${p}`);
    t.is(r.body?.error?.code, r.status === 404 ? 'not_found' : 'method_not_allowed', `${method} ${p}: ${r.text}`);
  }
  const anon = await k.client().get('/api/nope');
  t.is(anon.status, 404);
  t.deepEqual(anon.body, { error: { code: 'not_found', message: 'No such endpoint' } });
});

test('/healthz and /readyz report the process and the database', async (t) => {
  const h = await k.client().get('/healthz');
  t.is(h.status, 200);
  t.is(h.body.status, 'ok');
  t.is(typeof h.body.version, 'string');
  const r = await k.client().get('/readyz');
  t.is(r.status, 200);
  t.deepEqual(r.body, { status: 'ready', checks: { database: 'ok' } });
});

/** Every route declared in core's *-routes.ts files, read from the source. */
function declaredCoreRoutes(): { method: string; path: string; hasBody: boolean }[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('-routes.ts')) files.push(full);
    }
  };
  walk(path.join(repoRoot, 'core', 'src'));
  const out: { method: string; path: string; hasBody: boolean }[] = [];
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    // Each declaration is an object literal passed to api.route({...}).
    for (const chunk of src.split(/api\.route\(\{/).slice(1)) {
      const m = chunk.match(/method:\s*'(\w+)',\s*path:\s*'([^']+)'/);
      if (!m) continue;
      const decl = chunk.split(/handler:/)[0];
      out.push({ method: m[1], path: m[2].replace(/:([A-Za-z0-9_]+)/g, '{$1}'), hasBody: /\bbody:\s*[A-Za-z]/.test(decl) });
    }
  }
  return out;
}

test('the OpenAPI 3.1 document lists every registered route with its request schema', async (t) => {
  const r = await k.client().get('/api/openapi.json');
  t.is(r.status, 200);
  const doc = r.body;
  t.is(doc.openapi, '3.1.0');
  t.is(doc.info.title, 'Kefu API');
  const declared = declaredCoreRoutes();
  t.true(declared.length >= 30, `found ${declared.length} declarations`);
  for (const d of declared) {
    const op = doc.paths[d.path]?.[d.method];
    t.truthy(op, `${d.method} ${d.path} is documented`);
    if (!op) continue;
    t.is(typeof op.summary, 'string');
    t.truthy(op.responses['4XX'], `${d.method} ${d.path} documents its errors`);
    if (d.hasBody) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      // An object, or a union of objects (a body chosen by its `action`, say).
      const variants: { type?: string; properties?: object }[] = schema?.type === 'object' ? [schema] : (schema?.oneOf ?? schema?.anyOf ?? []);
      t.true(variants.length > 0 && variants.every((v) => v.type === 'object' && v.properties), `${d.method} ${d.path} has a request schema with properties`);
    } else t.is(op.requestBody, undefined, `${d.method} ${d.path} takes no body`);
    for (const name of d.path.match(/\{(\w+)\}/g) ?? []) {
      const p = op.parameters.find((x: any) => x.in === 'path' && `{${x.name}}` === name);
      t.truthy(p, `${d.method} ${d.path} documents ${name}`);
    }
  }
  const login = doc.paths['/api/auth/login'].post;
  const schema = login.requestBody.content['application/json'].schema;
  t.deepEqual([...schema.required].sort(), ['agentId', 'companyId', 'password']);
  t.is(schema.additionalProperties, false);
  t.deepEqual(login.security, []);
  t.is(doc.paths['/api/agents'].get['x-permission'], 'agents.manage');
  t.deepEqual(doc.paths['/api/agents'].get.security, [{ session: [] }, { bearer: [] }]);
  t.truthy(doc.components.securitySchemes.session);

  const withSchemaKey: string[] = [];
  const scan = (node: unknown, at: string) => {
    if (Array.isArray(node)) node.forEach((v, i) => scan(v, `${at}[${i}]`));
    else if (node && typeof node === 'object')
      for (const [key, v] of Object.entries(node)) {
        if (key === '$schema') withSchemaKey.push(at);
        scan(v, `${at}.${key}`);
      }
  };
  scan(doc, '$');
  t.deepEqual(withSchemaKey, [], 'no $schema keys anywhere in the document');
});

test('/api/docs renders an HTML reference listing every route', async (t) => {
  const r = await k.client().get('/api/docs');
  t.is(r.status, 200);
  t.regex(r.headers.get('content-type') ?? '', /text\/html/);
  t.regex(r.text, /<h1>Kefu API reference<\/h1>/);
  t.notRegex(r.text, /<script/i, 'no script, no CDN');
  const doc = (await k.client().get('/api/openapi.json')).body;
  for (const [p, ops] of Object.entries<Record<string, unknown>>(doc.paths))
    for (const method of Object.keys(ops)) t.true(r.text.includes(`id="${method}${p}"`), `${method} ${p} is on the page`);
});
