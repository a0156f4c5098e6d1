import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { PolicySettingsService } from './policy-settings-service.ts';
import type { PolicySettings } from './policy-settings-schema.ts';
import { VerificationChallenges } from './verification-challenges.ts';

/** What a visitor sends along with a request that needs a pass. */
export interface VerificationAnswer {
  challengeId: string;
  answer: string;
}

const PASS_MS = 30 * 60_000;

/**
 * POLICY-SPAM-4: with the switch on, new chat requests (and the visitor's
 * transcript e-mails, CONV-TRANSCRIPT-40) need a passed image challenge —
 * always, or once an IP, a visitor token or the whole company asks for more
 * chats than the thresholds allow. A pass holds 30 minutes for that visitor.
 */
@injectable()
export class AntiSpam {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(PolicySettingsService) private readonly settings: PolicySettingsService,
    @inject(VerificationChallenges) private readonly challenges: VerificationChallenges,
  ) {}

  /**
   * Lets a new chat request through or throws `403 verification_required` /
   * `verification_failed` with a challenge to show. A request while a chat is
   * open only returns that chat, so it is never counted nor checked.
   */
  async admitChatRequest(companyId: number, visitor: { id: number }, ip: string, answer?: VerificationAnswer): Promise<void> {
    const s = (await this.settings.read(companyId)).antiSpam;
    if (!s.enabled) return;
    const t = new Tenant(this.db, companyId);
    if (await t.q('conversations').where({ visitor_id: visitor.id }).whereNot('status', 'ended').first('id')) return;
    const now = this.clock.now();
    await this.verify(t, s, visitor.id, ip, now, answer);
    await t.insert('policy_chat_requests', { visitor_id: visitor.id, ip, created_at: now });
  }

  /**
   * CONV-TRANSCRIPT-40: a visitor's request to e-mail the transcript needs a pass under the same rule as a
   * chat request (always, or while this IP, visitor or the company is over the thresholds); it is not counted
   * as a chat request itself.
   */
  async admitTranscriptRequest(companyId: number, visitorId: number, ip: string, answer?: VerificationAnswer): Promise<void> {
    const s = (await this.settings.read(companyId)).antiSpam;
    if (s.enabled) await this.verify(new Tenant(this.db, companyId), s, visitorId, ip, this.clock.now(), answer);
  }

  /** Passes with a valid pass or when not needed; else checks the answer (a right one gives a pass) or throws with a challenge. */
  private async verify(t: Tenant, s: PolicySettings['antiSpam'], visitorId: number, ip: string, now: Date, answer?: VerificationAnswer) {
    if ((await this.hasPass(t, visitorId, now)) || (s.mode !== 'always' && !(await this.suspicious(t, s, visitorId, ip, now)))) return;
    if (!answer) throw await this.refusal(t.companyId, 'verification_required', 'Please complete the verification');
    const result = await this.challenges.check(t.companyId, answer.challengeId, answer.answer);
    if (result !== 'passed')
      throw result === 'wrong'
        ? new AppError(403, 'verification_failed', 'Wrong answer', { challengeId: answer.challengeId })
        : await this.refusal(t.companyId, 'verification_failed', 'This challenge is no longer valid');
    await t
      .insert('policy_verification_passes', { visitor_id: visitorId, valid_until: new Date(now.getTime() + PASS_MS) })
      .onConflict('visitor_id')
      .merge(['valid_until']);
  }

  private async refusal(companyId: number, code: string, message: string) {
    return new AppError(403, code, message, { challenge: await this.challenges.create(companyId) });
  }

  private async hasPass(t: Tenant, visitorId: number, now: Date) {
    return !!(await t.q('policy_verification_passes').where({ visitor_id: visitorId }).where('valid_until', '>', now).first('visitor_id'));
  }

  /** More than N requests in M minutes from this IP or this visitor, or more than X a minute company-wide. */
  private async suspicious(t: Tenant, s: PolicySettings['antiSpam'], visitorId: number, ip: string, now: Date): Promise<boolean> {
    const since = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    const count = async (where: Record<string, unknown>, minutes: number) => {
      const [{ n }] = await t.q('policy_chat_requests').where(where).where('created_at', '>', since(minutes)).count<{ n: string }[]>('* as n');
      return Number(n);
    };
    if ((await count({ ip }, s.perIp.minutes)) >= s.perIp.count) return true;
    if ((await count({ visitor_id: visitorId }, s.perVisitor.minutes)) >= s.perVisitor.count) return true;
    return s.companyPerMinute > 0 && (await count({}, 1)) >= s.companyPerMinute;
  }

  /** Request records older than the longest window (60 minutes) are of no use. */
  async purge(): Promise<void> {
    await this.db('policy_chat_requests')
      .where('created_at', '<', new Date(this.clock.now().getTime() - 61 * 60_000))
      .delete();
  }
}
