import { inject, injectable } from '../infra/di.ts';
import { UAParser } from 'ua-parser-js';
import type { Knex } from 'knex';
import { type Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';

export interface LoginAttempt {
  companyId: number;
  agentId: number | null;
  typedAgentId: string;
  result: 'success' | 'failure';
  reason?: string;
  method?: string;
  factor?: string;
  ip: string;
  userAgent?: string;
}

/** The append-only login log (LOGINLOG-RECORD-1, LOGINLOG-SESSION-2, LOGINLOG-EVENTS-4). */
@injectable()
export class LoginLogService {
  constructor(@inject(TOKENS.Db) private readonly db: Db) {}

  async record(a: LoginAttempt, trx?: Knex.Transaction): Promise<number> {
    const ua = new UAParser(a.userAgent ?? '').getResult();
    const [row] = await new Tenant(trx ?? this.db, a.companyId)
      .insert('login_log', {
        agent_id: a.agentId,
        typed_agent_id: a.typedAgentId.slice(0, 32),
        type: 'login',
        result: a.result,
        reason: a.reason ?? null,
        method: a.method ?? 'web',
        factor: a.factor ?? null,
        ip: a.ip,
        browser: [ua.browser.name, ua.browser.major].filter(Boolean).join(' ') || null,
        os: [ua.os.name, ua.os.version].filter(Boolean).join(' ') || null,
      })
      .returning('id');
    return Number(row.id);
  }

  async event(t: Tenant, e: { agentId: number; actorAgentId: number | null; summary: string; reason: string; ip?: string }) {
    await t.insert('login_log', {
      agent_id: e.agentId,
      type: 'event',
      result: 'event',
      reason: e.reason,
      summary: e.summary,
      actor_agent_id: e.actorAgentId,
      ip: e.ip ?? null,
    });
  }

  async closeEntry(trx: Knex | Knex.Transaction, companyId: number, loginLogId: number | null, reason: string) {
    if (!loginLogId) return;
    await new Tenant(trx, companyId).q('login_log').where({ id: loginLogId }).whereNull('logout_at').update({ logout_at: trx.fn.now(), logout_reason: reason });
  }

  async list(t: Tenant, f: { page: number; pageSize: number; agentId?: number; result?: string; from?: Date; to?: Date }) {
    const base = t.q('login_log as l').leftJoin('agents as a', 'a.id', 'l.agent_id');
    if (f.agentId) base.where('l.agent_id', f.agentId);
    if (f.result) base.where('l.result', f.result);
    if (f.from) base.where('l.created_at', '>=', f.from);
    if (f.to) base.where('l.created_at', '<', f.to);
    const [{ count }] = await base.clone().count<{ count: string }[]>('* as count');
    const rows = await base
      .select('l.*', 'a.agent_id as agent_code', 'a.name as agent_name')
      .orderBy([
        { column: 'l.created_at', order: 'desc' },
        { column: 'l.id', order: 'desc' },
      ])
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize);
    return {
      total: Number(count),
      items: rows.map((r: any) => ({
        id: Number(r.id),
        time: new Date(r.created_at).toISOString(),
        agentId: r.agent_code ?? r.typed_agent_id,
        agentName: r.agent_name ?? null,
        type: r.type,
        result: r.result,
        reason: r.reason,
        method: r.method,
        factor: r.factor,
        ip: r.ip,
        browser: r.browser,
        os: r.os,
        summary: r.summary,
        logoutAt: r.logout_at ? new Date(r.logout_at).toISOString() : null,
        logoutReason: r.logout_reason,
      })),
    };
  }
}
