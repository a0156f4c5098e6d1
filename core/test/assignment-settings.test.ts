import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
let admin: TestClient;
const PATH = '/api/settings/assignment';

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  await admin.post('/api/agents', { agentId: 'ann', name: 'ann', password: 'Pass-word-123', mustChangePassword: false });
});
test.after.always(() => k?.close());

const save = async (c: TestClient, patch: Record<string, unknown>) => {
  const current = (await c.get(PATH)).body;
  return c.put(PATH, { version: current.version, settings: { ...current.settings, ...patch } });
};

test.serial('ASSIGN-SCREEN-16 reads the defaults, refuses bad values field by field and stale versions with 409 settings_changed', async (t) => {
  const first = await admin.get(PATH);
  t.is(first.status, 200);
  t.deepEqual(first.body, {
    version: 0,
    settings: {
      autoAssign: true,
      mode: 'service',
      defaultCap: 5,
      maxQueue: 50,
      queueFullText: {},
      maxWaitSeconds: 600,
      sticky: { enabled: false, lookBackDays: 30, waitSeconds: 30 },
      confirm: { enabled: false, seconds: 20 },
      showEstimatedWait: false,
    },
  });

  const bad = await admin.put(PATH, {
    version: 0,
    settings: { ...first.body.settings, defaultCap: 0, confirm: { enabled: true, seconds: 121 }, mode: 'lottery' },
  });
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'validation_failed');
  t.deepEqual(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), ['settings.confirm.seconds', 'settings.defaultCap', 'settings.mode']);

  const ok = await admin.put(PATH, {
    version: 0,
    settings: { ...first.body.settings, mode: 'sales', sticky: { enabled: true, lookBackDays: 7, waitSeconds: 60 } },
  });
  t.is(ok.status, 200, ok.text);
  t.is(ok.body.version, 1);
  t.like((await admin.get(PATH)).body, { version: 1, settings: { mode: 'sales', sticky: { enabled: true, lookBackDays: 7, waitSeconds: 60 } } });

  const stale = await admin.put(PATH, { version: 0, settings: first.body.settings });
  t.is(stale.status, 409);
  t.like(stale.body.error, { code: 'settings_changed', version: 1 });
  t.is((await admin.get(PATH)).body.settings.mode, 'sales', 'the stale save changed nothing');

  const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'settings.assignment.update' });
  t.is(audit.length, 1, 'the save is audited, the refused ones are not');
  t.like(JSON.parse(JSON.stringify(audit[0].new_value)), { mode: 'sales' });
});

test.serial('ASSIGN-SCREEN-16 saving keeps the chat settings other features own in the same document', async (t) => {
  const row = () => k.server.db('companies').where({ id: k.company.id }).first('chat_settings');
  const raw = (await row()).chat_settings;
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ ...raw, autoAcceptVisitorFiles: true }) });
  t.is((await save(admin, { maxQueue: 0 })).status, 200);
  t.like((await row()).chat_settings, { autoAcceptVisitorFiles: true, maxQueue: 0, mode: 'sales' });
});

test.serial('ASSIGN-SCREEN-16 each company reads and saves only its own settings', async (t) => {
  const other = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
  t.like((await otherAdmin.get(PATH)).body, { version: 0, settings: { mode: 'service', maxQueue: 50 } }, "Acme's saves are not seen");
  t.is((await save(otherAdmin, { defaultCap: 9 })).status, 200);
  const mine = (await admin.get(PATH)).body;
  t.is(mine.settings.defaultCap, 5, "the other company's save leaves Acme alone");
  t.is(mine.version, 2);
});

test.serial('ASSIGN-SWITCH-1 ASSIGN-CONNECT-15 a saved change applies to the next assignment', async (t) => {
  t.is((await save(admin, { autoAssign: false, maxQueue: 50, mode: 'service' })).status, 200);
  const ann = await agentSocket(k.url, await k.login('ann', 'Pass-word-123'));
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  t.true(req.ok);
  t.is(req.conversation.status, 'queued', 'with automatic assignment off the request waits to be picked up');

  const connected = next(ann, 'conversation.updated', (m) => m.conversation.id === req.conversation.id && m.conversation.status === 'active');
  t.is((await save(admin, { autoAssign: true })).status, 200);
  const annRow = await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'ann' }).first('id');
  t.is((await connected).conversation.agentId, Number(annRow.id), 'the waiting request goes to the agent on duty');

  t.is((await save(admin, { confirm: { enabled: true, seconds: 30 } })).status, 200);
  const offered = next(ann, 'conversation.offered');
  const v2 = await visitorSocket(k.url, k.company.publicId);
  const req2 = await call(v2.socket, 'chat.request', {});
  t.is((await offered).conversation.id, req2.conversation.id, 'with 需要客服确认 the next assignment is an offer to accept');
  ann.close();
  v.socket.close();
  v2.socket.close();
});
