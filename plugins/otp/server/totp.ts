import { generate, generateSecret, verify, type HashAlgorithm } from 'otplib';

/** RFC 6238 parameters every authenticator app understands (OTP-VERIFY-5). */
export const PERIOD = 30;
export const DIGITS = 6;
/** 160-bit secret (RFC 4226 §4 recommends at least 128 bits). */
export const SECRET_BYTES = 20;

export const stepAt = (ms: number) => Math.floor(ms / 1000 / PERIOD);

/** A new random Base32 secret (32 characters, no padding). */
export const newSecret = (): string => generateSecret({ length: SECRET_BYTES });

/** "ABCD EFGH …" for typing the secret into an app by hand. */
export const groupSecret = (secret: string) => secret.match(/.{1,4}/g)!.join(' ');

/**
 * The code for a Unix time in seconds. `secret` is Base32 text or raw bytes
 * (the RFC test seeds); algorithm and digits default to the app-compatible SHA-1, 6.
 */
export function totpAt(secret: string | Uint8Array, epochSeconds: number, opts: { algorithm?: HashAlgorithm; digits?: number } = {}): Promise<string> {
  return generate({ secret, epoch: Math.floor(epochSeconds), period: PERIOD, algorithm: opts.algorithm ?? 'sha1', digits: opts.digits ?? DIGITS });
}

/**
 * The time step a 6-digit code belongs to, within `drift` steps either side of now,
 * or null. otplib compares in constant time; replay is the caller's check.
 */
export async function matchStep(secret: string, code: string, nowMs: number, drift: number): Promise<number | null> {
  // floor((t ± drift·30) / 30) = step ± drift, so a tolerance in seconds covers exactly ±drift steps.
  const epoch = Math.floor(nowMs / 1000);
  const r = await verify({ secret, token: code, epoch, period: PERIOD, digits: DIGITS, algorithm: 'sha1', epochTolerance: drift * PERIOD });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

/** `otpauth://totp/<issuer>:<agentId>@<companyId>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30` (OTP-BIND-2). */
export function otpauthUri(p: { issuer: string; agentId: string; companyPublicId: number; secret: string }): string {
  const label = `${encodeURIComponent(p.issuer)}:${encodeURIComponent(p.agentId)}@${p.companyPublicId}`;
  return `otpauth://totp/${label}?secret=${p.secret}&issuer=${encodeURIComponent(p.issuer)}&algorithm=SHA1&digits=${DIGITS}&period=${PERIOD}`;
}
