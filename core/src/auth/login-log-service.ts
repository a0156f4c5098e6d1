import net from 'node:net';
import type { Readable } from 'node:stream';
import { inject, injectable } from '../infra/di.ts';
import { UAParser } from 'ua-parser-js';
import type { Knex } from 'knex';
import { type Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { conflict } from '../http/errors.ts';
import { safeCell, timeFormatter } from '../history/export-cells.ts';
import { csvStream, xlsxStream } from '../history/export-writers.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { AuthInfo } from './auth-info.ts';
import { assertMayManage } from '../accounts/agent-guard.ts';

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

/** LOGINLOG-LIST-5 filters; `from`/`to` are ISO instants, `to` exclusive. */
export interface LoginLogFilters {
  agentId?: number[];
  groupId?: number;
  result?: string;
  method?: string;
  reason?: string;
  /** One address or a CIDR range. */
  ip?: string;
  from?: Date;
  to?: Date;
}

/** LOGINLOG-LIST-5: without `from`, the 7 days before `to` (or now). */
const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;
/** LOGINLOG-EXPORT-8: rows per export; LOGINLOG-RETENTION-9: the company setting's bounds. */
export const LOGIN_EXPORT_LIMIT = 100_000;
export const RETENTION_DAYS = { min: 90, max: 1095, default: 365 };
const BATCH = 1000;

/** Whether the viewer may end this agent's sessions (AGENT-SESSIONS-20): `agents.manage` within AGENT-PERMS-16. */
function mayEndSessionsOf(viewer: AuthInfo, target: { id: number; role: string; is_primary: boolean; permissions: string[] }): boolean {
  if (!viewer.can('agents.manage')) return false;
  try {
    assertMayManage(viewer, target);
    return true;
  } catch {
    return false;
  }
}

const toEntry = (r: any) => ({
  id: Number(r.id),
  time: new Date(r.created_at).toISOString(),
  agentId: (r.agent_code ?? r.typed_agent_id) as string | null,
  agentName: (r.agent_name ?? null) as string | null,
  type: r.type as string,
  result: r.result as string,
  reason: r.reason as string | null,
  method: r.method as string | null,
  factor: r.factor as string | null,
  ip: r.ip as string | null,
  browser: r.browser as string | null,
  os: r.os as string | null,
  summary: r.summary as string | null,
  logoutAt: r.logout_at ? new Date(r.logout_at).toISOString() : null,
  logoutReason: r.logout_reason as string | null,
  /** 在线时长 of a closed session; null while 在线中 or for failures and events. */
  durationSeconds: r.logout_at ? Math.max(0, Math.round((new Date(r.logout_at).getTime() - new Date(r.created_at).getTime()) / 1000)) : null,
  /** 在线中: a successful login whose session has not ended. */
  online: r.type === 'login' && r.result === 'success' && !r.logout_at,
});

/** A list row; `mayEnd` offers 强制下线 on rows still 在线中 (LOGINLOG-FORCE-7). */
const toListEntry = (r: any, viewer?: AuthInfo) => {
  const e = toEntry(r);
  const target = { id: Number(r.agent_id), role: r.agent_role, is_primary: r.agent_is_primary, permissions: r.agent_permissions ?? [] };
  return { ...e, mayEnd: !!viewer && e.online && r.agent_id != null && mayEndSessionsOf(viewer, target) };
};

const EXPORT_HEADERS = {
  zh: ['时间', '客服ID', '姓名', '类型', '结果', '原因', '登录方式', '验证方式', 'IP', '浏览器', '系统', '退出时间', '在线时长(秒)', '退出原因', '说明'],
  en: ['Time', 'Agent ID', 'Name', 'Type', 'Result', 'Reason', 'Method', 'Factor', 'IP', 'Browser', 'OS', 'Logout', 'Duration (s)', 'Logout reason', 'Summary'],
};

/** Whether `s` is an address or a CIDR range of one (LOGINLOG-LIST-5's IP filter). */
export function isIpOrCidr(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  const family = net.isIP(addr);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** The append-only login log (LOGINLOG-RECORD-1, LOGINLOG-SESSION-2, LOGINLOG-EVENTS-4): list, export and retention. */
@injectable()
export class LoginLogService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

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

  /** LOGINLOG-SESSION-2: an entry gets its sign-out once; `at` for a moment in the past (presence lost, expiry). Returns whether it changed. */
  async closeEntry(trx: Knex | Knex.Transaction, companyId: number, loginLogId: number | null, reason: string, at?: Date): Promise<boolean> {
    if (!loginLogId) return false;
    const n = await new Tenant(trx, companyId)
      .q('login_log')
      .where({ id: loginLogId })
      .whereNull('logout_at')
      .update({ logout_at: at ?? trx.fn.now(), logout_reason: reason });
    return n > 0;
  }

  /** Open login-log screens reload these rows (LOGINLOG-FORCE-7); ids only, as the company room includes agents who may not read the log. */
  changed(companyId: number, entryIds: number[]) {
    if (entryIds.length) this.notifier.toAgents(rooms.company(companyId), 'loginLog.changed', { entryIds });
  }

  private filtered(t: Tenant, f: LoginLogFilters): Knex.QueryBuilder {
    const q = t.q('login_log as l').leftJoin('agents as a', 'a.id', 'l.agent_id');
    const to = f.to ?? null;
    q.where('l.created_at', '>=', f.from ?? new Date((to ?? this.clock.now()).getTime() - DEFAULT_DAYS * DAY_MS));
    if (to) q.where('l.created_at', '<', to);
    if (f.agentId?.length) q.whereIn('l.agent_id', f.agentId);
    if (f.groupId) q.whereIn('l.agent_id', t.q('group_members').where({ group_id: f.groupId }).select('agent_id'));
    if (f.result) q.where('l.result', f.result);
    if (f.method) q.where('l.method', f.method);
    if (f.reason) q.where((w) => w.where('l.reason', f.reason!).orWhere('l.logout_reason', f.reason!));
    // Stored addresses come from the server's own reading of the connection, so the cast never fails.
    if (f.ip) q.whereRaw('l.ip is not null and l.ip::inet <<= ?::inet', [f.ip]);
    return q;
  }

  async list(t: Tenant, f: LoginLogFilters & { page: number; pageSize: number }, viewer?: AuthInfo) {
    const base = this.filtered(t, f);
    const [{ count }] = await base.clone().count<{ count: string }[]>('* as count');
    const rows = await base
      .select(
        'l.*',
        'a.agent_id as agent_code',
        'a.name as agent_name',
        'a.role as agent_role',
        'a.is_primary as agent_is_primary',
        'a.permissions as agent_permissions',
      )
      .orderBy([
        { column: 'l.created_at', order: 'desc' },
        { column: 'l.id', order: 'desc' },
      ])
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize);
    return { total: Number(count), items: rows.map((r: any) => toListEntry(r, viewer)) };
  }

  /** LOGINLOG-EXPORT-8: the filtered log as CSV or XLSX, streamed 1,000 rows at a time, audited with filters and count. */
  async export(
    t: Tenant,
    actor: { id: number; language: string | null },
    f: LoginLogFilters,
    format: 'csv' | 'xlsx',
  ): Promise<{ filename: string; body: Readable }> {
    const [{ n }] = await this.filtered(t, f).count({ n: '*' });
    const count = Number(n);
    if (count > LOGIN_EXPORT_LIMIT)
      throw conflict('export_too_large', 'Too many entries for one export; narrow the filters', { count, limit: LOGIN_EXPORT_LIMIT });
    await this.audit.write(t, { actor: actor.id, action: 'loginlog.export', new: { filters: f, format, count } });
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('timezone');
    const time = timeFormatter(company?.timezone ?? 'Asia/Shanghai');
    const table = { headers: actor.language?.startsWith('en') ? EXPORT_HEADERS.en : EXPORT_HEADERS.zh, rows: this.exportRows(t, f, time) };
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: company?.timezone ?? 'Asia/Shanghai' }).format(this.clock.now()).replaceAll('-', '');
    return { filename: `kefu-login-log-${day}.${format}`, body: format === 'csv' ? csvStream(table) : xlsxStream(table, 'login-log') };
  }

  private async *exportRows(t: Tenant, f: LoginLogFilters, time: (iso: string | null) => string): AsyncGenerator<string[]> {
    let after: [string, number] | null = null;
    for (;;) {
      const q = this.filtered(t, f)
        .select('l.*', 'a.agent_id as agent_code', 'a.name as agent_name', t.unscoped.raw('l.created_at::text as sort_value'))
        .orderBy([
          { column: 'l.created_at', order: 'desc' },
          { column: 'l.id', order: 'desc' },
        ])
        .limit(BATCH);
      if (after) q.whereRaw('(l.created_at, l.id) < (?::timestamptz, ?)', after);
      const rows = await q;
      for (const r of rows) {
        const e = toEntry(r);
        yield [
          e.time && time(e.time),
          e.agentId,
          e.agentName,
          e.type,
          e.result,
          e.reason,
          e.method,
          e.factor,
          e.ip,
          e.browser,
          e.os,
          time(e.logoutAt),
          e.durationSeconds,
          e.logoutReason,
          e.summary,
        ].map(safeCell);
      }
      if (rows.length < BATCH) return;
      const last = rows[rows.length - 1];
      after = [last.sort_value, Number(last.id)];
    }
  }

  async retention(t: Tenant): Promise<{ retentionDays: number }> {
    const c = await t.unscoped('companies').where({ id: t.companyId }).first('loginlog_retention_days');
    return { retentionDays: Number(c?.loginlog_retention_days ?? RETENTION_DAYS.default) };
  }

  async setRetention(t: Tenant, actor: number, retentionDays: number) {
    const before = await this.retention(t);
    await t.unscoped('companies').where({ id: t.companyId }).update({ loginlog_retention_days: retentionDays });
    await this.audit.write(t, { actor, action: 'settings.loginLogRetention', old: before, new: { retentionDays } });
    return { retentionDays };
  }

  /** LOGINLOG-RETENTION-9, job `core:loginlog-retention`: deletes each company's entries older than its setting; returns how many. */
  async purge(): Promise<number> {
    const now = this.clock.now().getTime();
    const { rows } = await this.db.raw(
      `delete from login_log l using companies c
        where c.id = l.company_id and l.created_at < ?::timestamptz - make_interval(days => c.loginlog_retention_days)
        returning l.id`,
      [new Date(now)],
    );
    return rows.length;
  }
}
