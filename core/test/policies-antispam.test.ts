import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { VerificationChallenges } from '../src/policies/verification-challenges.ts';
import { call, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
let admin: TestClient;
const answers: string[] = [];

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  const challenges = k.server.container.resolve(VerificationChallenges);
  const real = challenges.generate;
  // The image stays the library's; the test only learns each answer, as a person reading the picture would.
  challenges.generate = () => {
    const c = real();
    answers.push(c.text);
    return c;
  };
});
test.after.always(() => k?.close());

const save = async (settings: Record<string, unknown>) => {
  const version = (await admin.get('/api/settings/policies')).body.version;
  const r = await admin.put('/api/settings/policies', { version, settings });
  if (r.status !== 200) throw new Error(r.text);
};

test.serial('POLICY-SPAM-4 POLICY-SPAM-5 past the per-address threshold a chat request needs a solved, single-use image challenge', async (t) => {
  await save({ antiSpam: { enabled: true, perIp: { count: 1, minutes: 1 }, perVisitor: { count: 5, minutes: 10 } } });
  const a = await visitorSocket(k.url, k.company.publicId);
  t.true((await call(a.socket, 'chat.request', {})).ok, 'the first request from the address passes');
  t.true((await call(a.socket, 'chat.request', {})).ok, 'a repeated request for the open chat is not counted');

  const b = await visitorSocket(k.url, k.company.publicId);
  const refused = await call(b.socket, 'chat.request', {});
  t.is(refused.error.code, 'verification_required');
  const { challengeId, image } = refused.error.challenge;
  t.regex(image, /^<svg[\s\S]*<\/svg>$/);
  t.false(image.includes(answers.at(-1)!), 'the answer is drawn, not written, in the image');
  const answer = answers.at(-1)!;
  t.true(answer.length >= 4 && answer.length <= 6);

  const wrong = await call(b.socket, 'chat.request', { verification: { challengeId, answer: 'zzzz' } });
  t.like(wrong.error, { code: 'verification_failed', challengeId });
  const ok = await call(b.socket, 'chat.request', { verification: { challengeId, answer: answer.toUpperCase() } });
  t.true(ok.ok, JSON.stringify(ok));

  const c = await visitorSocket(k.url, k.company.publicId);
  const reused = await call(c.socket, 'chat.request', { verification: { challengeId, answer } });
  t.is(reused.error.code, 'verification_failed', 'a challenge is single-use');
  t.not(reused.error.challenge.challengeId, challengeId, 'with a new challenge to solve');

  await call(b.socket, 'chat.end', { conversationId: ok.conversation.id });
  t.true((await call(b.socket, 'chat.request', {})).ok, 'a pass holds 30 minutes for that visitor');
  for (const v of [a, b, c]) v.socket.close();
});

test.serial('POLICY-SPAM-5 five wrong answers kill a challenge; the public endpoint gives fresh ones', async (t) => {
  await save({ antiSpam: { enabled: true, mode: 'always' } });
  const fresh = await k.client().post('/api/widget/verification', { companyId: k.company.publicId });
  t.is(fresh.status, 201, fresh.text);
  t.regex(fresh.body.image, /^<svg/);
  const v = await visitorSocket(k.url, k.company.publicId);
  const verification = { challengeId: fresh.body.challengeId, answer: 'nope' };
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await call(v.socket, 'chat.request', { verification })).error);
  t.deepEqual(
    codes.map((e) => e.code),
    Array(5).fill('verification_failed'),
  );
  t.truthy(codes[4].challenge, 'the fifth wrong answer brings a new challenge');
  const late = await call(v.socket, 'chat.request', { verification: { challengeId: fresh.body.challengeId, answer: answers.at(-2)! } });
  t.is(late.error.code, 'verification_failed', 'the right answer no longer counts');
  const unknown = await k.client().post('/api/widget/verification', { companyId: 99999 });
  t.is(unknown.status, 404);
  const bad = await call(v.socket, 'chat.request', { verification: { challengeId: 'x', answer: '' } });
  t.is(bad.error.code, 'validation_failed');
  v.socket.close();
  await save({});
});
