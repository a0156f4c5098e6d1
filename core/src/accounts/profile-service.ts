import { inject, injectable } from '../infra/di.ts';
import { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import { LoginLogService } from '../auth/login-log-service.ts';
import { LoginRateLimit } from '../auth/login-rate-limit.ts';
import { MeService } from '../auth/me-service.ts';
import { SessionService } from '../auth/session-service.ts';
import { AGENT_AUTH_CHANGED } from '../auth/authenticator.ts';
import type { Bus } from '../infra/bus.ts';
import { TOKENS } from '../tokens.ts';
import { forbidden, unauthorized } from '../http/errors.ts';
import { agentFields } from './agent-schemas.ts';
import { readChatSettings } from '../conversations/chat-settings.ts';
import { PasswordHasher } from './password-hasher.ts';
import { checkNewPassword, nextHistory } from './password-policy.ts';

export const profileBody = z.strictObject({
  nickname: z.string().trim().min(1).max(20).optional(),
  email: agentFields.email.optional(),
  phone: agentFields.phone.optional(),
});
export const passwordChangeBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(1).max(128),
});

/** The agent's own account page (SPEC §9.3). */
@injectable()
export class ProfileService {
  constructor(
    @inject(MeService) private readonly me: MeService,
    @inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(SessionService) private readonly sessions: SessionService,
    @inject(LoginLogService) private readonly loginLog: LoginLogService,
    @inject(LoginRateLimit) private readonly limits: LoginRateLimit,
    @inject(TOKENS.Bus) private readonly bus: Bus,
  ) {}

  /** PROFILE-VIEW-1: besides the account, groups, the cap (own or the company's), created at and the latest sign-in. */
  async view(auth: AuthInfo) {
    const t = auth.tenant;
    const [me, row, groups, company, lastLogin] = await Promise.all([
      this.me.describe(auth.companyId, auth.agent.id),
      t.q('agents').where({ id: auth.agent.id }).first('max_chats', 'created_at'),
      t.q('group_members as m').join('groups as g', 'g.id', 'm.group_id').where('m.agent_id', auth.agent.id).orderBy('g.name').select('g.id', 'g.name'),
      t.unscoped('companies').where({ id: auth.companyId }).first('chat_settings'),
      t.q('login_log').where({ agent_id: auth.agent.id, type: 'login', result: 'success' }).orderBy('id', 'desc').first('created_at', 'ip', 'method'),
    ]);
    return {
      ...me.agent,
      groups: groups.map((g: any) => ({ id: Number(g.id), name: g.name })),
      maxChats: row.max_chats ?? null,
      effectiveMaxChats: row.max_chats ?? readChatSettings(company?.chat_settings).defaultCap,
      createdAt: new Date(row.created_at).toISOString(),
      lastLogin: lastLogin ? { at: new Date(lastLogin.created_at).toISOString(), ip: lastLogin.ip, method: lastLogin.method } : null,
    };
  }

  async update(auth: AuthInfo, input: z.output<typeof profileBody>) {
    const patch: Record<string, unknown> = {};
    for (const k of ['nickname', 'email', 'phone'] as const) if (input[k] !== undefined) patch[k] = input[k];
    if (Object.keys(patch).length) {
      await auth.tenant.q('agents').where({ id: auth.agent.id }).update(patch);
      await this.bus.publish(AGENT_AUTH_CHANGED, { agentId: auth.agent.id });
    }
    return this.view(auth);
  }

  /** A wrong current password counts toward the login lock-out; other sessions end. */
  async changePassword(auth: AuthInfo, input: z.output<typeof passwordChangeBody>, ip: string) {
    const a = await auth.tenant.q('agents').where({ id: auth.agent.id }).first();
    const companyKey = String(auth.companyPublicId);
    await this.limits.check(companyKey, a.agent_id, ip);
    // A missing permission is 403 naming it, like every route (a forced change needs none, LOGIN-FIRSTPW-15).
    if (!a.must_change_password && !auth.can('profile.edit')) throw forbidden('profile.edit');
    if (!(await this.hasher.verify(a.password_hash, input.currentPassword))) {
      await this.limits.fail(companyKey, a.agent_id, ip);
      throw unauthorized('reauth_failed', 'The current password is wrong');
    }
    await checkNewPassword('newPassword', input.newPassword, a.agent_id, [a.password_hash, ...(a.password_history ?? [])]);
    await auth.tenant.transaction(async (tt) => {
      await tt
        .q('agents')
        .where({ id: a.id })
        .update({
          password_hash: await this.hasher.hash(input.newPassword),
          password_history: nextHistory(a.password_hash, a.password_history ?? []),
          must_change_password: false,
        });
      await this.loginLog.event(tt, { agentId: Number(a.id), actorAgentId: Number(a.id), reason: 'password_changed', summary: 'Password changed', ip });
    });
    await this.sessions.end(auth.companyId, { agentId: auth.agent.id, exceptSessionId: auth.sessionId }, 'password_changed');
  }
}
