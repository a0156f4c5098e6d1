import test from 'ava';
import type { TestKefu } from '@kefu/core/testing';
import { TransferService } from '../src/conversations/transfer-service.ts';
import { AGENT_PASSWORD, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, online, served, startCollab } from './helpers/collab.ts';
import { pdfBytes, pngBytes, upload } from './helpers/uploads.ts';

/**
 * The conversation settings of 工作台与登录 (MAIN-SETTINGS-10): each one saved through the API changes what the
 * server does — transfer response time, 文件传输 size and type groups, 自动接收访客文件, 告知被监控客服.
 */
let c: CollabKefu;
let k: TestKefu;
test.before(async () => {
  c = await startCollab();
  k = c.k;
});
test.after.always(() => c?.k.close());

const PATH = '/api/settings/workbench-chat';
const ALL_GROUPS = ['documents', 'images', 'archives', 'media'];

/** Saves the document with the version it has now. */
async function save(patch: Record<string, unknown>) {
  const cur = await c.admin.get(PATH);
  const r = await c.admin.put(PATH, { version: cur.body.version, settings: { ...cur.body.settings, ...patch } });
  if (r.status !== 200) throw new Error(`saving failed: ${r.status} ${r.text}`);
  return r.body;
}

test.serial(
  `MAIN-SETTINGS-10 the conversation settings read their defaults, save versioned and refuse stale or out-of-range values per field (${driver})`,
  async (t) => {
    const first = await c.admin.get(PATH);
    t.is(first.status, 200);
    t.deepEqual(first.body.settings, {
      transferTimeoutSeconds: 60,
      maxFileMb: 20,
      fileGroups: ALL_GROUPS,
      autoAcceptVisitorFiles: false,
      monitorNotice: false,
    });
    t.is(first.body.version, 0);

    const saved = await c.admin.put(PATH, { version: 0, settings: { ...first.body.settings, transferTimeoutSeconds: 90 } });
    t.is(saved.status, 200);
    t.is(saved.body.version, 1);
    t.is((await c.admin.get(PATH)).body.settings.transferTimeoutSeconds, 90);
    // Automatic assignment stays off: the same JSON holds other screens' keys, which a save keeps.
    t.false((await c.admin.get('/api/settings/assignment')).body.settings.autoAssign);

    const stale = await c.admin.put(PATH, { version: 0, settings: first.body.settings });
    t.is(stale.status, 409);
    t.is(stale.body.error.code, 'settings_changed');

    const bad = await c.admin.put(PATH, { version: 1, settings: { ...first.body.settings, transferTimeoutSeconds: 14, maxFileMb: 101 } });
    t.is(bad.status, 400);
    t.deepEqual(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), ['settings.maxFileMb', 'settings.transferTimeoutSeconds']);
    const tooLong = await c.admin.put(PATH, { version: 1, settings: { ...first.body.settings, transferTimeoutSeconds: 301, fileGroups: ['programs'] } });
    t.is(tooLong.status, 400);
    t.deepEqual(tooLong.body.error.fields.map((f: { path: string }) => f.path.split('.').slice(0, 2).join('.')).sort(), [
      'settings.fileGroups',
      'settings.transferTimeoutSeconds',
    ]);

    const plain = await signIn(k, 'eve');
    t.is((await plain.get(PATH)).status, 403);
    t.is((await plain.put(PATH, { version: 1, settings: first.body.settings })).status, 403);
    const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'settings.workbenchChat.update' }).count<{ n: string }[]>('* as n');
    t.is(Number(audit[0].n), 1, 'the one accepted save is audited');
    await save({ transferTimeoutSeconds: 60 });
  },
);

test.serial(
  `MAIN-SETTINGS-10 CONV-TRANSFER-30 a transfer times out after the company's response time, and an offer keeps the time it was sent with (${driver})`,
  async (t) => {
    const [a, b] = [await online(k, 'ann'), await online(k, 'bob')];
    const { v, conv } = await served(k, a);
    const sweep = async (ms: number) => {
      c.shift(ms);
      try {
        return await k.server.container.resolve(TransferService).sweep();
      } finally {
        c.shift(0);
      }
    };

    await save({ transferTimeoutSeconds: 15 });
    const st = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
    t.is(new Date(st.transfer.expiresAt).getTime() - new Date(st.transfer.createdAt).getTime(), 15_000, 'the dialog counts down 15 s');
    // Changing the setting now does not move the offer already sent.
    await save({ transferTimeoutSeconds: 300 });
    t.is(await sweep(10_000), 0, 'not yet after 10 s');
    const timedOut = next(a, 'transfer.rejected', (m) => m.transfer.id === st.transfer.id);
    t.is(await sweep(16_000), 1);
    t.is((await timedOut).reason, 'timeout');
    t.is((await call(b, 'transfer.respond', { transferId: st.transfer.id, accept: true })).error.code, 'transfer_closed');

    // Sent under 300 s: still open after the former fixed 60 s, and then answerable.
    const st2 = await call(a, 'transfer.start', { conversationId: conv.id, toAgentId: c.id.bob });
    t.is(new Date(st2.transfer.expiresAt).getTime() - new Date(st2.transfer.createdAt).getTime(), 300_000);
    t.is(await sweep(120_000), 0);
    t.is((await k.server.db('transfers').where({ id: st2.transfer.id }).first()).status, 'pending');
    const r = await call(b, 'transfer.respond', { transferId: st2.transfer.id, accept: true });
    t.is(r.transfer?.status, 'accepted', JSON.stringify(r));
    await save({ transferTimeoutSeconds: 60 });
    await closeAll(a, b, v.socket);
  },
);

/** ann's signed-in client and console socket with a visitor she serves. */
async function fileChat() {
  const ann = await signIn(k, 'ann', AGENT_PASSWORD);
  const agent = await agentSocket(k.url, ann);
  await call(agent, 'presence.set', { status: 'online' });
  const { v, conv } = await served(k, agent);
  const visitorFile = (file: { bytes: Buffer; name: string }) =>
    upload(k.url, '/api/widget/files', { fields: { companyId: k.company.publicId, token: v.token, conversationId: conv.id }, file });
  const agentFile = (file: { bytes: Buffer; name: string }) => upload(k.url, '/api/files', { fields: { conversationId: conv.id }, file }, ann);
  return { agent, v, visitorFile, agentFile, close: () => closeAll(agent, v.socket) };
}

test.serial(`MAIN-SETTINGS-10 CONV-FILE-14 文件传输: the saved size cap and type groups decide which files pass (${driver})`, async (t) => {
  const f = await fileChat();
  // A real PDF of 1.5 MB.
  const bigPdf = { bytes: Buffer.concat([pdfBytes(), Buffer.alloc(1.5 * 1024 * 1024, 0x20)]), name: 'catalogue.pdf' };
  await save({ maxFileMb: 1 });
  const refused = await f.agentFile(bigPdf);
  t.is(refused.status, 400);
  t.is(refused.body.error.fields[0].code, 'file_too_large');
  t.is((await f.visitorFile(bigPdf)).body.error.fields[0].code, 'file_too_large', 'visitors are held to the same cap');
  await save({ maxFileMb: 2 });
  t.is((await f.agentFile(bigPdf)).status, 201);

  await save({ fileGroups: ['images'] });
  const pdf = await f.agentFile({ bytes: pdfBytes(), name: 'offer.pdf' });
  t.is(pdf.status, 400);
  t.is(pdf.body.error.fields[0].code, 'file_type_not_allowed');
  t.is((await f.agentFile({ bytes: await pngBytes(40, 40), name: 'dot.png' })).status, 201, 'images still pass');
  await save({ maxFileMb: 20, fileGroups: ALL_GROUPS });
  t.is((await f.agentFile({ bytes: pdfBytes(), name: 'offer.pdf' })).status, 201);
  await f.close();
});

test.serial(`MAIN-SETTINGS-10 CONV-FILE-16 自动接收访客文件: off a visitor's file waits for 接收, on it is available at once (${driver})`, async (t) => {
  const f = await fileChat();
  const held = await f.visitorFile({ bytes: Buffer.from('order list'), name: 'orders.txt' });
  t.is(held.status, 201, held.text);
  t.is(held.body.file.status, 'held');
  await save({ autoAcceptVisitorFiles: true });
  const auto = await f.visitorFile({ bytes: Buffer.from('order list'), name: 'orders2.txt' });
  t.is(auto.body.file.status, 'available');
  await save({ autoAcceptVisitorFiles: false });
  t.is((await f.visitorFile({ bytes: Buffer.from('again'), name: 'orders3.txt' })).body.file.status, 'held');
  await f.close();
});

test.serial(
  `MAIN-SETTINGS-10 CONV-MONITOR-35 INTERNAL-MONITOR-11 告知被监控客服 shows the monitored agent who watches; off it stays silent (${driver})`,
  async (t) => {
    const [a, m] = [await online(k, 'ann'), await online(k, 'mon')];
    // Off (the default): nothing reaches ann, and asking gives an empty list.
    const silent = none(a, 'monitor.watchers', () => true, 600);
    t.true((await call(m, 'monitor.start', { agentId: c.id.ann })).ok);
    t.true(await silent, 'no event while the setting is off');
    t.deepEqual((await call(a, 'monitor.watchedBy', {})).monitors, []);

    // Switched on: the eye icon appears at once with the monitor's name.
    const shown = next(a, 'monitor.watchers', (x) => x.monitors.length === 1);
    await save({ monitorNotice: true });
    t.like((await shown).monitors[0], { agentId: c.id.mon, nickname: 'mon' });
    t.like((await call(a, 'monitor.watchedBy', {})).monitors, [{ nickname: 'mon' }]);

    // A stop takes it away; a new start brings it back.
    const gone = next(a, 'monitor.watchers', (x) => x.monitors.length === 0);
    await call(m, 'monitor.stop', { agentId: c.id.ann });
    await gone;
    const back = next(a, 'monitor.watchers', (x) => x.monitors.length === 1);
    await call(m, 'monitor.start', { agentId: c.id.ann });
    await back;

    // Switched off while watched: the icon goes.
    const off = next(a, 'monitor.watchers', (x) => x.monitors.length === 0);
    await save({ monitorNotice: false });
    await off;
    t.deepEqual((await call(a, 'monitor.watchedBy', {})).monitors, []);
    await call(m, 'monitor.stop', {});
    await closeAll(a, m);
  },
);
