import crypto from 'node:crypto';
import type { KefuConfig } from '@kefu/config';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS, type Clock } from '../tokens.ts';

/** Signed links are valid one hour; clients renew them (CONV-FILE-15). */
export const LINK_TTL_S = 3600;

export type FileVariant = 'file' | 'thumb';

/** The unsigned path of a file: what messages carry; agents open it with their session. */
export const filePath = (key: string, variant: FileVariant = 'file') => (variant === 'thumb' ? `/f/${key}/thumb` : `/f/${key}`);

/**
 * HMAC-signed download links for callers without a console session (the
 * widget). The signature covers key, variant and expiry, under a key derived
 * from KEFU_SECRET (the development fallback is the one plugin secrets use).
 */
@injectable()
export class FileLinks {
  private readonly secret: Buffer;

  constructor(
    @inject(TOKENS.Config) config: KefuConfig,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {
    const base = config.KEFU_SECRET ?? 'kefu-development-secret-change-me-in-production';
    this.secret = crypto
      .createHash('sha256')
      .update('kefu-file-links:' + base)
      .digest();
  }

  private mac(key: string, variant: FileVariant, exp: number) {
    return crypto.createHmac('sha256', this.secret).update(`${key}.${variant}.${exp}`).digest('base64url');
  }

  /** `ttlS` longer than the hour only for links that leave the window (an e-mailed transcript's, CONV-EMAIL-39: 7 days). */
  sign(key: string, variant: FileVariant = 'file', ttlS = LINK_TTL_S): { url: string; expiresAt: string } {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + ttlS;
    return { url: `${filePath(key, variant)}?exp=${exp}&sig=${this.mac(key, variant, exp)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** `valid`, `expired`, or `absent`/`invalid` for links without (or with a wrong) signature. */
  check(key: string, variant: FileVariant, exp: unknown, sig: unknown): 'valid' | 'expired' | 'absent' | 'invalid' {
    if (exp === undefined && sig === undefined) return 'absent';
    if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(exp)) return 'invalid';
    const want = Buffer.from(this.mac(key, variant, Number(exp)));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) return 'invalid';
    return Number(exp) * 1000 < this.clock.now().getTime() ? 'expired' : 'valid';
  }
}
