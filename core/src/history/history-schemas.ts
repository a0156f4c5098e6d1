import { z } from 'zod';
import { segmentView } from '../conversations/segment-schemas.ts';
import { messageView } from '../protocol/message-schemas.ts';
import { keywordTerms } from './search-tokens.ts';

/** HISTORY-SEARCH-1: the longest date range one search may cover. */
export const MAX_RANGE_DAYS = 366;
export const MAX_KEYWORD_TERMS = 5;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'Not a date',
    params: { code: 'invalid_date' },
  });
// Query values are strings; a pattern (not coercion) so "ann" is reported as a bad format, not as missing.
const id = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'Expected a positive whole number')
  .transform(Number);
const count = z
  .string()
  .regex(/^\d{1,9}$/, 'Expected a whole number')
  .transform(Number);
/** A repeated query parameter (`agentId=1&agentId=2`) arrives as an array, a single one as a string. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item).max(50));
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const custom = (ctx: z.RefinementCtx, path: string, code: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], params: { code }, message });
export const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;

/** Every condition of HISTORY-SEARCH-1 that Kefu stores today; all optional, combined with AND. */
export const historyFilters = z.strictObject({
  /** Start-time range in the company's time zone, both days included; default the last 7 days. */
  from: day.optional(),
  to: day.optional(),
  agentId: list(id).optional(),
  groupId: id.optional(),
  visitorNumber: id.optional(),
  visitorName: z.string().trim().min(1).max(50).optional(),
  email: z.string().trim().min(1).max(254).optional(),
  mobile: z.string().trim().min(1).max(30).optional(),
  keyword: z.string().optional(),
  /** 只搜访客消息 / 只搜客服消息. */
  keywordIn: z.enum(['all', 'visitor', 'agent']).default('all'),
  topic: z.string().trim().min(1).max(50).optional(),
  /** 对话主题 未设置. */
  noTopic: flag.optional(),
  evaluation: z.enum(['valid', 'invalid', 'valuable', 'unevaluated']).optional(),
  /** 满意度: a level 1–5 or 未评价 none (EVAL-RATING-8). */
  rating: z.enum(['1', '2', '3', '4', '5', 'none']).optional(),
  note: z.string().trim().min(1).max(100).optional(),
  region: z.string().trim().min(1).max(50).optional(),
  channel: z.string().trim().min(1).max(40).optional(),
  initiator: z.string().trim().min(1).max(40).optional(),
  endReason: z.string().trim().min(1).max(40).optional(),
  status: z.enum(['ongoing', 'ended']).optional(),
  conversationId: id.optional(),
  hasFiles: flag.optional(),
  minDuration: count.optional(),
  maxDuration: count.optional(),
  minMessages: count.optional(),
  maxMessages: count.optional(),
});

/** HISTORY-SEARCH-1 and HISTORY-KEYWORD-2 rules that span fields, with their own codes. */
export function checkFilters(f: z.output<typeof historyFilters>, ctx: z.RefinementCtx) {
  if (f.from && f.to) {
    if (f.from > f.to) custom(ctx, 'from', 'range_reversed', 'The range starts after it ends');
    else if (daysBetween(f.from, f.to) > MAX_RANGE_DAYS) custom(ctx, 'to', 'range_too_long', `At most ${MAX_RANGE_DAYS} days`);
  }
  if (f.keyword !== undefined) {
    const kw = f.keyword.trim();
    const terms = keywordTerms(kw);
    if (Array.from(kw).length > 50) custom(ctx, 'keyword', 'keyword_too_long', 'At most 50 characters');
    else if (terms.length > MAX_KEYWORD_TERMS) custom(ctx, 'keyword', 'keyword_too_many_terms', `At most ${MAX_KEYWORD_TERMS} terms`);
    else if (!terms.length || terms.some((t) => Array.from(t).length < 2)) custom(ctx, 'keyword', 'keyword_too_short', 'Each term needs at least 2 characters');
  }
  if (f.minDuration !== undefined && f.maxDuration !== undefined && f.minDuration > f.maxDuration)
    custom(ctx, 'minDuration', 'range_reversed', 'Minimum above maximum');
  if (f.minMessages !== undefined && f.maxMessages !== undefined && f.minMessages > f.maxMessages)
    custom(ctx, 'minMessages', 'range_reversed', 'Minimum above maximum');
}

export type HistoryFilters = z.output<typeof historyFilters>;

export const searchQuery = historyFilters
  .extend({
    sort: z.enum(['start', 'duration', 'messages']).default('start'),
    order: z.enum(['desc', 'asc']).default('desc'),
    pageSize: z.enum(['20', '50', '100']).default('20').transform(Number),
    /** The `nextCursor` of the previous page (keyset pagination, HISTORY-LIST-4). */
    cursor: z.string().max(200).optional(),
  })
  .superRefine(checkFilters);
export type SearchQuery = z.output<typeof searchQuery>;

export const countQuery = historyFilters.superRefine(checkFilters);

export const exportQuery = historyFilters
  .extend({
    format: z.enum(['csv', 'xlsx', 'html']),
    /** 对话列表 (one row per conversation) or 对话内容 (one row per message); HTML always has both. */
    content: z.enum(['list', 'messages']).default('list'),
  })
  .superRefine(checkFilters);
export type ExportQuery = z.output<typeof exportQuery>;

const agentRef = z.object({ id: z.number(), nickname: z.string().nullable() });

export const historyRow = z.object({
  id: z.number(),
  status: z.enum(['queued', 'active', 'ended']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  visitor: z.object({ id: z.number(), number: z.number(), name: z.string().nullable(), region: z.string().nullable() }),
  /** Everyone who served it, in order (a transfer chain A → B). */
  agents: z.array(agentRef),
  group: z.object({ id: z.number(), name: z.string() }).nullable(),
  channel: z.string(),
  initiator: z.string(),
  endReason: z.string().nullable(),
  topic: z.string().nullable(),
  evaluation: z.enum(['valid', 'invalid']).nullable(),
  /** ☆ 有价值 (EVAL-FORM-1). */
  valuable: z.boolean(),
  note: z.string().nullable(),
  /** The visitor's latest satisfaction score, 1–5 (EVAL-RATING-8). */
  rating: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  messageCount: z.number(),
  /** Past the editable window of HISTORY-LOCK-9: evaluation is read-only. */
  locked: z.boolean(),
  /** The first matching message (with the terms to highlight) when searching by keyword, else the visitor's first message. */
  preview: z.object({ text: z.string(), highlights: z.array(z.object({ start: z.number(), length: z.number() })) }).nullable(),
});
export type HistoryRow = z.output<typeof historyRow>;

export const searchResponse = z.object({
  items: z.array(historyRow),
  nextCursor: z.string().nullable(),
  /** HISTORY-LOCK-9: conversations that ended before this instant can no longer be evaluated. */
  editableAfter: z.string(),
});

/** `segments`: who served it from when to when (CONV-TRANSFER-33). */
export const detailResponse = z.object({ conversation: historyRow, segments: z.array(segmentView), messages: z.array(messageView) });

/** HISTORY-ONGOING-13: what an open transcript of a running conversation polls for. */
export const liveQuery = z.strictObject({ afterSeq: z.coerce.number().int().min(0) });
export const liveResponse = z.object({ status: historyRow.shape.status, messages: z.array(messageView) });

export const historySettings = z.object({ editableDays: z.number() });
export const historySettingsBody = z.strictObject({ editableDays: z.number().int().min(30).max(3650) });
