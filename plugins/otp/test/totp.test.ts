import test from 'ava';
import { classifyCode, formatRecoveryCode, hashRecoveryCode, newRecoveryCodes, RECOVERY_ALPHABET, recoveryCodeMatches } from '../server/recovery-codes.ts';
import { groupSecret, matchStep, newSecret, otpauthUri, totpAt } from '../server/totp.ts';

const enc = new TextEncoder();
const seeds = {
  sha1: enc.encode('12345678901234567890'),
  sha256: enc.encode('12345678901234567890123456789012'),
  sha512: enc.encode('1234567890123456789012345678901234567890123456789012345678901234'),
} as const;

// RFC 6238 Appendix B: time (s) → 8-digit codes for SHA-1, SHA-256, SHA-512.
const vectors: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

test('OTP-VERIFY-5 RFC 6238 Appendix B vectors (SHA-1, SHA-256, SHA-512, 8 digits)', async (t) => {
  for (const [time, sha1, sha256, sha512] of vectors) {
    t.is(await totpAt(seeds.sha1, time, { algorithm: 'sha1', digits: 8 }), sha1, `SHA-1 T=${time}`);
    t.is(await totpAt(seeds.sha256, time, { algorithm: 'sha256', digits: 8 }), sha256, `SHA-256 T=${time}`);
    t.is(await totpAt(seeds.sha512, time, { algorithm: 'sha512', digits: 8 }), sha512, `SHA-512 T=${time}`);
  }
});

test('OTP-VERIFY-5 6-digit codes keep leading zeros; the last 6 digits of the RFC SHA-1 vectors', async (t) => {
  // RFC 4226 truncation: the 6-digit code is the 8-digit one modulo 10^6.
  t.is(await totpAt(seeds.sha1, 1111111109), '081804');
  t.is(await totpAt(seeds.sha1, 59), '287082');
});

test('OTP-VERIFY-5 window: current step and ±drift steps, nothing further', async (t) => {
  const secret = newSecret();
  const now = 1_700_000_015_000; // middle of a step
  const step = Math.floor(now / 30_000);
  for (const drift of [0, 1, 2]) {
    for (let off = -3; off <= 3; off++) {
      const code = await totpAt(secret, now / 1000 + off * 30);
      const got = await matchStep(secret, code, now, drift);
      if (Math.abs(off) <= drift) t.is(got, step + off, `drift ${drift} offset ${off}`);
      else t.is(got, null, `drift ${drift} offset ${off}`);
    }
  }
});

test('OTP-BIND-2 secret is 160-bit Base32, grouped by 4; otpauth URI carries issuer, label and parameters', (t) => {
  const s = newSecret();
  t.regex(s, /^[A-Z2-7]{32}$/);
  t.is(groupSecret(s).split(' ').length, 8);
  t.is(groupSecret(s).replace(/ /g, ''), s);
  t.is(
    otpauthUri({ issuer: 'Kefu', agentId: 'alice', companyPublicId: 12345, secret: s }),
    `otpauth://totp/Kefu:alice@12345?secret=${s}&issuer=Kefu&algorithm=SHA1&digits=6&period=30`,
  );
  t.true(otpauthUri({ issuer: 'Acme 客服', agentId: 'a', companyPublicId: 10001, secret: s }).startsWith('otpauth://totp/Acme%20%E5%AE%A2%E6%9C%8D:a@10001?'));
});

test('OTP-RECOVERY-7 ten codes of 10 characters without look-alikes, salted hashes, xxxxx-xxxxx', (t) => {
  const codes = newRecoveryCodes();
  t.is(codes.length, 10);
  t.is(new Set(codes).size, 10);
  for (const c of codes) {
    t.regex(c, /^[A-Z2-9]{10}$/);
    t.false(/[01OIL]/.test(c));
    t.regex(formatRecoveryCode(c), /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  }
  t.false(
    RECOVERY_ALPHABET.includes('0') ||
      RECOVERY_ALPHABET.includes('O') ||
      RECOVERY_ALPHABET.includes('I') ||
      RECOVERY_ALPHABET.includes('L') ||
      RECOVERY_ALPHABET.includes('1'),
  );
  const a = hashRecoveryCode(codes[0]);
  const b = hashRecoveryCode(codes[0]);
  t.not(a.hash, b.hash, 'a per-code salt');
  t.true(recoveryCodeMatches(codes[0], a));
  t.false(recoveryCodeMatches(codes[1], a));
});

test('OTP-VERIFY-5 input: spaces ignored, 6 digits a code, 10 recovery characters (case, hyphen ignored), else invalid', (t) => {
  t.deepEqual(classifyCode(' 012 345 '), { kind: 'totp', code: '012345' });
  t.deepEqual(classifyCode('abcde-fghjk'), { kind: 'recovery', code: 'ABCDEFGHJK' });
  t.deepEqual(classifyCode('ABCDEFGHJK'), { kind: 'recovery', code: 'ABCDEFGHJK' });
  for (const bad of ['', '12345', '1234567', '12345a', 'abcde-fghji', 'abcde-fghj', 'abcdefghjkm', '０１２３４５']) t.is(classifyCode(bad), null, bad);
});
