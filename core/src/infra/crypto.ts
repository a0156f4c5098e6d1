import crypto from 'node:crypto';

/** A random token of `bytes` bytes, base64url. Session tokens use 32 (256 bits). */
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');

export const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

/** A password that satisfies the password policy: 16 characters, letters and digits. */
export function generatePassword(length = 16): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const pick = (set: string) => set[crypto.randomInt(set.length)];
  const chars = [pick(letters), pick(digits), ...Array.from({ length: length - 2 }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/**
 * AES-256-GCM for secrets companies store (OTP seeds, provider keys), under a
 * key derived from KEFU_SECRET; the key id in front allows rotation later.
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(
    secret: string,
    private readonly keyId = 'k1',
  ) {
    this.key = crypto
      .createHash('sha256')
      .update('kefu-secretbox:' + secret)
      .digest();
  }
  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return [this.keyId, iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }
  open(sealed: string): string {
    const [, iv, tag, body] = sealed.split('.');
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  }
}
