import { inject, injectable } from '../infra/di.ts';
import { randomToken } from '../infra/crypto.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, forbiddenCode, unauthorized } from '../http/errors.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import type { LoginAgentRef } from '../hooks/hook-types.ts';
import { PasswordHasher } from '../accounts/password-hasher.ts';
import type { LoginBody } from './auth-schemas.ts';
import { LoginIpService } from './login-ip-service.ts';
import { LoginLogService } from './login-log-service.ts';
import { LoginRateLimit } from './login-rate-limit.ts';
import { SessionService } from './session-service.ts';
import { Tenant } from '../tenancy/tenant.ts';

const invalidCredentials = () => unauthorized('invalid_credentials', 'Company ID, agent ID or password is incorrect');
const CHALLENGE_MS = 5 * 60_000;
/** LOGINLOG-METHOD-3: what the console reported, or API for a bearer-token login. */
const methodOf = (body: LoginBody) => (body.client === 'api' ? 'api' : body.method);
const CHALLENGE_ATTEMPTS = 5;

export interface LoginRequestInfo {
  ip: string;
  userAgent?: string;
}

export interface LoginSuccess {
  sessionId: number;
  token: string;
  expiresAt: Date;
  kind: 'console' | 'api';
  remember: boolean;
  companyId: number;
  agentPk: number;
}

/** The login sequence of LOGIN-VERIFY-3. */
@injectable()
export class LoginService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(LoginRateLimit) private readonly limits: LoginRateLimit,
    @inject(LoginIpService) private readonly loginIp: LoginIpService,
    @inject(LoginLogService) private readonly loginLog: LoginLogService,
    @inject(SessionService) private readonly sessions: SessionService,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
  ) {}

  async login(body: LoginBody, req: LoginRequestInfo): Promise<LoginSuccess> {
    const { companyId: publicId, agentId: typed, ip } = { ...body, ip: req.ip };
    // A refusal of LOGIN-LIMIT-6 still goes to the company's log (LOGIN-LOG-17: `locked_out`).
    await this.limits.check(publicId, typed, ip).catch(async (err) => {
      await this.recordLockedOut(publicId, typed, body, req);
      throw err;
    });
    const company = await this.db('companies')
      .where({ public_id: Number(publicId) })
      .first();
    const fail = async (reason: string, agentPk: number | null, error = invalidCredentials()) => {
      const locked = await this.limits.fail(publicId, typed, ip);
      if (company && agentPk && locked) await this.lockoutEvent(Number(company.id), agentPk, 'lockout_started', ip);
      if (company)
        await this.loginLog.record({
          companyId: Number(company.id),
          agentId: agentPk,
          typedAgentId: typed,
          result: 'failure',
          reason,
          method: methodOf(body),
          ip,
          userAgent: req.userAgent,
        });
      return error;
    };
    if (!company) {
      await this.hasher.verify(null, body.password);
      // No company's log may hold it (LOGIN-LOG-17): the server log only, without the password.
      this.log.info({ companyId: publicId, agentId: typed.slice(0, 32), ip, reason: 'unknown_company' }, 'login attempt for an unknown company');
      throw await fail('unknown_company', null);
    }
    const companyPk = Number(company.id);
    if (!(await this.loginIp.allows(companyPk, ip)))
      throw await fail('login_ip_not_allowed', null, forbiddenCode('login_ip_not_allowed', `Login from ${ip} is not allowed for this company`, { ip }));
    const agent = await this.db('agents').where({ company_id: companyPk, agent_id_lower: typed.toLowerCase() }).whereNull('deleted_at').first();
    const ok = await this.hasher.verify(agent?.password_hash, body.password);
    if (!agent || !ok) throw await fail(agent ? 'wrong_password' : 'unknown_agent', agent ? Number(agent.id) : null);
    const agentPk = Number(agent.id);
    if (agent.disabled_at) throw await fail('agent_disabled', agentPk, forbiddenCode('agent_disabled', 'This agent ID is disabled'));
    if (company.status !== 'active') throw await fail('company_suspended', agentPk, forbiddenCode('company_suspended', 'This company is suspended'));
    if (this.hasher.needsRehash(agent.password_hash))
      await this.db('agents')
        .where({ id: agentPk })
        .update({ password_hash: await this.hasher.hash(body.password) });

    const ref: LoginAgentRef = { id: agentPk, agentId: agent.agent_id, role: agent.role, isPrimary: agent.is_primary };
    const filtered = await this.hooks.runFilter(
      'auth.beforeLogin',
      { agent: ref, ip, credentials: { otp: body.otp }, factor: 'password' },
      { companyId: companyPk, actor: { kind: 'agent', id: agentPk } },
    );
    if (filtered.halted) {
      const h = filtered.halt;
      if (h.error?.code?.endsWith('_required') && h.reason.startsWith('challenge:')) {
        const challengeId = await this.createChallenge(companyPk, agentPk, h.reason.slice('challenge:'.length), body);
        throw new AppError(h.error.status, h.error.code, h.error.message, { ...h.error.extra, challengeId, step: h.reason.slice(10) });
      }
      const reason = h.error?.code ?? h.reason;
      throw await fail(reason, agentPk, h.error ? new AppError(h.error.status, h.error.code, h.error.message, h.error.extra) : invalidCredentials());
    }
    return this.open(companyPk, agentPk, typed, body, req, filtered.value.factor, filtered.value.restriction);
  }

  /**
   * LOGINLOG-EVENTS-4: a lock of LOGIN-LIMIT-6 started for the agent, or ended
   * (the operator lifted it, or the agent signed in again after it lapsed).
   */
  async lockoutEvent(companyPk: number, agentPk: number, reason: 'lockout_started' | 'lockout_ended', ip: string, summary?: string) {
    summary ??= reason === 'lockout_started' ? `Sign-in locked for 15 minutes from ${ip}` : `Lock-out over: signed in again from ${ip}`;
    await this.loginLog.event(new Tenant(this.db, companyPk), { agentId: agentPk, actorAgentId: null, reason, summary, ip });
  }

  /** Whether the latest lock-out event of the agent at this IP (the lock's key, LOGIN-LIMIT-6) is a start with no end yet. */
  async lockedBefore(companyPk: number, agentPk: number, ip: string): Promise<boolean> {
    const last = await new Tenant(this.db, companyPk)
      .q('login_log')
      .where({ agent_id: agentPk, type: 'event', ip })
      .whereIn('reason', ['lockout_started', 'lockout_ended'])
      // A lock lasts 15 minutes; looking back a day keeps this on the (company, time) index.
      .where('created_at', '>', new Date(this.clock.now().getTime() - 86_400_000))
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first('reason');
    return last?.reason === 'lockout_started';
  }

  private async recordLockedOut(publicId: string, typed: string, body: LoginBody, req: LoginRequestInfo) {
    const company = await this.db('companies')
      .where({ public_id: Number(publicId) })
      .first('id');
    if (!company) return;
    const agent = await this.db('agents').where({ company_id: company.id, agent_id_lower: typed.toLowerCase() }).whereNull('deleted_at').first('id');
    await this.loginLog.record({
      companyId: Number(company.id),
      agentId: agent ? Number(agent.id) : null,
      typedAgentId: typed,
      result: 'failure',
      reason: 'locked_out',
      method: methodOf(body),
      ip: req.ip,
      userAgent: req.userAgent,
    });
  }

  /** Second step: the plugin owning the challenge's step verifies the code. */
  async verify(challengeId: string, code: string, req: LoginRequestInfo): Promise<LoginSuccess> {
    const ch = await this.db('login_challenges').where({ id: challengeId }).first();
    if (!ch) throw unauthorized('challenge_expired', 'The sign-in step expired; start again');
    const companyPk = Number(ch.company_id);
    const body = ch.login as LoginBody;
    const agent = await this.db('agents').where({ id: ch.agent_id, company_id: companyPk }).first();
    const expiredCode = `${ch.step}_challenge_expired`;
    if (!agent || agent.disabled_at || new Date(ch.expires_at) < this.clock.now()) {
      await this.db('login_challenges').where({ id: challengeId }).delete();
      await this.loginLog.record({
        companyId: companyPk,
        agentId: Number(ch.agent_id),
        typedAgentId: body.agentId,
        result: 'failure',
        method: methodOf(body),
        reason: expiredCode,
        ip: req.ip,
        userAgent: req.userAgent,
      });
      throw unauthorized(expiredCode, 'The sign-in step expired; start again with your password');
    }
    await this.limits.check(body.companyId, body.agentId, req.ip);
    const ref: LoginAgentRef = { id: Number(agent.id), agentId: agent.agent_id, role: agent.role, isPrimary: agent.is_primary };
    const r = await this.hooks.runFilter(
      'auth.verifyChallenge',
      { agent: ref, step: ch.step, code, ip: req.ip, verified: false, factor: 'password' },
      { companyId: companyPk, actor: { kind: 'agent', id: ref.id } },
    );
    if (r.halted || !r.value.verified) {
      const err =
        r.halted && r.halt.error
          ? new AppError(r.halt.error.status, r.halt.error.code, r.halt.error.message, r.halt.error.extra)
          : unauthorized(`${ch.step}_invalid`, 'Wrong code');
      if (await this.limits.fail(body.companyId, body.agentId, req.ip)) await this.lockoutEvent(companyPk, ref.id, 'lockout_started', req.ip);
      await this.loginLog.record({
        companyId: companyPk,
        agentId: ref.id,
        typedAgentId: body.agentId,
        result: 'failure',
        method: methodOf(body),
        reason: err.code,
        ip: req.ip,
        userAgent: req.userAgent,
      });
      const attempts = (await this.db('login_challenges').where({ id: challengeId }).increment('attempts', 1).returning('attempts'))[0]?.attempts;
      // Spent: expire it rather than delete it, so the next try answers <step>_challenge_expired and is logged.
      if (Number(attempts) >= CHALLENGE_ATTEMPTS)
        await this.db('login_challenges')
          .where({ id: challengeId })
          .update({ expires_at: new Date(0) });
      throw err;
    }
    await this.db('login_challenges').where({ id: challengeId }).delete();
    return this.open(companyPk, ref.id, body.agentId, body, req, r.value.factor, undefined);
  }

  private async createChallenge(companyPk: number, agentPk: number, step: string, body: LoginBody): Promise<string> {
    const id = randomToken(24);
    const { password: _never, otp: _no, ...login } = body;
    await this.db('login_challenges').where('expires_at', '<', this.clock.now()).delete();
    await this.db('login_challenges').insert({
      id,
      company_id: companyPk,
      agent_id: agentPk,
      step,
      login: JSON.stringify(login),
      expires_at: new Date(this.clock.now().getTime() + CHALLENGE_MS),
    });
    return id;
  }

  private async open(
    companyPk: number,
    agentPk: number,
    typed: string,
    body: LoginBody,
    req: LoginRequestInfo,
    factor: string,
    restriction: string | undefined,
  ): Promise<LoginSuccess> {
    const method = methodOf(body);
    const s = await this.db.transaction(async (trx) => {
      const loginLogId = await this.loginLog.record(
        {
          companyId: companyPk,
          agentId: agentPk,
          typedAgentId: typed,
          result: 'success',
          method,
          factor,
          ip: req.ip,
          userAgent: req.userAgent,
        },
        trx,
      );
      await trx('agents').where({ id: agentPk }).update({ last_login_at: trx.fn.now() });
      return this.sessions.create(trx, {
        companyId: companyPk,
        agentId: agentPk,
        kind: body.client,
        remember: body.remember,
        ip: req.ip,
        userAgent: req.userAgent,
        loginLogId,
        restriction,
        method,
      });
    });
    await this.sessions.applyMultiLogin(companyPk, agentPk, { id: s.id, ip: req.ip });
    await this.limits.succeed(body.companyId, typed, req.ip);
    if (await this.lockedBefore(companyPk, agentPk, req.ip)) await this.lockoutEvent(companyPk, agentPk, 'lockout_ended', req.ip);
    await this.hooks.emit(
      'agent.login',
      { agentId: agentPk, sessionId: s.id, factor, ip: req.ip },
      { companyId: companyPk, actor: { kind: 'agent', id: agentPk } },
    );
    return { sessionId: s.id, token: s.token, expiresAt: s.expiresAt, kind: body.client, remember: s.remember, companyId: companyPk, agentPk };
  }
}
