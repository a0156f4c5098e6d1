import test from 'ava';
import { startTestServer, type TestKefu } from '@kefu/core/testing';
import { VerificationChallenges } from '../src/policies/verification-challenges.ts';
import { clientAt } from './helpers/accounts.ts';

const OPERATOR = 'operator-token-for-tests-0123456789';
let closed: TestKefu;
let open: TestKefu;
let invite: TestKefu;
const answers: string[] = [];

/** The test learns each image's answer, as a person reading the picture would. */
function readImages(k: TestKefu) {
  const challenges = k.server.container.resolve(VerificationChallenges);
  const real = challenges.generate;
  challenges.generate = () => {
    const c = real();
    answers.push(c.text);
    return c;
  };
}

test.before(async () => {
  [closed, open, invite] = await Promise.all([
    startTestServer(),
    startTestServer({ KEFU_SIGNUP: 'open' }),
    startTestServer({ KEFU_SIGNUP: 'invite', KEFU_OPERATOR_TOKEN: OPERATOR }),
  ]);
  readImages(open);
  readImages(invite);
});
test.after.always(() => Promise.all([closed?.close(), open?.close(), invite?.close()]));

const form = (extra: Record<string, unknown> = {}) => ({
  companyName: 'Blue Harbour Ltd',
  agentId: 'boss',
  nickname: 'Boss',
  email: 'boss@harbour.test',
  password: 'Harbour-lights-9',
  ...extra,
});

let lastImage = '';
/** An image challenge and its answer. */
async function challenge(k: TestKefu) {
  const r = await k.client().post('/api/signup/challenge');
  if (r.status !== 200) throw new Error(`challenge: ${r.status} ${r.text}`);
  lastImage = r.body.image;
  return { challengeId: r.body.challengeId as string, answer: answers.at(-1)! };
}

test('LOGIN-REGISTER-13 closed by default: the page learns it, and the registration API answers 404 not_found', async (t) => {
  t.deepEqual((await closed.client().get('/api/signup')).body, { mode: 'closed' });
  const c = await closed.client().post('/api/signup/challenge');
  t.is(c.status, 404);
  t.is(c.body.error.code, 'not_found');
  const r = await closed.client().post('/api/signup', form({ challengeId: crypto.randomUUID(), answer: 'abcd' }));
  t.is(r.status, 404);
});

test.serial('LOGIN-REGISTER-13 open: a company is made with the next company ID; its agent is the primary admin and signs in', async (t) => {
  t.deepEqual((await open.client().get('/api/signup')).body, { mode: 'open' });
  const ch = await challenge(open);
  t.true(lastImage.startsWith('<svg'));
  const wrong = await clientAt(open, '203.0.113.1').post('/api/signup', form({ challengeId: ch.challengeId, answer: 'zzzzzz' }));
  t.is(wrong.status, 400);
  t.like(wrong.body.error.fields[0], { path: 'answer', code: 'challenge_wrong' });

  const made = await clientAt(open, '203.0.113.1').post('/api/signup', form({ challengeId: ch.challengeId, answer: ch.answer.toUpperCase() }));
  t.is(made.status, 201, made.text);
  t.deepEqual(made.body, { companyId: open.company.publicId + 1, agentId: 'boss' });
  // The challenge is spent.
  const again = await clientAt(open, '203.0.113.1').post('/api/signup', form({ challengeId: ch.challengeId, answer: ch.answer }));
  t.like(again.body.error.fields[0], { path: 'answer', code: 'challenge_expired' });

  const boss = await open.login('boss', 'Harbour-lights-9', made.body.companyId);
  const me = (await boss.get('/api/auth/me')).body;
  t.like(me.agent, { agentId: 'boss', nickname: 'Boss', role: 'admin', isPrimary: true });
  t.is(me.company.name, 'Blue Harbour Ltd');
  // The primary admin creates further agent IDs.
  t.is((await boss.post('/api/agents', { agentId: 'clerk', name: 'Clerk', password: 'Harbour-desk-77', mustChangePassword: false })).status, 201);
});

test.serial('LOGIN-REGISTER-13 fields are checked by name, the password by PROFILE-PASSWORD-3, and at most 3 registrations per IP a day', async (t) => {
  const bad = await open
    .client()
    .post('/api/signup', form({ companyName: '', agentId: '-x', nickname: 'n'.repeat(21), email: 'no', challengeId: 'x', answer: 'a' }));
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.fields.map((f: any) => f.path).sort(), ['agentId', 'challengeId', 'companyName', 'email', 'nickname']);
  const weak = await open.client().post('/api/signup', form({ password: 'boss-12345', ...(await challenge(open)) }));
  t.like(weak.body.error.fields[0], { path: 'password', code: 'password_weak' });

  const ip = '203.0.113.9';
  for (let i = 0; i < 3; i++) {
    const r = await clientAt(open, ip).post('/api/signup', form({ companyName: `Shop ${i}`, ...(await challenge(open)) }));
    t.is(r.status, 201, r.text);
  }
  const fourth = await clientAt(open, ip).post('/api/signup', form({ companyName: 'Shop 4', ...(await challenge(open)) }));
  t.is(fourth.status, 429);
  t.is(fourth.body.error.code, 'rate_limited');
  t.is((await clientAt(open, '203.0.113.10').post('/api/signup', form({ companyName: 'Shop 5', ...(await challenge(open)) }))).status, 201);
});

test.serial('LOGIN-REGISTER-13 invite: only with the operator’s link, and each link once', async (t) => {
  t.deepEqual((await invite.client().get('/api/signup')).body, { mode: 'invite' });
  const none = await invite.client().post('/api/signup', form(await challenge(invite)));
  t.like(none.body.error.fields[0], { path: 'invite', code: 'invite_required' });
  t.is((await invite.client().post('/api/operator/signup-invites')).status, 401);

  const op = invite.client();
  op.bearer = OPERATOR;
  const link = await op.post('/api/operator/signup-invites');
  t.is(link.status, 201, link.text);
  t.true(link.body.url.endsWith(`/register?invite=${link.body.token}`));
  t.true(new Date(link.body.expiresAt).getTime() - Date.now() > 6.9 * 86_400_000);

  const forged = await invite.client().post('/api/signup', form({ invite: 'forged-token', ...(await challenge(invite)) }));
  t.like(forged.body.error.fields[0], { path: 'invite', code: 'invite_invalid' });
  const used = await invite.client().post('/api/signup', form({ invite: link.body.token, ...(await challenge(invite)) }));
  t.is(used.status, 201, used.text);
  const twice = await invite.client().post('/api/signup', form({ companyName: 'Again', invite: link.body.token, ...(await challenge(invite)) }));
  t.like(twice.body.error.fields[0], { path: 'invite', code: 'invite_invalid' });
});
