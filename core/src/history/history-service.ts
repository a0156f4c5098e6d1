import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { fieldError, notFound } from '../http/errors.ts';
import { toMessageView } from '../conversations/conversation-mapper.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { SegmentService } from '../conversations/segment-service.ts';
import { DURATION, filteredConversations, type DayRange, type KeywordMode, type Viewer } from './history-query.ts';
import { rowColumns, toHistoryRows } from './history-rows.ts';
import { daysBetween, MAX_RANGE_DAYS, type HistoryFilters, type SearchQuery } from './history-schemas.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 7;
/** Messages per poll of a live transcript; a longer gap is read by the next poll. */
const LIVE_LIMIT = 200;

/** The sort keys of HISTORY-LIST-4; each pairs with the id for keyset pagination. */
const SORTS = {
  start: { expr: 'c.created_at', cursor: 'c.created_at::text', cast: '?::timestamptz' },
  duration: { expr: `coalesce(${DURATION}, -1)`, cursor: `coalesce(${DURATION}, -1)::text`, cast: '?::numeric' },
  messages: { expr: 'c.last_seq', cursor: 'c.last_seq::text', cast: '?::int' },
} as const;

type Key = [string, number];

/** How many conversations the keyword is checked on one by one before the index takes over (HISTORY-PERF-3). */
export const SEARCH_TUNING = { probe: 500 };

const encodeCursor = (value: string, id: number) => Buffer.from(JSON.stringify([value, id])).toString('base64url');
/** A sort value the database can cast back (a forged one would otherwise fail inside the query as a 500). */
const SORT_VALUE: Record<keyof typeof SORTS, (v: string) => boolean> = {
  start: (v) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(v),
  duration: (v) => /^-?\d{1,15}(\.\d+)?$/.test(v),
  messages: (v) => /^\d{1,9}$/.test(v),
};
function decodeCursor(cursor: string, sort: keyof typeof SORTS): Key {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && SORT_VALUE[sort](v[0]) && Number.isSafeInteger(v[1])) return v as Key;
  } catch {
    // Falls through to the same answer as any other malformed cursor.
  }
  throw fieldError('query.cursor', 'invalid_cursor', 'Not a cursor this search returned');
}

/** Conversation history (SPEC HISTORY §4.1): search, totals, transcripts and the editable window. */
@injectable()
export class HistoryService {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(SegmentService) private readonly segments: SegmentService,
  ) {}

  viewer(auth: AuthInfo): Viewer {
    const seesAll = auth.agent.role === 'admin' || auth.can('history.viewAll');
    return { agentId: auth.agent.id, seesAll, monitorsRunning: !seesAll && auth.can('conversation.monitor') };
  }

  /** The company's time zone and editable window (HISTORY-LOCK-9). */
  async companyRules(t: Tenant): Promise<{ timeZone: string; editableDays: number; editableAfter: Date }> {
    const c = await t.unscoped('companies').where({ id: t.companyId }).first('timezone', 'history_editable_days');
    const editableDays = Number(c?.history_editable_days ?? 365);
    return { timeZone: c?.timezone ?? 'Asia/Shanghai', editableDays, editableAfter: new Date(this.clock.now().getTime() - editableDays * DAY_MS) };
  }

  /** HISTORY-SEARCH-1: up to today from `from`, else the last 7 days; a conversation ID alone searches all time. */
  range(f: HistoryFilters, timeZone: string): DayRange | null {
    if (f.conversationId && !f.from && !f.to) return null;
    const to = f.to ?? new Intl.DateTimeFormat('en-CA', { timeZone }).format(this.clock.now());
    const from = f.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    if (daysBetween(from, to) > MAX_RANGE_DAYS) throw fieldError('query.from', 'range_too_long', `At most ${MAX_RANGE_DAYS} days`);
    return { from, to, timeZone };
  }

  async query(auth: AuthInfo, f: HistoryFilters): Promise<{ q: Knex.QueryBuilder; editableAfter: Date }> {
    const rules = await this.companyRules(auth.tenant);
    return { q: filteredConversations(auth.tenant, this.viewer(auth), f, this.range(f, rules.timeZone)), editableAfter: rules.editableAfter };
  }

  /** HISTORY-LIST-4: one keyset page; the total comes from `count` (HISTORY-PERF-3 keeps the page fast). */
  async search(auth: AuthInfo, s: SearchQuery) {
    const t = auth.tenant;
    const rules = await this.companyRules(t);
    const range = this.range(s, rules.timeZone);
    const sort = SORTS[s.sort];
    // Keys later in the scan's order than `after`, and not later than `upTo`.
    const [past, notPast] = s.order === 'desc' ? ['<', '>='] : ['>', '<='];
    const base = (f: HistoryFilters, mode: KeywordMode, after: Key | null, upTo: Key | null) => {
      const q = filteredConversations(t, this.viewer(auth), f, range, mode);
      if (after) q.whereRaw(`(${sort.expr}, c.id) ${past} (${sort.cast}, ?)`, after);
      if (upTo) q.whereRaw(`(${sort.expr}, c.id) ${notPast} (${sort.cast}, ?)`, upTo);
      return q.select(t.unscoped.raw(`${sort.cursor} as sort_value`)).orderByRaw(`${sort.expr} ${s.order}, c.id ${s.order}`);
    };
    const page = (mode: KeywordMode, after: Key | null, upTo: Key | null, limit: number) =>
      base(s, mode, after, upTo)
        .select(...rowColumns(t))
        .limit(limit);
    const after = s.cursor ? decodeCursor(s.cursor, s.sort) : null;
    const want = s.pageSize + 1;
    let rows: any[];
    if (!s.keyword) rows = await page('index', after, null, want);
    else {
      // A common term fills the page within the next PROBE conversations, checked one by one; the
      // conversations past them are left to the index, which is fast exactly when the term is rare.
      const edge = await base({ ...s, keyword: undefined }, 'index', after, null)
        .select('c.id')
        .offset(SEARCH_TUNING.probe - 1)
        .first();
      const bound: Key | null = edge ? [edge.sort_value, Number(edge.id)] : null;
      rows = await page('probe', after, bound, want);
      if (bound && rows.length < want) rows.push(...(await page('index', bound, null, want - rows.length)));
    }
    const items = rows.slice(0, s.pageSize);
    const last = items[items.length - 1];
    return {
      items: await toHistoryRows(t, items, { keyword: s.keyword, editableAfter: rules.editableAfter }),
      nextCursor: rows.length > s.pageSize ? encodeCursor(last.sort_value, Number(last.id)) : null,
      editableAfter: rules.editableAfter.toISOString(),
    };
  }

  /** 共 N 条: the exact number of matching conversations the caller may see. */
  async count(auth: AuthInfo, f: HistoryFilters): Promise<{ total: number }> {
    const { q } = await this.query(auth, f);
    const [{ n }] = await q.count<{ n: string }[]>('c.id as n');
    return { total: Number(n) };
  }

  /** HISTORY-DETAIL-6: the row and every message in order, whispers included (agents only read this). */
  async detail(auth: AuthInfo, conversationId: number) {
    const { q, editableAfter } = await this.query(auth, { conversationId, keywordIn: 'all' });
    const rows = await q.select(...rowColumns(auth.tenant));
    // Not visible and not existing answer alike (HISTORY-VISIBILITY-5).
    if (!rows.length) throw notFound('Conversation not found');
    const [conversation] = await toHistoryRows(auth.tenant, rows, { editableAfter });
    const messages = await auth.tenant.q('messages').where({ conversation_id: conversationId }).orderBy('seq');
    const segments = (await this.segments.of(auth.tenant, [conversationId])).get(conversationId) ?? [];
    return { conversation, segments, messages: messages.map(toMessageView) };
  }

  /**
   * HISTORY-ONGOING-13: the messages after `afterSeq` and the status, polled by an open transcript
   * of a running conversation so that new messages show within a second; the same visibility as the detail.
   */
  async messagesAfter(auth: AuthInfo, conversationId: number, afterSeq: number) {
    const { q } = await this.query(auth, { conversationId, keywordIn: 'all' });
    const row = await q.first('c.status');
    if (!row) throw notFound('Conversation not found');
    const messages = await auth.tenant.q('messages').where({ conversation_id: conversationId }).where('seq', '>', afterSeq).orderBy('seq').limit(LIVE_LIMIT);
    return { status: row.status as 'queued' | 'active' | 'ended', messages: messages.map(toMessageView) };
  }

  async settings(t: Tenant) {
    return { editableDays: (await this.companyRules(t)).editableDays };
  }

  /** HISTORY-LOCK-9 可修改期限; audited like every company setting (BEYOND-AUDIT-14). */
  async saveSettings(auth: AuthInfo, editableDays: number) {
    const t = auth.tenant;
    const old = await this.settings(t);
    await t.unscoped('companies').where({ id: t.companyId }).update({ history_editable_days: editableDays });
    await this.audit.write(t, { actor: auth.agent.id, action: 'history.settings', old, new: { editableDays } });
    return { editableDays };
  }
}
