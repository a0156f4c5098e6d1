import crypto from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { KefuConfig } from '@kefu/config';
import { inject, injectable, type DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { AppError } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { MailOutbox } from '../leavemsg/mail-outbox.ts';
import { MailSettingsService } from '../leavemsg/mail-settings-service.ts';
import { PasswordHasher } from '../accounts/password-hasher.ts';
import { checkNewPassword, nextHistory } from '../accounts/password-policy.ts';
import { companyIdField } from './auth-schemas.ts';
import { consumeOrRefuse, makeLimiter } from './login-rate-limit.ts';
import { LoginLogService } from './login-log-service.ts';
import { SessionService } from './session-service.ts';

/** SPEC LOGIN-FORGOT-14: links are valid this long. */
export const RESET_TTL_MS = 30 * 60_000;

export const resetRequestBody = z.strictObject({
  companyId: companyIdField,
  agentId: z.string().trim().min(1).max(32),
});
const tokenField = z.string().min(20).max(400);
export const resetCompleteBody = z.strictObject({ token: tokenField, newPassword: z.string().min(1).max(128) });
const resetLinkView = z.object({ companyId: z.number(), agentId: z.string(), expiresAt: z.string() });

const linkInvalid = () => new AppError(410, 'reset_link_invalid', 'This reset link has expired or has already been used');

/**
 * Forgotten password by e-mail. A link carries no row of its own: it is signed over the agent's
 * current password hash, so setting any new password (this way or another) spends every link
 * sent before, which is what makes it single-use without storing it.
 */
@injectable()
export class PasswordResetService {
  private readonly key: Buffer;
  private readonly perAgent: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(MailSettingsService) private readonly mail: MailSettingsService,
    @inject(MailOutbox) private readonly outbox: MailOutbox,
    @inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(LoginLogService) private readonly loginLog: LoginLogService,
    @inject(SessionService) private readonly sessions: SessionService,
  ) {
    const secret = config.KEFU_SECRET ?? 'kefu-development-secret-change-me-in-production';
    this.key = crypto
      .createHash('sha256')
      .update('kefu-password-reset:' + secret)
      .digest();
    this.perAgent = makeLimiter(db, 'pwreset_agent', 3, 60 * 60);
    this.perIp = makeLimiter(db, 'pwreset_ip', 10, 60 * 60);
  }

  /**
   * Sends the link when the agent exists, is usable, has an e-mail and the company a mail server;
   * the caller's answer is the same in every case. The limits count typed IDs, so they say nothing either.
   */
  async request(input: z.output<typeof resetRequestBody>, ip: string): Promise<void> {
    const agentKey = `${input.companyId}|${input.agentId.toLowerCase()}`;
    await consumeOrRefuse(this.perIp, ip);
    await consumeOrRefuse(this.perAgent, agentKey);
    const company = await this.db('companies')
      .where({ public_id: Number(input.companyId), status: 'active' })
      .first();
    if (!company) return;
    const companyPk = Number(company.id);
    const t = new Tenant(this.db, companyPk);
    const agent = await t.q('agents').where({ agent_id_lower: input.agentId.toLowerCase() }).whereNull('deleted_at').whereNull('disabled_at').first();
    if (!agent?.email || !(await this.mail.forCompany(companyPk))) return;
    const link = `${this.config.derivedPublicUrl}/reset-password?token=${encodeURIComponent(this.sign(companyPk, Number(agent.id), agent.password_hash))}`;
    await this.outbox.enqueue(t, {
      leaveMessageId: null,
      to: agent.email,
      subject: `${company.name}: 重置密码 / Reset your password`,
      body: [
        `${agent.agent_id}(公司ID ${company.public_id}):`,
        `请在 30 分钟内打开以下链接设置新密码。如果不是您本人申请,请忽略本邮件。`,
        link,
        '',
        `${agent.agent_id} (company ID ${company.public_id}):`,
        `Open this link within 30 minutes to choose a new password. If you did not ask for it, ignore this e-mail.`,
        link,
      ].join('\n'),
    });
    this.log.info({ companyId: companyPk, agentId: Number(agent.id) }, 'password reset link queued');
  }

  /** Who the link is for, so the page can say it; 410 when it is spent, expired or forged. */
  async inspect(token: string): Promise<z.output<typeof resetLinkView>> {
    const { agent, company, expiresAt } = await this.open(token);
    return { companyId: Number(company.public_id), agentId: agent.agent_id, expiresAt: expiresAt.toISOString() };
  }

  /** Sets the new password (PROFILE-PASSWORD-3 rules), writes the login-log event and ends every session of the agent. */
  async complete(input: z.output<typeof resetCompleteBody>, ip: string): Promise<void> {
    const { agent, company } = await this.open(input.token);
    const companyPk = Number(company.id);
    await checkNewPassword('newPassword', input.newPassword, agent.agent_id, [agent.password_hash, ...(agent.password_history ?? [])].filter(Boolean));
    const hash = await this.hasher.hash(input.newPassword);
    const changed = await new Tenant(this.db, companyPk).transaction(async (tt) => {
      // Compare-and-set on the old hash: two tabs racing with one link change the password once.
      const n = await tt
        .q('agents')
        .where({ id: agent.id, password_hash: agent.password_hash })
        .update({ password_hash: hash, password_history: nextHistory(agent.password_hash, agent.password_history ?? []), must_change_password: false });
      if (n)
        await this.loginLog.event(tt, {
          agentId: Number(agent.id),
          actorAgentId: Number(agent.id),
          reason: 'password_reset_email',
          summary: 'Password reset by e-mail',
          ip,
        });
      return n > 0;
    });
    if (!changed) throw linkInvalid();
    await this.sessions.end(companyPk, { agentId: Number(agent.id) }, 'password_changed');
  }

  private mac(payload: string, passwordHash: string): string {
    return crypto.createHmac('sha256', this.key).update(`${payload}|${passwordHash}`).digest('base64url');
  }

  private sign(companyPk: number, agentPk: number, passwordHash: string): string {
    const payload = Buffer.from(JSON.stringify([companyPk, agentPk, this.clock.now().getTime() + RESET_TTL_MS])).toString('base64url');
    return `${payload}.${this.mac(payload, passwordHash)}`;
  }

  private async open(token: string) {
    const [payload, mac] = token.split('.');
    let parts: unknown;
    try {
      parts = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    } catch {
      throw linkInvalid();
    }
    const parsed = z.tuple([z.number().int().positive(), z.number().int().positive(), z.number()]).safeParse(parts);
    if (!parsed.success || !mac) throw linkInvalid();
    const [companyPk, agentPk, exp] = parsed.data;
    if (exp <= this.clock.now().getTime()) throw linkInvalid();
    const company = await this.db('companies').where({ id: companyPk, status: 'active' }).first();
    const agent = company && (await new Tenant(this.db, companyPk).q('agents').where({ id: agentPk }).whereNull('deleted_at').whereNull('disabled_at').first());
    if (!agent) throw linkInvalid();
    const expected = Buffer.from(this.mac(payload, agent.password_hash));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) throw linkInvalid();
    return { agent, company, expiresAt: new Date(exp) };
  }
}

export function registerPasswordResetRoutes(api: ApiRouter, c: DependencyContainer) {
  const resets = c.resolve(PasswordResetService);

  api.route({
    method: 'post',
    path: '/api/auth/password-reset',
    summary: 'Forgotten password: e-mail a reset link if the account exists (LOGIN-FORGOT-14); the answer never says whether it does',
    tags: ['auth'],
    auth: 'public',
    body: resetRequestBody,
    status: 202,
    response: z.object({ accepted: z.literal(true) }),
    handler: async ({ body, ctx }) => {
      await resets.request(body, ctx.state.ip as string);
      return { accepted: true as const };
    },
  });

  api.route({
    method: 'post',
    path: '/api/auth/password-reset/inspect',
    summary: 'Whom a reset link is for; 410 reset_link_invalid once it is spent or expired',
    tags: ['auth'],
    auth: 'public',
    body: z.strictObject({ token: tokenField }),
    response: resetLinkView,
    handler: async ({ body }) => resets.inspect(body.token),
  });

  api.route({
    method: 'post',
    path: '/api/auth/password-reset/complete',
    summary: 'Set a new password with a reset link; ends every session of the agent',
    tags: ['auth'],
    auth: 'public',
    body: resetCompleteBody,
    handler: async ({ body, ctx }) => {
      await resets.complete(body, ctx.state.ip as string);
      return undefined;
    },
  });
}
