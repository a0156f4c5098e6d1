import { inject, injectable } from '../infra/di.ts';
import type { Knex } from 'knex';
import type { Db } from '../infra/db.ts';
import type { Bus } from '../infra/bus.ts';
import { randomToken, sha256 } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { LoginLogService } from './login-log-service.ts';
import { MAX_SESSIONS_PER_AGENT, WorkbenchSettingsService } from './workbench-settings.ts';

const HOUR = 3600_000;
/** An API token lives 30 days; console lifetimes are the company's (MAIN-SETTINGS-10). */
export const REMEMBER_MS = 30 * 24 * HOUR;
const TOUCH_EVERY_MS = 60_000;

export interface SessionRow {
  id: number;
  company_id: number;
  agent_id: number;
  kind: 'console' | 'api';
  remember: boolean;
  restriction: string | null;
  login_log_id: number | null;
  last_active_at: Date;
  expires_at: Date;
}

/** Channel on the bus: every node closes the sockets of ended sessions. */
export const SESSION_ENDED = 'session.ended';

/** The login that replaced a session (LOGIN-MULTI-8): its consoles show where and when. */
export interface ReplacedBy {
  ip: string;
  at: string;
}

/** What SESSION_ENDED carries. */
export interface SessionEndedMessage {
  sessionIds: number[];
  reason: string;
  replacedBy?: ReplacedBy;
}

@injectable()
export class SessionService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Bus) private readonly bus: Bus,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(LoginLogService) private readonly loginLog: LoginLogService,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(WorkbenchSettingsService) private readonly settings: WorkbenchSettingsService,
  ) {}

  /** Idle sign-out of a console session without 自动登录, in ms (LOGIN-SESSION-7). */
  private async idleMs(companyId: number): Promise<number> {
    return (await this.settings.read(companyId)).idleHours * HOUR;
  }

  async create(
    trx: Knex.Transaction,
    s: {
      companyId: number;
      agentId: number;
      kind: 'console' | 'api';
      remember: boolean;
      ip: string;
      userAgent?: string;
      loginLogId: number;
      restriction?: string | null;
      /** LOGINLOG-METHOD-3, shown with the session (PROFILE-SESSIONS-5). */
      method?: string;
    },
  ): Promise<{ id: number; token: string; expiresAt: Date; remember: boolean }> {
    const token = randomToken(32);
    const now = this.clock.now().getTime();
    // Read in the login's transaction: the embedded database has one connection.
    const w = (await this.settings.get(new Tenant(trx, s.companyId))).settings;
    // 自动登录 lifetime 0 means the company allows no persistent console sessions (LOGIN-AUTOLOGIN-10).
    const remember = s.remember && (s.kind === 'api' || w.autoLoginDays > 0);
    const lifetime = s.restriction ? 10 * 60_000 : s.kind === 'api' ? REMEMBER_MS : remember ? w.autoLoginDays * 24 * HOUR : w.idleHours * HOUR;
    const expiresAt = new Date(now + lifetime);
    const [row] = await new Tenant(trx, s.companyId)
      .insert('sessions', {
        agent_id: s.agentId,
        token_hash: sha256(token),
        kind: s.kind,
        remember,
        restriction: s.restriction ?? null,
        ip: s.ip,
        user_agent: s.userAgent?.slice(0, 500) ?? null,
        login_log_id: s.loginLogId,
        method: s.method ?? null,
        expires_at: expiresAt,
      })
      .returning('id');
    return { id: Number(row.id), token, expiresAt, remember };
  }

  /**
   * LOGIN-MULTI-8 after a login: with 禁止 the agent's other sessions end; with 允许 the oldest beyond
   * MAX_SESSIONS_PER_AGENT do. Their consoles are told the new session's address and time.
   */
  async applyMultiLogin(companyId: number, agentId: number, newSession: { id: number; ip: string }): Promise<number> {
    const { multiLogin } = await this.settings.read(companyId);
    const replacedBy = { ip: newSession.ip, at: this.clock.now().toISOString() };
    if (multiLogin === 'forbid') return this.end(companyId, { agentId, exceptSessionId: newSession.id }, 'replaced', replacedBy);
    const surplus = await new Tenant(this.db, companyId)
      .q('sessions')
      .where({ agent_id: agentId })
      .whereNull('ended_at')
      .where('expires_at', '>', this.clock.now())
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .offset(MAX_SESSIONS_PER_AGENT)
      .select('id');
    let ended = 0;
    for (const r of surplus) ended += await this.end(companyId, { sessionId: Number(r.id) }, 'replaced', replacedBy);
    return ended;
  }

  /** The live session for a token, or null. Sliding expiry for idle console sessions. */
  async findLive(token: string): Promise<SessionRow | null> {
    const row = await this.db('sessions')
      .where({ token_hash: sha256(token) })
      .whereNull('ended_at')
      .where('expires_at', '>', this.clock.now())
      .first();
    if (!row) return null;
    const now = this.clock.now().getTime();
    if (now - new Date(row.last_active_at).getTime() > TOUCH_EVERY_MS) {
      const patch: Record<string, unknown> = { last_active_at: new Date(now) };
      if (row.kind === 'console' && !row.remember && !row.restriction) patch.expires_at = new Date(now + (await this.idleMs(Number(row.company_id))));
      await this.db('sessions').where({ id: row.id }).update(patch);
    }
    return { ...row, id: Number(row.id), company_id: Number(row.company_id), agent_id: Number(row.agent_id) };
  }

  async liftRestriction(sessionId: number): Promise<void> {
    const row = await this.db('sessions').where({ id: sessionId }).first('company_id');
    if (!row) return;
    const now = this.clock.now().getTime();
    await this.db('sessions')
      .where({ id: sessionId })
      .update({ restriction: null, expires_at: new Date(now + (await this.idleMs(Number(row.company_id)))) });
  }

  /** Ends sessions (by id, or every session of an agent) and closes their sockets on every node. */
  async end(
    companyId: number,
    where: { sessionId?: number; agentId?: number; exceptSessionId?: number },
    reason: string,
    replacedBy?: ReplacedBy,
  ): Promise<number> {
    const ended = await this.db.transaction(async (trx) => {
      const q = new Tenant(trx, companyId).q('sessions').whereNull('ended_at');
      if (where.sessionId) q.where('id', where.sessionId);
      if (where.agentId) q.where('agent_id', where.agentId);
      if (where.exceptSessionId) q.whereNot('id', where.exceptSessionId);
      const rows = await q.update({ ended_at: trx.fn.now(), end_reason: reason }).returning(['id', 'login_log_id', 'agent_id']);
      const closed: number[] = [];
      for (const r of rows)
        if (await this.loginLog.closeEntry(trx, companyId, r.login_log_id ? Number(r.login_log_id) : null, reason)) closed.push(Number(r.login_log_id));
      return {
        ids: rows.map((r: { id: number | string }) => Number(r.id)),
        agents: rows.map((r: { agent_id: number | string }) => Number(r.agent_id)),
        closed,
      };
    });
    if (ended.ids.length) await this.bus.publish(SESSION_ENDED, { sessionIds: ended.ids, reason, replacedBy } satisfies SessionEndedMessage);
    this.loginLog.changed(companyId, ended.closed);
    // After the sockets are told: the conversations of an agent whose last session ended go back to routing (MENU-EXITCHATS-7).
    for (const [i, sessionId] of ended.ids.entries())
      await this.hooks.emit('agent.logout', { agentId: ended.agents[i], sessionId, reason }, { companyId, actor: { kind: 'system' } });
    return ended.ids.length;
  }

  async listForAgent(
    t: Tenant,
    agentId: number,
  ): Promise<{ id: number; kind: string; method: string | null; ip: string | null; userAgent: string | null; createdAt: string; lastActiveAt: string }[]> {
    const rows = await t
      .q('sessions')
      .where({ agent_id: agentId })
      .whereNull('ended_at')
      .where('expires_at', '>', this.clock.now())
      .orderBy('created_at', 'desc');
    return rows.map((r: any) => ({
      id: Number(r.id),
      kind: r.kind,
      method: r.method,
      ip: r.ip,
      userAgent: r.user_agent,
      createdAt: new Date(r.created_at).toISOString(),
      lastActiveAt: new Date(r.last_active_at).toISOString(),
    }));
  }
}
