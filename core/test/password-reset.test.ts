import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { MailOutbox } from '../src/leavemsg/mail-outbox.ts';
import { addAgent, AGENT_PASSWORD, clientAt, signIn } from './helpers/accounts.ts';
import { mailText, smtp } from './helpers/smtp.ts';

/** LOGIN-FORGOT-14: a forgotten password is reset through a single-use e-mailed link. */
let k: TestKefu;
let admin: TestClient;
let outbox: MailOutbox;
let mailer: Awaited<ReturnType<typeof smtp>>;
let clockOffsetMs = 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };

const ask = (agentId: string, ip = '198.51.100.1') => clientAt(k, ip).post('/api/auth/password-reset', { companyId: String(k.company.publicId), agentId });
/** Sends what is queued and returns the link of the newest mail to `to`. */
async function linkSentTo(to: string): Promise<string> {
  await outbox.drain();
  const mail = mailer.received.filter((m) => m.to.includes(to)).at(-1);
  if (!mail) throw new Error(`no mail to ${to}`);
  const url = /https?:\/\/\S+\/reset-password\?token=(\S+)/.exec(mailText(mail.raw));
  if (!url) throw new Error('no link in the mail');
  return decodeURIComponent(url[1]);
}

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
  outbox = k.server.container.resolve(MailOutbox);
  mailer = await smtp();
});
test.after.always(async () => {
  await mailer?.close();
  await k?.close();
});

test.serial('LOGIN-FORGOT-14 without a mail server nothing is sent, and the answer is the same as for a real account', async (t) => {
  await addAgent(admin, 'nomail', { password: AGENT_PASSWORD });
  await admin.patch('/api/profile', { email: 'admin@acme.test' });
  const known = await ask('admin');
  const unknown = await ask('nobody-here');
  t.is(known.status, 202);
  t.is(unknown.status, known.status);
  t.is(unknown.text, known.text);
  t.is(await outbox.drain(), 0);
});

test.serial('LOGIN-FORGOT-14 the link sets a new password once, ends every session and is written to the login log', async (t) => {
  const version = (await admin.get('/api/settings/mail')).body.version;
  const saved = await admin.put('/api/settings/mail', {
    version,
    smtp: { host: '127.0.0.1', port: mailer.port, security: 'none', fromAddress: 'kefu@acme.test' },
  });
  t.is(saved.status, 200, saved.text);
  const bo = await addAgent(admin, 'bo');
  const edited = await (await signIn(k, 'bo')).patch('/api/profile', { email: 'bo@acme.test' });
  t.is(edited.status, 200, edited.text);
  const boSession = await signIn(k, 'bo');

  // Unknown agent, agent without e-mail and a real one answer alike; only the real one gets mail.
  const answers = await Promise.all([ask('BO'), ask('ghost'), ask('nomail')]);
  t.deepEqual(
    answers.map((a) => [a.status, a.text]),
    answers.map(() => [202, answers[0].text]),
  );
  const token = await linkSentTo('bo@acme.test');
  t.is(mailer.received.length, 1, 'one mail, to bo only');

  const who = await k.client().post('/api/auth/password-reset/inspect', { token });
  t.is(who.status, 200);
  t.like(who.body, { agentId: 'bo', companyId: k.company.publicId });

  const weak = await k.client().post('/api/auth/password-reset/complete', { token, newPassword: 'short' });
  t.is(weak.status, 400);
  t.is(weak.body.error.fields[0].path, 'newPassword');

  const done = await k.client().post('/api/auth/password-reset/complete', { token, newPassword: 'Fresh-meadow-77' });
  t.is(done.status, 204, done.text);
  t.is((await boSession.get('/api/auth/me')).status, 401, 'the old session ended');
  await signIn(k, 'bo', 'Fresh-meadow-77');
  await t.throwsAsync(() => signIn(k, 'bo', AGENT_PASSWORD));

  const again = await k.client().post('/api/auth/password-reset/complete', { token, newPassword: 'Another-field-88' });
  t.is(again.status, 410);
  t.is(again.body.error.code, 'reset_link_invalid');
  const tampered = await k.client().post('/api/auth/password-reset/inspect', { token: token.slice(0, -2) + 'AA' });
  t.is(tampered.status, 410);

  const event = await k.server.db('login_log').where({ agent_id: bo.id, type: 'event' }).orderBy('id', 'desc').first();
  t.is(event?.reason, 'password_reset_email');
  t.is(Number(event?.actor_agent_id), bo.id, 'the agent reset it themselves'); // bigint columns come back as strings on PostgreSQL
});

test.serial('LOGIN-FORGOT-14 a link expires after 30 minutes', async (t) => {
  await ask('bo', '198.51.100.2');
  const token = await linkSentTo('bo@acme.test');
  clockOffsetMs = 31 * 60_000;
  t.teardown(() => (clockOffsetMs = 0));
  const late = await k.client().post('/api/auth/password-reset/inspect', { token });
  t.is(late.status, 410);
});

test.serial('LOGIN-FORGOT-14 at most 3 requests per agent per hour and 10 per address, existing or not', async (t) => {
  const counts = async (agentId: string, ip: string) => {
    const out: number[] = [];
    for (let i = 0; i < 4; i++) out.push((await ask(agentId, ip)).status);
    return out;
  };
  await addAgent(admin, 'dee');
  t.deepEqual(await counts('dee', '198.51.100.10'), [202, 202, 202, 429]);
  t.deepEqual(await counts('no-such-agent', '198.51.100.11'), [202, 202, 202, 429]);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await ask(`x${i}`, '198.51.100.12')).status);
  t.deepEqual(statuses, [...Array(10).fill(202), 429]);
});
