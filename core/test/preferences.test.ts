import test from 'ava';
import { agentSocket, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';

let k: TestKefu;
let admin: TestClient;
let agent: TestClient;

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  await addAgent(admin, 'dora');
  agent = await signIn(k, 'dora');
});
test.after.always(() => k?.close());

const fieldsOf = (r: { body: any }) => r.body.error.fields.map((f: any) => [f.path, f.code]);

test.serial('DISPLAY-SETTINGS-1: defaults until changed; saved on the server and seen from another browser', async (t) => {
  const r = await agent.get('/api/preferences');
  t.is(r.status, 200);
  const p = r.body.preferences;
  t.is(p.chat.sendKey, 'enter');
  t.false(p.chat.switchAfterSend);
  t.is(p.status.afterLogin, 'online');
  t.is(p.sound.volume, 70);
  t.true(p.display.toolbar);
  t.is(p.shortcuts.nextConversation, 'Alt+Z');
  const changed = await agent.patch('/api/preferences', { chat: { sendKey: 'ctrlEnter', switchAfterSend: true }, display: { toolbar: false } });
  t.is(changed.status, 200);
  const elsewhere = await signIn(k, 'dora');
  const seen = (await elsewhere.get('/api/preferences')).body.preferences;
  t.is(seen.chat.sendKey, 'ctrlEnter');
  t.true(seen.chat.switchAfterSend);
  t.false(seen.display.toolbar);
  t.true(seen.display.statusBar, 'fields not named keep their value');
  t.is((await admin.get('/api/preferences')).body.preferences.chat.sendKey, 'enter', 'personal: other agents keep theirs');
});

test.serial('OTHERSET-SENDKEY-5 / DISPLAY-TOOLBAR-2: a change reaches every open console of the agent', async (t) => {
  const socket = await agentSocket(k.url, agent);
  try {
    const pushed = next(socket, 'preferences.changed');
    await agent.patch('/api/preferences', { chat: { sendKey: 'enter' } });
    const m = await pushed;
    t.is(m.preferences.chat.sendKey, 'enter');
    t.true(m.version > 1);
  } finally {
    socket.close();
  }
});

test.serial('OTHERSET-SHORTCUTS-7: conflicts name the other action; modifier required; browser combinations refused; 恢复默认', async (t) => {
  const conflict = await agent.patch('/api/preferences', { shortcuts: { transfer: 'alt+z' } });
  t.is(conflict.status, 400);
  t.deepEqual(fieldsOf(conflict), [['shortcuts.transfer', 'shortcut_conflict']]);
  t.regex(conflict.body.error.fields[0].message, /nextConversation/);
  t.deepEqual(fieldsOf(await agent.patch('/api/preferences', { shortcuts: { transfer: 'K' } })), [['shortcuts.transfer', 'shortcut_modifier_required']]);
  t.deepEqual(fieldsOf(await agent.patch('/api/preferences', { shortcuts: { transfer: 'Ctrl+W' } })), [['shortcuts.transfer', 'shortcut_reserved']]);
  const ok = await agent.patch('/api/preferences', { shortcuts: { transfer: 'shift+ctrl+y' } });
  t.is(ok.body.preferences.shortcuts.transfer, 'Ctrl+Shift+Y');
  const reset = await agent.post('/api/preferences/reset', { section: 'shortcuts' });
  t.is(reset.body.preferences.shortcuts.transfer, 'Alt+T');
  t.is(reset.body.preferences.chat.switchAfterSend, true, 'other sections untouched');
});

test.serial('DISPLAY-COLUMNS-5: column order and visibility are personal; one of 访客ID and 姓名 stays shown', async (t) => {
  const { columns } = (await agent.get('/api/preferences')).body.preferences.display;
  t.deepEqual(
    columns.filter((c: any) => !c.shown).map((c: any) => c.key),
    ['callback', 'ip', 'declined', 'browser', 'device', 'currentPage', 'referrer', 'group', 'pageCount', 'member'],
  );
  const none = columns.map((c: any) => (c.key === 'visitorId' || c.key === 'name' ? { ...c, shown: false } : c));
  t.deepEqual(fieldsOf(await agent.patch('/api/preferences', { display: { columns: none } })), [['display.columns', 'column_required']]);
  const reordered = [columns[2], columns[0], columns[1], ...columns.slice(3)].map((c: any) => (c.key === 'ip' ? { ...c, shown: true } : c));
  const r = await agent.patch('/api/preferences', { display: { columns: reordered, columnWidths: { name: 160 } } });
  t.is(r.status, 200);
  t.deepEqual(
    r.body.preferences.display.columns.slice(0, 3).map((c: any) => c.key),
    ['name', 'status', 'visitorId'],
  );
  t.is(r.body.preferences.display.columnWidths.name, 160);
  const missing = await agent.patch('/api/preferences', { display: { columns: columns.slice(1) } });
  t.is(missing.status, 400);
  t.is(missing.body.error.fields[0].path, 'display.columns');
});

test.serial('VISITOR-DISPLAY-6 / DISPLAY-SORT-7 / DISPLAY-QUEUE-8: display mode, column sort and queue order persist per agent', async (t) => {
  const r = await agent.patch('/api/preferences', {
    display: {
      visitorMode: 'waiting',
      hideLeft: true,
      sort: { column: 'visits', direction: 'desc' },
      queueOrder: ['mine', 'waiting', 'others', 'robot', 'invited', 'browsing', 'left'],
    },
  });
  t.is(r.status, 200);
  const d = (await agent.get('/api/preferences')).body.preferences.display;
  t.is(d.visitorMode, 'waiting');
  t.true(d.hideLeft);
  t.deepEqual(d.sort, { column: 'visits', direction: 'desc' });
  t.is(d.queueOrder[0], 'mine');
  t.is((await agent.patch('/api/preferences', { display: { visitorMode: 'everyone' } })).body.error.fields[0].path, 'display.visitorMode');
  t.is((await agent.patch('/api/preferences', { display: { queueOrder: ['waiting'] } })).status, 400);
});

test.serial('TOOLBAR-LOGINSTATUS-14 / OTHERSET-IDLE-9 / OTHERSET-SOUND-4: ranges and admin-only 隐身 are checked', async (t) => {
  t.deepEqual(fieldsOf(await agent.patch('/api/preferences', { status: { afterLogin: 'invisible' } })), [['status.afterLogin', 'admins_only']]);
  t.is((await admin.patch('/api/preferences', { status: { afterLogin: 'invisible' } })).status, 200);
  t.is((await agent.patch('/api/preferences', { status: { idleMinutes: 121 } })).body.error.fields[0].path, 'status.idleMinutes');
  t.is((await agent.patch('/api/preferences', { sound: { volume: 101 } })).body.error.fields[0].path, 'sound.volume');
  const r = await agent.patch('/api/preferences', { status: { afterLogin: 'busy', idleMinutes: 5 }, sound: { muteAll: true, events: { message: 'bell' } } });
  t.is(r.body.preferences.status.afterLogin, 'busy');
  t.true(r.body.preferences.sound.muteAll);
  t.is(r.body.preferences.sound.events.message, 'bell');
  t.is(r.body.preferences.sound.events.request, 'chime', 'other events keep their sound');
  t.is((await agent.patch('/api/preferences', { unknown: {} })).status, 400);
});

test.serial('OTHERSET-NOTIFY-2 / OTHERSET-GENERAL-13: the notification matrix and language/theme are personal', async (t) => {
  const p = (await agent.get('/api/preferences')).body.preferences;
  t.deepEqual(p.notify.request, { popup: true, sound: true, blink: true, badge: true });
  t.deepEqual(p.notify.arrive, { popup: false, sound: false, blink: false, badge: false });
  const r = await agent.patch('/api/preferences', {
    notify: { arrive: { popup: true, sound: false, blink: false, badge: false } },
    general: { theme: 'dark', language: 'en' },
  });
  t.true(r.body.preferences.notify.arrive.popup);
  t.is(r.body.preferences.notify.request.popup, true);
  t.is(r.body.preferences.general.theme, 'dark');
  t.is((await agent.patch('/api/preferences', { general: { language: 'fr' } })).body.error.fields[0].path, 'general.language');
});
