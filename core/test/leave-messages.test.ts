import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { MailOutbox } from '../src/leavemsg/mail-outbox.ts';
import { addAgent, clientAt, signIn } from './helpers/accounts.ts';
import { call, visitorSocket } from './helpers/sockets.ts';
import { smtp } from './helpers/smtp.ts';

let k: TestKefu;
let admin: TestClient;
let good: Awaited<ReturnType<typeof smtp>>;
let outbox: MailOutbox;
const created: any[] = [];

const mailSettings = async (c: TestClient, port: number, extra: Record<string, unknown> = {}) => {
  const version = (await c.get('/api/settings/mail')).body.version;
  return c.put('/api/settings/mail', {
    version,
    forwardEnabled: true,
    recipients: port === good.port ? ['boss@acme.test', 'desk@acme.test'] : ['boss@acme.test'],
    smtp: { host: '127.0.0.1', port, security: 'none', user: 'mailer', fromAddress: 'kefu@acme.test', fromName: 'Kefu', ...extra },
  });
};
const until = async <T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
};
const outboxRows = (leaveMessageId: number) => k.server.db('mail_outbox').where({ leave_message_id: leaveMessageId }).orderBy('id');

test.before(async () => {
  good = await smtp();
  k = await startTestServer();
  admin = await k.login();
  const cron = k.server.container.resolve(CronSupervisor);
  if (!cron.names().includes('core:mail-outbox')) throw new Error('core:mail-outbox is not scheduled');
  cron.unschedule('core:mail-outbox'); // the test drives the outbox itself
  outbox = k.server.container.resolve(MailOutbox);
  k.server.container.resolve(HookRegistry).addAction('leaveMessage.created', (p) => void created.push(p), { owner: 'core' });
});
test.after.always(async () => {
  await k?.close();
  await good?.close();
});

test.serial('LEAVESET-SMTP-3 the mail server password is write-only (•••• + last 4) and stored sealed', async (t) => {
  const r = await mailSettings(admin, good.port, { password: 'secret-pass-1234' });
  t.is(r.status, 200, r.text);
  t.is(r.body.smtp.password, '••••1234');
  const row = await k.server.db('mail_settings').where({ company_id: k.company.id }).first();
  t.false(JSON.stringify(row.smtp).includes('secret-pass'), 'never stored in clear');
  const kept = await mailSettings(admin, good.port);
  t.is(kept.body.smtp.password, '••••1234', 'omitting the password keeps it');
  const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'settings.mail.update' });
  t.false(audit.some((a) => JSON.stringify(a).includes('secret-pass')));
  const noServer = await admin.put('/api/settings/mail', { version: kept.body.version, forwardEnabled: true, recipients: ['a@b.test'], smtp: null });
  t.is(noServer.status, 400);
  t.is(noServer.body.error.fields[0].code, 'smtp_not_configured');
  const stale = await admin.put('/api/settings/mail', { version: 0, forwardEnabled: false });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'settings_changed');
});

test.serial('LEAVESET-STORE-9 LEAVESET-EMAIL-2 a visitor’s leave-message is listed and forwarded to a real SMTP server', async (t) => {
  const v = await visitorSocket(k.url, k.company.publicId);
  const bad = await call(v.socket, 'leavemsg.submit', { fields: { name: 'Ann', email: 'nope' } });
  t.is(bad.error.code, 'validation_failed');
  t.deepEqual(Object.fromEntries(bad.error.fields.map((f: any) => [f.path, f.code])), { 'fields.email': 'invalid_email', 'fields.content': 'required' });
  const noContact = await call(v.socket, 'leavemsg.submit', { fields: { name: 'Ann', content: 'Hi' } });
  t.is(noContact.error.fields[0].code, 'contact_required');

  const clientId = 'lm-1';
  const ok = await call(v.socket, 'leavemsg.submit', {
    clientId,
    language: 'en',
    pageUrl: 'https://shop.example/p/1',
    fields: { name: 'Ann Lee', email: 'ann@example.com', mobile: '13800138000', content: 'Please call me about order 42.', qq: '12345' },
  });
  t.true(ok.ok, JSON.stringify(ok));
  const again = await call(v.socket, 'leavemsg.submit', {
    clientId,
    fields: { name: 'Ann Lee', email: 'ann@example.com', content: 'Please call me about order 42.' },
  });
  t.is(again.leaveMessage.id, ok.leaveMessage.id, 'a retried submit is stored once');

  const list = await admin.get('/api/leave-messages?status=unreplied');
  t.is(list.status, 200, list.text);
  t.is(list.body.unreplied, 1);
  t.like(list.body.items[0], { id: ok.leaveMessage.id, name: 'Ann Lee', email: 'ann@example.com', phone: '13800138000', status: 'unreplied', type: null });
  t.is(list.body.items[0].fields.qq, undefined, 'hidden items are dropped');
  t.like(created.at(-1), { leaveMessageId: ok.leaveMessage.id, channel: 'web' });

  await until(
    () => good.received.length,
    (n) => n >= 2,
  );
  t.is(good.received.length, 2, 'one mail per recipient');
  t.deepEqual(good.received.flatMap((m) => m.to).sort(), ['boss@acme.test', 'desk@acme.test']);
  const mail = good.received[0];
  t.deepEqual(mail.auth, { user: 'mailer', pass: 'secret-pass-1234' }, 'the sealed password was used');
  t.regex(mail.raw, /^Subject: New message: Please call me about order 42\./m);
  t.regex(mail.raw, /^Reply-To: ann@example\.com/m);
  t.regex(mail.raw, /Name: Ann Lee/);
  t.regex(mail.raw, /Message: Please call me about order 42\./);
  t.regex(mail.raw, /Page: https:\/\/shop\.example\/p\/1/);
  // The server marks a mail sent after the SMTP server took it: wait for that too.
  const rows = await until(
    () => outboxRows(ok.leaveMessage.id),
    (r) => r.length === 2 && r.every((m) => !!m.sent_at),
  );
  t.true(rows.length === 2 && rows.every((m) => !!m.sent_at));
  v.socket.close();
});

test.serial('LEAVESET-EMAIL-2 a refusing or unreachable mail server is retried with backoff and the leave-message is kept', async (t) => {
  const refusing = await smtp(true);
  t.is((await mailSettings(admin, refusing.port)).status, 200);
  const r = await clientAt(k, '203.0.113.7').post('/api/widget/leave-message', {
    companyId: k.company.publicId,
    language: 'en',
    fields: { name: 'Bo', email: 'bo@example.com', content: 'Mail me' },
  });
  t.is(r.status, 201, r.text);
  const id = r.body.leaveMessage.id;
  const first = await until(
    () => outboxRows(id),
    (rows) => rows.length === 1 && rows[0].attempts === 1 && !!rows[0].last_error,
  );
  t.regex(first[0].last_error, /451|busy/i);
  t.is(first[0].sent_at, null);
  const wait1 = new Date(first[0].next_attempt_at).getTime() - Date.now();
  t.true(wait1 > 2 * 60_000 && wait1 < 6 * 60_000, `first retry in ~4 min, got ${wait1} ms`);
  t.is(await outbox.drain(), 0, 'not due yet: nothing is sent');

  // Server down altogether: the next attempt fails too, and waits about twice as long.
  await refusing.close();
  await k.server
    .db('mail_outbox')
    .where({ id: first[0].id })
    .update({ next_attempt_at: new Date(Date.now() - 1000) });
  t.is(await outbox.drain(), 0);
  const [second] = await outboxRows(id);
  t.is(second.attempts, 2);
  t.regex(second.last_error, /ECONNREFUSED|connect/i);
  const wait2 = new Date(second.next_attempt_at).getTime() - Date.now();
  t.true(wait2 > 6 * 60_000 && wait2 < 10 * 60_000, `second retry in ~8 min, got ${wait2} ms`);
  t.like((await admin.get(`/api/leave-messages/${id}`)).body, { id, status: 'unreplied', content: 'Mail me' });

  // Back to a working server: the retry delivers.
  await mailSettings(admin, good.port);
  await k.server
    .db('mail_outbox')
    .where({ id: second.id })
    .update({ next_attempt_at: new Date(Date.now() - 1000) });
  const before = good.received.length;
  t.is(await outbox.drain(), 1);
  t.is(good.received.length, before + 1);
  t.regex(good.received.at(-1)!.raw, /Subject: New message: Mail me/);
  const [done] = await outboxRows(id);
  t.truthy(done.sent_at);
  t.is(done.next_attempt_at, null);
});

test.serial('LEAVEMSG-STATUS-5 LEAVEMSG-TYPE-6 LEAVEMSG-VISIBILITY-3 handling needs leavemsg.handle; agents see theirs and unassigned', async (t) => {
  const group = (await admin.post('/api/groups', { name: 'VIP' })).body;
  const [own] = await k.server.db('leave_messages').insert({ company_id: k.company.id, content: 'VIP only', group_id: group.id }).returning('id');
  const reader = await addAgent(admin, 'reader', { permissions: ['conversation.accept'] });
  const handler = await addAgent(admin, 'handler', { permissions: ['leavemsg.handle'] });
  const [r, h] = [await signIn(k, reader.agentId), await signIn(k, handler.agentId)];

  const seen = (await r.get('/api/leave-messages')).body;
  t.false(
    seen.items.some((m: any) => m.id === Number(own.id)),
    'an unassigned message of another group is hidden',
  );
  t.is((await r.get(`/api/leave-messages/${own.id}`)).status, 404);
  const all = (await admin.get('/api/leave-messages')).body;
  t.true(all.items.some((m: any) => m.id === Number(own.id)));
  t.is(seen.unreplied, all.unreplied - 1, 'the count follows visibility');

  const target = seen.items[0];
  const denied = await r.patch(`/api/leave-messages/${target.id}`, { status: 'replied' });
  t.is(denied.status, 403);
  t.is(denied.body.error.permission, 'leavemsg.handle');

  const badType = await h.patch(`/api/leave-messages/${target.id}`, { type: 'Gossip' });
  t.is(badType.status, 400);
  t.is(badType.body.error.fields[0].code, 'unknown_type');
  const done = await h.patch(`/api/leave-messages/${target.id}`, { status: 'replied', type: '售后', note: 'Called back', version: target.version });
  t.is(done.status, 200, done.text);
  t.like(done.body, { status: 'replied', type: '售后', note: 'Called back', handlerId: handler.id });
  t.truthy(done.body.repliedAt);
  const stale = await h.patch(`/api/leave-messages/${target.id}`, { status: 'unreplied', version: target.version });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'leavemsg_changed');
  t.is((await admin.get('/api/leave-messages?status=replied')).body.items[0].id, target.id);
  t.false(
    (await r.get('/api/leave-messages')).body.items.some((m: any) => m.id === target.id),
    'now handled by someone else: hidden from the reader',
  );
});

test.serial('LEAVEMSG-VISIBILITY-3 tenant isolation, and the public form is rate limited per address', async (t) => {
  const other = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
  const ours = (await admin.get('/api/leave-messages')).body.items[0];
  t.is((await otherAdmin.get('/api/leave-messages')).body.total, 0);
  t.is((await otherAdmin.get(`/api/leave-messages/${ours.id}`)).status, 404);
  t.is((await otherAdmin.patch(`/api/leave-messages/${ours.id}`, { note: 'x' })).status, 404);
  t.is((await otherAdmin.get('/api/settings/mail')).body.smtp, null);

  const c = clientAt(k, '198.51.100.9');
  const body = { companyId: other.publicId, fields: { name: 'Spam', email: 'spam@example.com', content: 'hello' } };
  const answers: number[] = [];
  for (let i = 0; i < 21; i++) answers.push((await c.post('/api/widget/leave-message', body)).status);
  t.deepEqual(answers.slice(0, 20), Array(20).fill(201));
  t.is(answers[20], 429);
  t.is((await otherAdmin.get('/api/leave-messages')).body.total, 20);
  t.is((await k.client().post('/api/widget/leave-message', { ...body, companyId: 99999999 })).status, 404);
});
