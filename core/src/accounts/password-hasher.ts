import argon2 from 'argon2';
import { injectable } from '../infra/di.ts';

// argon2id with OWASP's second recommended profile (19 MiB, t=2): slow for
// guessing, fast enough that a login stays well under 100 ms.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

@injectable()
export class PasswordHasher {
  private dummy: Promise<string> = argon2.hash('kefu-dummy-password', OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    // Unknown company or agent: verify against a dummy hash so the work (and time) is the same.
    const target = hash ?? (await this.dummy);
    try {
      const ok = await argon2.verify(target, password);
      return ok && !!hash;
    } catch {
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, OPTIONS);
  }
}
