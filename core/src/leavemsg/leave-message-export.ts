import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict } from '../http/errors.ts';
import { EXPORT_MIME, EXPORT_TUNING, type ExportPlan } from '../exports/export-plan.ts';
import { safeCell, timeFormatter } from '../history/export-cells.ts';
import { csvStream, xlsxStream } from '../history/export-writers.ts';
import { LEAVE_FIELDS } from '../settings/widget-settings-schema.ts';
import { filteredLeaveMessages, type LeaveMessageFilters } from './leave-message-query.ts';

/** LEAVEMSG-EXPORT-13: rows per export. */
export const LEAVE_EXPORT_LIMIT = 100_000;
const KNOWN = new Set<string>([...LEAVE_FIELDS, 'content']);

const zh = {
  headers: [
    '留言ID',
    '留言时间',
    '姓名',
    '手机',
    '固话',
    'E_mail',
    'QQ',
    '公司',
    '地址',
    '留言主题',
    '留言内容',
    '其他信息',
    '状态',
    '类型',
    '分组',
    '处理人',
    '备注',
    '渠道',
    '语言',
    'IP',
    '来源页面',
    '最后回复时间',
    '回复方式',
  ],
  status: { unreplied: '未回复', replied: '已回复' } as Record<string, string>,
  channel: { email: '邮件', sms: '短信', manual: '手动标记' } as Record<string, string>,
};
const en: typeof zh = {
  headers: [
    'ID',
    'Time',
    'Name',
    'Mobile',
    'Landline',
    'E-mail',
    'QQ',
    'Company',
    'Address',
    'Subject',
    'Message',
    'Other fields',
    'Status',
    'Type',
    'Group',
    'Handler',
    'Note',
    'Channel',
    'Language',
    'IP',
    'Page',
    'Last reply',
    'Replied by',
  ],
  status: { unreplied: 'unreplied', replied: 'replied' },
  channel: { email: 'e-mail', sms: 'SMS', manual: 'marked' },
};

/** CSV and XLSX export of the visible leave-messages a search finds, streamed 500 rows at a time (LEAVEMSG-EXPORT-13). */
@injectable()
export class LeaveMessageExport {
  constructor(@inject(TOKENS.Clock) private readonly clock: Clock) {}

  /** Counts and checks the limit; the file is written when the plan is opened. */
  async plan(auth: AuthInfo, f: LeaveMessageFilters, format: 'csv' | 'xlsx'): Promise<ExportPlan> {
    const now = this.clock.now();
    const [{ n }] = await filteredLeaveMessages(auth, f, now).count({ n: '*' });
    const count = Number(n);
    if (count > LEAVE_EXPORT_LIMIT)
      throw conflict('export_too_large', 'Too many leave-messages for one export; narrow the search', { count, limit: LEAVE_EXPORT_LIMIT });
    const company = await auth.tenant.unscoped('companies').where({ id: auth.companyId }).first('timezone');
    const timeZone = company?.timezone ?? 'Asia/Shanghai';
    const time = timeFormatter(timeZone);
    const l = auth.agent.language?.startsWith('en') ? en : zh;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now).replaceAll('-', '');
    return {
      count,
      filename: `kefu-leave-messages-${day}.${format}`,
      contentType: EXPORT_MIME[format],
      audit: { action: 'leavemsg.export', new: { filters: f, format, count } },
      open: (progress): Readable => {
        const table = { headers: l.headers, rows: this.rows(auth, f, now, time, l, progress) };
        return format === 'csv' ? csvStream(table) : xlsxStream(table, 'leave-messages');
      },
    };
  }

  private async *rows(
    auth: AuthInfo,
    f: LeaveMessageFilters,
    now: Date,
    time: (iso: string | null) => string,
    l: typeof zh,
    progress?: (rows: number) => Promise<void>,
  ): AsyncGenerator<string[]> {
    const raw = (sql: string) => auth.tenant.unscoped.raw(sql);
    const size = EXPORT_TUNING.batch;
    let after: [string, number] | null = null;
    for (;;) {
      const q: Knex.QueryBuilder = filteredLeaveMessages(auth, f, now)
        .leftJoin('agents as h', 'h.id', 'l.handler_id')
        .leftJoin('groups as g', 'g.id', 'l.group_id')
        .select(
          'l.*',
          'h.nickname as handler_name',
          'g.name as group_name',
          raw('l.created_at::text as sort_value'),
          raw('(select r.channel from leave_message_replies r where r.leave_message_id = l.id order by r.id desc limit 1) as reply_channel'),
          raw('(select max(r.created_at) from leave_message_replies r where r.leave_message_id = l.id) as reply_at'),
        )
        .orderBy([
          { column: 'l.created_at', order: 'desc' },
          { column: 'l.id', order: 'desc' },
        ])
        .limit(size);
      if (after) q.whereRaw('(l.created_at, l.id) < (?::timestamptz, ?)', after);
      const rows = await q;
      for (const r of rows) yield this.cells(r, time, l);
      if (rows.length) await progress?.(rows.length);
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      after = [last.sort_value, Number(last.id)];
    }
  }

  private cells(r: Record<string, any>, time: (iso: string | null) => string, l: typeof zh): string[] {
    const fields = (r.fields ?? {}) as Record<string, string>;
    const other = Object.entries(fields).filter(([k]) => !KNOWN.has(k));
    const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
    // A reply by e-mail or SMS is the last reply; otherwise a manual 已回复 is.
    const lastAt = r.reply_at ?? (r.status === 'replied' ? r.replied_at : null);
    const lastChannel = r.reply_channel ?? (r.status === 'replied' ? 'manual' : null);
    return [
      r.id,
      time(iso(r.created_at)),
      fields.name,
      fields.mobile,
      fields.phone,
      fields.email,
      fields.qq,
      fields.company,
      fields.address,
      fields.subject,
      r.content,
      other.map(([k, v]) => `${k}: ${v}`).join('; '),
      l.status[r.status],
      r.type,
      r.group_name,
      r.handler_name,
      r.note,
      r.channel,
      r.language,
      r.ip,
      r.page_url,
      time(iso(lastAt)),
      lastChannel ? l.channel[lastChannel] : '',
    ].map(safeCell);
  }
}
