import test from 'ava';
import ExcelJS from 'exceljs';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { MailOutbox } from '../src/leavemsg/mail-outbox.ts';
import { addAgent, patchAgent, signIn, type CreatedAgent } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';
import { smtp } from './helpers/smtp.ts';

let k: TestKefu;
let admin: TestClient;
let ann: CreatedAgent;
let bob: CreatedAgent;
let annC: TestClient;
let bobC: TestClient;
let outbox: MailOutbox;
const hooks: { name: string; payload: any }[] = [];
const DAY = 86_400_000;

/** Inserts a leave-message as the widget would have stored it, `daysAgo` days back. */
async function seed(row: Record<string, unknown>, daysAgo = 0): Promise<number> {
  const fields = (row.fields as Record<string, string>) ?? { content: String(row.content ?? 'hello') };
  const [r] = await k.server
    .db('leave_messages')
    .insert({
      company_id: k.company.id,
      content: fields.content ?? 'hello',
      name: fields.name ?? null,
      email: fields.email ?? null,
      phone: fields.mobile ?? null,
      created_at: new Date(Date.now() - daysAgo * DAY),
      ...row,
      fields: JSON.stringify(fields),
    })
    .returning('id');
  return Number(r.id);
}
const ids = (r: { body: { items: { id: number }[] } }) => r.body.items.map((m) => m.id).sort((a, b) => a - b);
const useMail = async (port: number) => {
  const version = (await admin.get('/api/settings/mail')).body.version;
  const r = await admin.put('/api/settings/mail', { version, smtp: { host: '127.0.0.1', port, security: 'none', fromAddress: 'kefu@acme.test' } });
  if (r.status !== 200) throw new Error(r.text);
};
const until = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
};

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  k.server.container.resolve(CronSupervisor).unschedule('core:mail-outbox'); // the tests drive the outbox
  outbox = k.server.container.resolve(MailOutbox);
  const reg = k.server.container.resolve(HookRegistry);
  for (const name of ['leaveMessage.replied', 'leaveMessage.deleted'] as const)
    reg.addAction(name, (payload) => void hooks.push({ name, payload }), { owner: 'core' });
  ann = await addAgent(admin, 'ann', { permissions: ['leavemsg.handle'], name: 'Ann' });
  bob = await addAgent(admin, 'bob', { permissions: ['leavemsg.handle'], name: 'Bob' });
  [annC, bobC] = [await signIn(k, 'ann'), await signIn(k, 'bob')];
});
test.after.always(async () => {
  await k?.close();
});

test.serial('LEAVEMSG-FILTER-2 time, status, type, handler, keyword (folded, all terms), language and page filters combine with AND', async (t) => {
  await k.server.db('leave_messages').where({ company_id: k.company.id }).delete();
  const group = (await admin.post('/api/groups', { name: 'Sales' })).body;
  const a = await seed({
    type: '投诉',
    handler_id: ann.id,
    language: 'en',
    page_url: 'https://shop.example/cart?x=1',
    fields: { content: '我想申请退款了', name: 'Lee', subject: 'Order 42' },
  });
  const b = await seed({ group_id: group.id, fields: { content: 'iPhone15坏了', email: 'zoe@example.com' } });
  const c = await seed({ status: 'replied', fields: { content: 'Thanks a lot', mobile: '13800138000' } }, 3);
  const old = await seed({ fields: { content: 'ancient 退款' } }, 45);

  t.deepEqual(ids(await admin.get('/api/leave-messages')), [a, b, c], 'the last 30 days by default');
  const from = new Date(Date.now() - 60 * DAY).toISOString();
  t.deepEqual(ids(await admin.get(`/api/leave-messages?from=${from}`)), [a, b, c, old]);
  t.deepEqual(
    ids(await admin.get(`/api/leave-messages?from=${from}&keyword=${encodeURIComponent('退款')}`)),
    [a, old],
    'two Chinese characters match inside a word',
  );
  t.deepEqual(ids(await admin.get(`/api/leave-messages?keyword=${encodeURIComponent('ＩＰＨＯＮＥ１５')}`)), [b], 'full-width and case are folded');
  t.deepEqual(ids(await admin.get('/api/leave-messages?keyword=order%2042')), [a], 'every term must occur; the subject is searched');
  t.deepEqual(ids(await admin.get('/api/leave-messages?keyword=zoe%40example')), [b], 'contacts are searched');
  t.deepEqual(ids(await admin.get('/api/leave-messages?keyword=13800138')), [c]);
  t.deepEqual(ids(await admin.get(`/api/leave-messages?type=${encodeURIComponent('投诉')}`)), [a]);
  t.deepEqual(ids(await admin.get('/api/leave-messages?noType=true')), [b, c]);
  t.deepEqual(ids(await admin.get('/api/leave-messages?handler=unassigned')), [b, c]);
  t.deepEqual(ids(await annC.get('/api/leave-messages?handler=me')), [a]);
  t.deepEqual(ids(await admin.get(`/api/leave-messages?handler=${ann.id}`)), [a]);
  t.deepEqual(ids(await admin.get(`/api/leave-messages?groupId=${group.id}`)), [b]);
  t.deepEqual(ids(await admin.get('/api/leave-messages?status=replied')), [c]);
  t.deepEqual(ids(await admin.get('/api/leave-messages?language=en&pageUrl=SHOP.example%2Fcart')), [a]);
  t.deepEqual(ids(await admin.get('/api/leave-messages?pageUrl=100%25')), [], 'a % in the text is no wildcard');

  const short = await admin.get('/api/leave-messages?keyword=x');
  t.is(short.status, 400);
  t.is(short.body.error.fields[0].code, 'keyword_too_short');
  const long = await admin.get(`/api/leave-messages?from=${new Date(Date.now() - 400 * DAY).toISOString()}`);
  t.is(long.status, 400);
  t.is(long.body.error.fields[0].code, 'range_too_long');
  t.is((await admin.get('/api/leave-messages?handler=someone')).status, 400);
  t.is((await admin.get('/api/leave-messages/unreplied')).body.unreplied, 3, 'the menu count ignores the 30-day default');
});

test.serial('LEAVEMSG-ASSIGN-7 the handler is set to an enabled agent, who sees it and is told; 我来处理 takes it; every change is logged', async (t) => {
  const id = await seed({ fields: { content: 'Who takes this?' } });
  const bobSocket = await agentSocket(k.url, bobC);
  const told = next(bobSocket, 'leaveMessages.changed', (e) => e.ids.includes(id) && e.handlerId === bob.id, 2000);
  const r = await annC.patch(`/api/leave-messages/${id}`, { handlerId: bob.id });
  t.is(r.status, 200, r.text);
  t.like(r.body, { handlerId: bob.id, handlerName: 'Bob' });
  t.like(await told, { change: 'updated', by: ann.id });
  t.true(ids(await bobC.get('/api/leave-messages?handler=me')).includes(id));
  t.is((await annC.get(`/api/leave-messages/${id}`)).status, 404, 'assigned to someone else: hidden from ann');

  const carl = await addAgent(admin, 'carl');
  t.is((await admin.post(`/api/agents/${carl.id}/disable`)).status, 200);
  const disabled = await bobC.patch(`/api/leave-messages/${id}`, { handlerId: carl.id });
  t.is(disabled.status, 400);
  t.is(disabled.body.error.fields[0].code, 'unknown_agent');
  const other = await k.createCompany('Elsewhere');
  const stranger = await k.server.db('agents').where({ company_id: other.id }).first('id');
  t.is((await bobC.patch(`/api/leave-messages/${id}`, { handlerId: Number(stranger.id) })).body.error.fields[0].code, 'unknown_agent');

  t.is((await admin.patch(`/api/leave-messages/${id}`, { handlerId: null })).status, 200);
  t.is((await annC.patch(`/api/leave-messages/${id}`, { handlerId: ann.id, note: 'Mine' })).body.handlerId, ann.id, '我来处理');
  const detail = (await admin.get(`/api/leave-messages/${id}`)).body;
  t.deepEqual(
    detail.changes.map((c: any) => [c.field, c.oldValue, c.newValue, c.agentName]),
    [
      ['handler', null, String(bob.id), 'Ann'],
      ['handler', String(bob.id), null, detail.changes[1].agentName],
      ['note', null, 'Mine', 'Ann'],
      ['handler', null, String(ann.id), 'Ann'],
    ],
  );
  bobSocket.close();
});

test.serial('LEAVEMSG-EMAIL-8 LEAVEMSG-LOCK-11 an e-mail reply goes through the outbox, sets 已回复 once, and guards double replies', async (t) => {
  const noMail = await seed({ fields: { content: 'No address', mobile: '13800000000' } });
  t.is((await annC.post(`/api/leave-messages/${noMail}/replies`, { body: 'Hi' })).body.error.code, 'no_email_address');
  const id = await seed({ language: 'en', fields: { content: 'Where is\nmy order?', email: 'visitor@example.com', subject: 'Order 7' } });
  const notConfigured = await annC.post(`/api/leave-messages/${id}/replies`, { body: 'Hi' });
  t.is(notConfigured.status, 409);
  t.is(notConfigured.body.error.code, 'smtp_not_configured');
  const mailer = await smtp();
  await useMail(mailer.port);
  const empty = await annC.post(`/api/leave-messages/${id}/replies`, { body: '  ' });
  t.is(empty.status, 400);
  t.is(empty.body.error.fields[0].path, 'body');

  // Bob opens the composer: Ann's console is told and her detail names him; her send needs a confirmation.
  const annSocket = await agentSocket(k.url, annC);
  const marked = next(annSocket, 'leaveMessages.changed', (e) => e.change === 'replying' && e.ids.includes(id), 1000);
  t.is((await bobC.post(`/api/leave-messages/${id}/replying`, { active: true })).status, 204);
  t.like(await marked, { by: bob.id });
  t.deepEqual((await annC.get(`/api/leave-messages/${id}`)).body.replying, { agentId: bob.id, nickname: 'Bob' });
  t.is((await bobC.get(`/api/leave-messages/${id}`)).body.replying, null, 'not shown to the one replying');
  const busy = await annC.post(`/api/leave-messages/${id}/replies`, { body: 'We shipped it.' });
  t.is(busy.status, 409);
  t.is(busy.body.error.code, 'leavemsg_reply_in_progress');
  t.is(busy.body.error.replying.nickname, 'Bob');

  const sent = await annC.post(`/api/leave-messages/${id}/replies`, { body: 'We shipped it yesterday.', confirm: true });
  t.is(sent.status, 201, sent.text);
  t.like(sent.body.leaveMessage, { status: 'replied', handlerId: ann.id });
  await until(
    async () => mailer.received.length,
    (n) => n === 1,
  );
  const mail = mailer.received[0];
  t.deepEqual(mail.to, ['visitor@example.com']);
  t.regex(mail.raw, /^Subject: Re: Order 7/m);
  t.regex(mail.raw, /We shipped it yesterday\./);
  t.regex(mail.raw, /> Where is\r?\n> my order\?/, 'the original is quoted below');
  const detail = await until(
    async () => (await annC.get(`/api/leave-messages/${id}`)).body,
    (d) => d.replies[0]?.state === 'sent',
  );
  t.like(detail.replies[0], {
    channel: 'email',
    to: 'visitor@example.com',
    subject: 'Re: Order 7',
    body: 'We shipped it yesterday.',
    agentName: 'Ann',
    state: 'sent',
  });
  t.deepEqual(
    hooks.filter((h) => h.name === 'leaveMessage.replied').map((h) => h.payload),
    [{ leaveMessageId: id, by: ann.id, channel: 'email' }],
  );

  t.is((await bobC.post(`/api/leave-messages/${id}/replying`, { active: false })).status, 204, 'Bob closes his composer');
  const again = await admin.post(`/api/leave-messages/${id}/replies`, { body: 'Also...' });
  t.is(again.status, 409);
  t.is(again.body.error.code, 'leavemsg_already_replied');
  t.is((await admin.post(`/api/leave-messages/${id}/replies`, { body: 'Also, tracking: 123', confirm: true })).status, 201);
  t.is(hooks.filter((h) => h.name === 'leaveMessage.replied').length, 1, 'leaveMessage.replied fires the first time only');
  annSocket.close();
  await mailer.close();
});

test.serial('LEAVEMSG-EMAIL-8 a reply that finally fails returns the leave-message to 未回复 and tells its sender', async (t) => {
  const refusing = await smtp(true);
  await useMail(refusing.port);
  const id = await seed({ fields: { content: '请回电', email: 'v2@example.com' } });
  const bobSocket = await agentSocket(k.url, bobC);
  const told = next(bobSocket, 'leaveMessages.replyFailed', (e) => e.id === id, 8000);
  const r = await bobC.post(`/api/leave-messages/${id}/replies`, { body: '好的' });
  t.is(r.status, 201, r.text);
  t.regex(
    await k.server
      .db('mail_outbox')
      .where({ leave_message_id: id })
      .first('subject')
      .then((m) => m.subject),
    /^回复:您的留言$/,
  );
  for (let i = 0; i < outbox.maxAttempts; i++) {
    await k.server
      .db('mail_outbox')
      .where({ leave_message_id: id })
      .whereNull('sent_at')
      .whereNotNull('next_attempt_at')
      .update({ next_attempt_at: new Date(Date.now() - 1000) });
    await outbox.drain();
  }
  t.like(await told, { error: 'mail_failed' });
  const detail = (await bobC.get(`/api/leave-messages/${id}`)).body;
  t.is(detail.status, 'unreplied');
  t.is(detail.replies[0].state, 'failed');
  t.deepEqual(detail.changes.at(-1), { ...detail.changes.at(-1), field: 'status', oldValue: 'replied', newValue: 'unreplied', agentId: null });
  bobSocket.close();
  await refusing.close();
});

test.serial(
  'LEAVEMSG-BULK-12 LEAVEMSG-DELETE-14 bulk actions report each item; deleting needs leavemsg.delete, audits and fires leaveMessage.deleted',
  async (t) => {
    const group = (await admin.post('/api/groups', { name: 'Hidden' })).body;
    const [x, y] = [await seed({ fields: { content: 'bulk x' } }), await seed({ fields: { content: 'bulk y' } })];
    const hidden = await seed({ group_id: group.id, fields: { content: 'other group' } });
    const r = await annC.post('/api/leave-messages/bulk', { ids: [x, y, hidden, 99999999], action: 'type', type: '售后' });
    t.is(r.status, 200, r.text);
    t.deepEqual(r.body.results, [
      { id: x, ok: true },
      { id: y, ok: true },
      { id: hidden, ok: false, error: 'not_found' },
      { id: 99999999, ok: false, error: 'not_found' },
    ]);
    const status = await annC.post('/api/leave-messages/bulk', { ids: [x, y], action: 'status', status: 'replied' });
    t.true(status.body.results.every((i: any) => i.ok));
    t.deepEqual(
      (await admin.get(`/api/leave-messages?ids=${x},${y}`)).body.items.map((m: any) => [m.type, m.status]),
      [
        ['售后', 'replied'],
        ['售后', 'replied'],
      ],
    );
    const badType = await annC.post('/api/leave-messages/bulk', { ids: [x], action: 'type', type: 'Gossip' });
    t.deepEqual(badType.body.results, [{ id: x, ok: false, error: 'unknown_type' }]);
    t.is((await annC.post('/api/leave-messages/bulk', { ids: Array.from({ length: 501 }, (_, i) => i + 1), action: 'delete' })).status, 400);

    const denied = await annC.post('/api/leave-messages/bulk', { ids: [x], action: 'delete' });
    t.is(denied.status, 403);
    t.is(denied.body.error.permission, 'leavemsg.delete');
    await patchAgent(admin, ann.id, { permissions: ['leavemsg.handle', 'leavemsg.delete'] });
    const annSocket = await agentSocket(k.url, annC);
    const live = next(annSocket, 'leaveMessages.changed', (e) => e.change === 'deleted', 1000);
    const del = await annC.post('/api/leave-messages/bulk', { ids: [x, y, hidden], action: 'delete' });
    t.deepEqual(
      del.body.results.map((i: any) => i.ok),
      [true, true, false],
    );
    t.deepEqual((await live).ids.sort(), [x, y].sort());
    t.is((await admin.get(`/api/leave-messages/${x}`)).status, 404);
    t.is((await admin.get(`/api/leave-messages/${hidden}`)).status, 200, 'one she cannot see stays');
    t.deepEqual(hooks.find((h) => h.name === 'leaveMessage.deleted')?.payload.leaveMessageIds.sort(), [x, y].sort());
    const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'leavemsg.delete' }).first();
    t.is(audit.old_value.count, 2);
    annSocket.close();
  },
);

test.serial('LEAVEMSG-EXPORT-13 CSV and XLSX of the filtered visible leave-messages, formula-safe, audited, with handler and last reply', async (t) => {
  const download = async (c: TestClient, qs: string) => {
    const res = await fetch(`${k.url}/api/leave-messages/export?${qs}`, { headers: { cookie: c.cookie, origin: k.url } });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const id = await seed({
    handler_id: bob.id,
    note: 'VIP',
    type: '咨询',
    fields: { content: '=HYPERLINK("http://evil")', name: '+Eve', email: 'eve@example.com', city: '杭州' },
  });
  t.is((await download(annC, 'format=csv')).status, 403);
  await patchAgent(admin, bob.id, { permissions: ['leavemsg.handle', 'leavemsg.export'] });
  const csv = await download(bobC, `format=csv&keyword=HYPERLINK`);
  t.is(csv.status, 200);
  t.regex(csv.type ?? '', /text\/csv/);
  const text = csv.bytes.toString('utf8');
  t.true(text.startsWith('\ufeff'), 'a BOM so Excel reads UTF-8');
  const lines = text.slice(1).trim().split('\r\n');
  t.is(lines.length, 2, 'header and the one match');
  t.true(lines[0].startsWith('留言ID,留言时间,姓名'));
  t.true(lines[1].includes(`"'=HYPERLINK(""http://evil"")"`), 'a formula is written as text');
  t.true(lines[1].includes("'+Eve"));
  t.true(lines[1].includes('city: 杭州'), 'custom fields are kept');
  t.true(lines[1].includes(',未回复,咨询,,Bob,VIP,'));

  const xlsx = await download(bobC, `format=xlsx&ids=${id}`);
  t.is(xlsx.status, 200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.bytes as never);
  const sheet = book.worksheets[0];
  t.is(sheet.rowCount, 2);
  t.is(sheet.getRow(2).getCell(1).value, String(id));
  t.is(sheet.getRow(2).getCell(11).type, ExcelJS.ValueType.String, 'never a formula cell');
  const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'leavemsg.export' }).orderBy('id');
  t.deepEqual(
    audit.map((a) => [a.new_value.format, a.new_value.count]),
    [
      ['csv', 1],
      ['xlsx', 1],
    ],
  );
  t.is((await download(bobC, 'format=pdf')).status, 400);
});

test.serial('LEAVEMSG-LIVE-16 a new leave-message reaches the consoles within 2 s, and the count follows', async (t) => {
  const annSocket = await agentSocket(k.url, annC);
  const before = (await annC.get('/api/leave-messages/unreplied')).body.unreplied;
  const pushed = next(annSocket, 'leaveMessages.changed', (e) => e.change === 'created', 2000);
  const v = await visitorSocket(k.url, k.company.publicId);
  const ok = await call(v.socket, 'leavemsg.submit', { fields: { name: 'Live', email: 'live@example.com', content: 'Anyone there?' } });
  t.true(ok.ok, JSON.stringify(ok));
  t.deepEqual((await pushed).ids, [ok.leaveMessage.id]);
  t.is((await annC.get('/api/leave-messages/unreplied')).body.unreplied, before + 1);
  v.socket.close();
  annSocket.close();
});
