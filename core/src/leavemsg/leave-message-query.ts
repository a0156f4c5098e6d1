import type { Knex } from 'knex';
import { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import { keywordTerms } from '../history/search-tokens.ts';

/** LEAVEMSG-FILTER-2: the longest range one search may cover, and the default when no start is given. */
export const MAX_RANGE_DAYS = 366;
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const custom = (ctx: z.RefinementCtx, path: string, code: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], params: { code }, message });

/** Every condition of LEAVEMSG-FILTER-2; all optional, combined with AND. */
export const leaveMessageFilters = z.strictObject({
  status: z.enum(['unreplied', 'replied']).optional(),
  /** ISO instants; `to` is exclusive. Without `from`, the 30 days before `to` (or now). */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  type: z.string().trim().min(1).max(20).optional(),
  /** 类型 未设置. */
  noType: flag.optional(),
  groupId: z.coerce.number().int().positive().optional(),
  /** An agent's id, `me`, or `unassigned` (未分配). */
  handler: z.union([z.enum(['me', 'unassigned']), z.coerce.number().int().positive()]).optional(),
  keyword: z.string().optional(),
  channel: z.string().trim().min(1).max(40).optional(),
  language: z.string().trim().min(1).max(10).optional(),
  pageUrl: z.string().trim().min(1).max(200).optional(),
  /** Selected rows (bulk export); the other filters still apply. */
  ids: z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : String(v).split(',')), z.array(z.coerce.number().int().positive()).max(500)).optional(),
});
export type LeaveMessageFilters = z.output<typeof leaveMessageFilters>;

/** Rules spanning fields, with their own codes (the keyword follows HISTORY-KEYWORD-2). */
export function checkLeaveFilters(f: LeaveMessageFilters, ctx: z.RefinementCtx) {
  const to = f.to?.getTime() ?? Date.now();
  if (f.from && f.from.getTime() > to) custom(ctx, 'from', 'range_reversed', 'The range starts after it ends');
  else if (f.from && to - f.from.getTime() > MAX_RANGE_DAYS * DAY_MS) custom(ctx, 'from', 'range_too_long', `At most ${MAX_RANGE_DAYS} days`);
  if (f.keyword !== undefined) {
    const kw = f.keyword.trim();
    const terms = keywordTerms(kw);
    if (Array.from(kw).length > 50) custom(ctx, 'keyword', 'keyword_too_long', 'At most 50 characters');
    else if (terms.length > 5) custom(ctx, 'keyword', 'keyword_too_many_terms', 'At most 5 terms');
    else if (!terms.length || terms.some((t) => Array.from(t).length < 2)) custom(ctx, 'keyword', 'keyword_too_short', 'Each term needs at least 2 characters');
  }
}

/** Full-width ASCII to half-width and the ideographic space to a space, in SQL, as `fold` does in code. */
const FULL = Array.from({ length: 0x5e }, (_, i) => String.fromCodePoint(0xff01 + i)).join('') + '\u3000';
const HALF = Array.from({ length: 0x5e }, (_, i) => String.fromCodePoint(0x21 + i)).join('') + ' ';
/** The searched text: content, subject, name and contacts, separated so a term never spans two of them. */
const SEARCHED = ['content', 'name', 'email', 'phone']
  .map((c) => `coalesce(l.${c}, '')`)
  .concat(["coalesce(l.fields->>'subject', '')", "coalesce(l.fields->>'qq', '')", "coalesce(l.fields->>'mobile', '')"]);
const SEARCH_EXPR = `lower(translate(${SEARCHED.join(' || chr(1) || ')}, ?, ?))`;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** LEAVEMSG-VISIBILITY-3: all with `leavemsg.viewAll` (admins), else mine, unassigned of my groups and unassigned without group. */
export function visibleLeaveMessages(auth: AuthInfo): Knex.QueryBuilder {
  const q = auth.tenant.q('leave_messages as l');
  if (auth.can('leavemsg.viewAll')) return q;
  const me = auth.agent.id;
  return q.where((w) =>
    w
      .where('l.handler_id', me)
      .orWhere((u) =>
        u
          .whereNull('l.handler_id')
          .andWhere((g) => g.whereNull('l.group_id').orWhereIn('l.group_id', auth.tenant.unscoped('group_members').where({ agent_id: me }).select('group_id'))),
      ),
  );
}

/** The visible leave-messages a search finds (list, count and export share it). */
export function filteredLeaveMessages(auth: AuthInfo, f: LeaveMessageFilters, now: Date): Knex.QueryBuilder {
  const q = visibleLeaveMessages(auth);
  const to = f.to ?? null;
  const from = f.from ?? new Date((to ?? now).getTime() - DEFAULT_DAYS * DAY_MS);
  q.where('l.created_at', '>=', from);
  if (to) q.where('l.created_at', '<', to);
  if (f.status) q.where('l.status', f.status);
  if (f.noType) q.whereNull('l.type');
  else if (f.type) q.where('l.type', f.type);
  if (f.groupId) q.where('l.group_id', f.groupId);
  if (f.handler === 'me') q.where('l.handler_id', auth.agent.id);
  else if (f.handler === 'unassigned') q.whereNull('l.handler_id');
  else if (f.handler) q.where('l.handler_id', f.handler);
  if (f.channel) q.where('l.channel', f.channel);
  if (f.language) q.where('l.language', f.language);
  if (f.pageUrl) q.whereRaw(`l.page_url ilike ? escape '\\'`, [`%${likeEscape(f.pageUrl)}%`]);
  if (f.ids) q.whereIn('l.id', f.ids);
  if (f.keyword) for (const term of keywordTerms(f.keyword)) q.whereRaw(`${SEARCH_EXPR} like ? escape '\\'`, [FULL, HALF, `%${likeEscape(term)}%`]);
  return q;
}
