import crypto from 'node:crypto';

/** Letters and digits without look-alikes: no 0, O, 1, I, L (OTP-RECOVERY-7). */
export const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const RECOVERY_COUNT = 10;
const LENGTH = 10;

/** Ten new codes, normalised (10 upper-case characters, no hyphen). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_COUNT }, () =>
    Array.from({ length: LENGTH }, () => RECOVERY_ALPHABET[crypto.randomInt(RECOVERY_ALPHABET.length)]).join(''),
  );
}

/** `xxxxx-xxxxx` as shown to the agent. */
export const formatRecoveryCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`.toLowerCase();

export function hashRecoveryCode(code: string, salt = crypto.randomBytes(16).toString('hex')): { salt: string; hash: string } {
  return { salt, hash: crypto.createHash('sha256').update(`${salt}:${code}`).digest('hex') };
}

/** Constant-time check of a normalised code against one stored salted hash. */
export function recoveryCodeMatches(code: string, stored: { salt: string; hash: string }): boolean {
  const { hash } = hashRecoveryCode(code, stored.salt);
  const a = Buffer.from(hash, 'hex');
  const b = Buffer.from(stored.hash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export type CodeInput = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string };

/**
 * OTP-VERIFY-5: spaces are ignored; 6 digits are a code; 10 characters of the recovery
 * alphabet (case and hyphens ignored) are a recovery code; anything else is null.
 */
export function classifyCode(raw: string): CodeInput | null {
  const s = raw.replace(/\s+/g, '');
  if (/^\d{6}$/.test(s)) return { kind: 'totp', code: s };
  const r = s.replace(/-/g, '').toUpperCase();
  if (r.length === LENGTH && [...r].every((ch) => RECOVERY_ALPHABET.includes(ch))) return { kind: 'recovery', code: r };
  return null;
}
