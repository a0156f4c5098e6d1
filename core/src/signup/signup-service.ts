import crypto from 'node:crypto';
import type { KefuConfig } from '@kefu/config';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { CompanyService } from '../accounts/company-service.ts';
import { checkNewPassword } from '../accounts/password-policy.ts';
import { consumeOrRefuse, makeLimiter } from '../auth/login-rate-limit.ts';
import { fieldError, notFound } from '../http/errors.ts';
import { randomToken, sha256 } from '../infra/crypto.ts';
import type { Db } from '../infra/db.ts';
import { inject, injectable } from '../infra/di.ts';
import type { Logger } from '../infra/logger.ts';
import { answerHash, VerificationChallenges } from '../policies/verification-challenges.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { SignupBody } from './signup-schemas.ts';

const CHALLENGE_MS = 2 * 60_000;
const CHALLENGE_WRONG = 5;
const INVITE_MS = 7 * 86_400_000;

/**
 * 帐号注册 (SPEC LOGIN-REGISTER-13): closed by default; `invite` takes the operator's single-use links (7 days);
 * `open` lets anyone register a company, at most 3 per IP a day, behind an image challenge.
 */
@injectable()
export class SignupService {
  private readonly perIp: RateLimiterAbstract;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(CompanyService) private readonly companies: CompanyService,
    @inject(VerificationChallenges) private readonly images: VerificationChallenges,
  ) {
    this.perIp = makeLimiter(db, 'signup_ip', 3, 86_400);
  }

  get mode() {
    return this.config.KEFU_SIGNUP;
  }

  /** Closed registration does not exist as far as callers can tell. */
  private assertOpen() {
    if (this.mode === 'closed') throw notFound();
  }

  async challenge() {
    this.assertOpen();
    const { text, data } = this.images.generate();
    const id = crypto.randomUUID();
    const expiresAt = new Date(this.clock.now().getTime() + CHALLENGE_MS);
    await this.db('signup_challenges').insert({ id, answer_hash: answerHash(id, text), expires_at: expiresAt });
    return { challengeId: id, image: data, expiresAt: expiresAt.toISOString() };
  }

  /** A right answer uses the challenge up; a wrong one counts, and the fifth kills it. */
  private async passChallenge(id: string, answer: string) {
    const live = () =>
      this.db('signup_challenges').where({ id }).whereNull('used_at').where('wrong', '<', CHALLENGE_WRONG).where('expires_at', '>', this.clock.now());
    const used = await live()
      .where({ answer_hash: answerHash(id, answer) })
      .update({ used_at: this.clock.now() })
      .returning('id');
    if (used.length) return;
    const counted = await live().increment('wrong', 1).returning('wrong');
    if (counted.length && Number(counted[0].wrong) < CHALLENGE_WRONG) throw fieldError('answer', 'challenge_wrong', 'The characters do not match the image');
    throw fieldError('answer', 'challenge_expired', 'The image has expired; take a new one');
  }

  async register(body: SignupBody, ip: string) {
    this.assertOpen();
    if (this.mode === 'invite' && !body.invite) throw fieldError('invite', 'invite_required', 'Registration needs an invitation link');
    await checkNewPassword('password', body.password, body.agentId, []);
    await this.passChallenge(body.challengeId, body.answer);
    await consumeOrRefuse(this.perIp, ip);
    const invite = this.mode === 'invite' ? await this.takeInvite(body.invite!) : null;
    try {
      const made = await this.companies.createWithAdmin({ name: body.companyName, adminAgentId: body.agentId, adminPassword: body.password });
      await new Tenant(this.db, made.companyId).q('agents').where({ id: made.agentPk }).update({ nickname: body.nickname, email: body.email });
      if (invite) await this.db('signup_invites').where({ id: invite }).update({ company_id: made.companyId });
      this.log.info({ companyId: made.publicId, ip, mode: this.mode }, 'company registered');
      return { companyId: made.publicId, agentId: made.agentId };
    } catch (err) {
      // The link stays usable when the company could not be made.
      if (invite) await this.db('signup_invites').where({ id: invite }).update({ used_at: null });
      throw err;
    }
  }

  /** Uses an invitation up, once, while it is valid. */
  private async takeInvite(token: string): Promise<number> {
    const [row] = await this.db('signup_invites')
      .where({ token_hash: sha256(token) })
      .whereNull('used_at')
      .where('expires_at', '>', this.clock.now())
      .update({ used_at: this.clock.now() })
      .returning('id');
    if (!row) throw fieldError('invite', 'invite_invalid', 'This invitation link has expired or has already been used');
    return Number(row.id);
  }

  /** The operator's invitation link, valid 7 days, for one registration. */
  async createInvite() {
    if (this.mode !== 'invite') throw fieldError('mode', 'signup_not_invite', 'KEFU_SIGNUP is not invite');
    const token = randomToken(24);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + INVITE_MS);
    await this.db('signup_invites').insert({ token_hash: sha256(token), created_at: now, expires_at: expiresAt });
    return { token, url: `${this.config.derivedPublicUrl}/register?invite=${token}`, expiresAt: expiresAt.toISOString() };
  }
}
