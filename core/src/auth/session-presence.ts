import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Bus } from '../infra/bus.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { PRESENCE_TTL_MS } from '../presence/presence-service.ts';
import { LoginLogService } from './login-log-service.ts';
import { SESSION_ENDED } from './session-service.ts';

/** A console connection of one session, as the gateway knows it. */
export interface SessionClient {
  companyId: number;
  sessionId: number;
  ip: string;
  userAgent?: string;
}

/**
 * LOGINLOG-SESSION-2 for the ends nobody asks for: a session whose consoles
 * stopped heartbeating for longer than MAIN-PRESENCE-7's bound has its entry
 * closed with 连接丢失 at the moment it was lost (the session itself lives on,
 * LOGIN-SESSION-7), a return on it opens a new entry with 验证方式 会话恢复, and
 * a session past its expiry ends with 会话过期. A reload or a reconnect inside
 * the bound only refreshes `present_at`, so it adds nothing to the log.
 */
@injectable()
export class SessionPresence {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Bus) private readonly bus: Bus,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(LoginLogService) private readonly loginLog: LoginLogService,
  ) {}

  /** A console of the session is connected: present now; after a logged loss, a new entry (会话恢复). */
  async connected(c: SessionClient): Promise<void> {
    const opened = await this.db.transaction(async (trx) => {
      const t = new Tenant(trx, c.companyId);
      const session = await t.q('sessions').where({ id: c.sessionId }).whereNull('ended_at').forUpdate().first();
      if (!session) return null;
      const patch: Record<string, unknown> = { present_at: this.clock.now() };
      let entryId: number | null = null;
      if (!session.present_at && session.login_log_id) {
        const entry = await t.q('login_log').where({ id: session.login_log_id }).first();
        if (entry?.logout_reason === 'presence_lost') {
          entryId = await this.loginLog.record(
            {
              companyId: c.companyId,
              agentId: Number(session.agent_id),
              typedAgentId: entry.typed_agent_id ?? '',
              result: 'success',
              method: entry.method ?? undefined,
              factor: 'resumed',
              ip: c.ip,
              userAgent: c.userAgent,
            },
            trx,
          );
          patch.login_log_id = entryId;
        }
      }
      await t.q('sessions').where({ id: c.sessionId }).update(patch);
      return entryId;
    });
    if (opened) this.loginLog.changed(c.companyId, [opened]);
  }

  /** One heartbeat of this node's consoles; a session whose loss was already logged comes back through `connected`. */
  async beat(clients: SessionClient[]): Promise<void> {
    if (!clients.length) return;
    const ids = [...new Set(clients.map((c) => c.sessionId))];
    const beaten = await this.db('sessions')
      .whereIn('id', ids)
      .whereNull('ended_at')
      .whereNotNull('present_at')
      .update({ present_at: this.clock.now() })
      .returning('id');
    const seen = new Set(beaten.map((r: { id: number | string }) => Number(r.id)));
    const back = new Map(clients.filter((c) => !seen.has(c.sessionId)).map((c) => [c.sessionId, c]));
    for (const c of back.values()) await this.connected(c);
  }

  /** The session's last console closed: presence was lost now, unless one comes back within the bound. */
  async left(companyId: number, sessionId: number): Promise<void> {
    await new Tenant(this.db, companyId)
      .q('sessions')
      .where({ id: sessionId })
      .whereNull('ended_at')
      .whereNotNull('present_at')
      .update({ present_at: this.clock.now() });
  }

  /**
   * Closes the entries of sessions gone quiet past the bound and ends expired
   * sessions. Safe on every node at once: each row changes once.
   */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    // Expiry first: an idle console still connected expires too (heartbeats are not activity, LOGIN-SESSION-7).
    const { rows: expired } = await this.db.raw(
      `with gone as (
         update sessions set ended_at = expires_at, end_reason = 'expired', present_at = null
          where ended_at is null and expires_at <= ?
         returning id, company_id, login_log_id, expires_at
       ), closed as (
         update login_log l set logout_at = gone.expires_at, logout_reason = 'expired'
           from gone where l.id = gone.login_log_id and l.company_id = gone.company_id and l.logout_at is null
         returning l.id, l.company_id
       )
       select 'session' as kind, id, company_id from gone
       union all select 'entry' as kind, id, company_id from closed`,
      [now],
    );
    const { rows: lost } = await this.db.raw(
      `with lost as (
         select id, company_id, login_log_id, present_at from sessions
          where ended_at is null and present_at is not null and present_at < ?
          for update skip locked
       ), cleared as (
         update sessions s set present_at = null from lost where s.id = lost.id returning s.id
       )
       update login_log l set logout_at = lost.present_at, logout_reason = 'presence_lost'
         from lost where l.id = lost.login_log_id and l.company_id = lost.company_id and l.logout_at is null
       returning l.id, l.company_id`,
      [new Date(now.getTime() - PRESENCE_TTL_MS)],
    );
    const sessionIds = expired.filter((r: { kind: string }) => r.kind === 'session').map((r: { id: string }) => Number(r.id));
    if (sessionIds.length) await this.bus.publish(SESSION_ENDED, { sessionIds, reason: 'expired' });
    const byCompany = new Map<number, number[]>();
    for (const r of [...lost, ...expired.filter((e: { kind: string }) => e.kind === 'entry')])
      byCompany.set(Number(r.company_id), [...(byCompany.get(Number(r.company_id)) ?? []), Number(r.id)]);
    for (const [companyId, ids] of byCompany) this.loginLog.changed(companyId, ids);
  }
}
