import crypto from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { sha256 } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';

export interface Challenge {
  challengeId: string;
  /** An SVG image of the text. */
  image: string;
  expiresAt: string;
}

export type ChallengeResult = 'passed' | 'wrong' | 'invalid';

const VALID_MS = 2 * 60_000;
const MAX_WRONG = 5;
export const answerHash = (id: string, answer: string) => sha256(`${id}:${answer.trim().toLowerCase()}`);

/**
 * POLICY-SPAM-5: an image challenge made on the server (no outside service),
 * valid 2 minutes, single use, dead after 5 wrong answers. Only a hash of the
 * answer is stored; answers are not case-sensitive.
 */
@injectable()
export class VerificationChallenges {
  /** The text and its image; distorted characters, noise lines, easily confused characters left out. */
  generate: () => { text: string; data: string } = () =>
    svgCaptcha.create({ size: 4 + crypto.randomInt(3), noise: 3, ignoreChars: '0oO1lIi', width: 150, height: 50 });

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async create(companyId: number): Promise<Challenge> {
    const { text, data } = this.generate();
    const id = crypto.randomUUID();
    const expiresAt = new Date(this.clock.now().getTime() + VALID_MS);
    await new Tenant(this.db, companyId).insert('policy_challenges', { id, answer_hash: answerHash(id, text), expires_at: expiresAt });
    return { challengeId: id, image: data, expiresAt: expiresAt.toISOString() };
  }

  /** Checks an answer; a right one uses the challenge up, a wrong one counts toward the limit. */
  async check(companyId: number, challengeId: string, answer: string): Promise<ChallengeResult> {
    const t = new Tenant(this.db, companyId);
    const live = () =>
      t.q('policy_challenges').where({ id: challengeId }).whereNull('used_at').where('wrong', '<', MAX_WRONG).where('expires_at', '>', this.clock.now());
    const used = await live()
      .where({ answer_hash: answerHash(challengeId, answer) })
      .update({ used_at: this.clock.now() })
      .returning('id');
    if (used.length) return 'passed';
    const counted = await live().increment('wrong', 1).returning('wrong');
    return counted.length && Number(counted[0].wrong) < MAX_WRONG ? 'wrong' : 'invalid';
  }

  /** Expired challenges are of no use to anyone. */
  async purge(): Promise<void> {
    await this.db('policy_challenges')
      .where('expires_at', '<', new Date(this.clock.now().getTime() - VALID_MS))
      .delete();
  }
}
