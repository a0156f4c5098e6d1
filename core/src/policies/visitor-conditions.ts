import { z } from 'zod';
import { regionEntry, regionMatches } from '../region/region-schema.ts';
import type { Region } from '../visitors/region-type.ts';

/**
 * Conditions on a browsing visitor, combined with AND; a condition left out
 * always holds. Used by routing rules (ASSIGN-RULES-4), automatic proactive
 * chat (POLICY-PROACTIVE-2) and invitation strategies (INVITE-STRATEGY-4).
 * Failing fields are named by their path, e.g. `rules.2.conditions.page.value`.
 */
const code = (c: string) => ({ params: { code: c } });
const text = (max: number) => z.string().trim().min(1).max(max);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'A time like 09:30', ...code('invalid_time') });

/** A weekly window in the company's time zone: days 1 (Monday) … 7 (Sunday), [from, to). */
export const timeWindow = z
  .strictObject({ days: z.array(z.number().int().min(1).max(7)).min(1).max(7), from: hhmm, to: hhmm })
  // Only once both times are valid, so a bad time is reported once.
  .refine((w) => !hhmm.safeParse(w.from).success || !hhmm.safeParse(w.to).success || w.from < w.to, {
    path: ['to'],
    message: 'Must be after the start',
    ...code('invalid_window'),
  });

/** A pattern longer than this, or with a quantified group holding a quantifier (`(a+)+`), is refused: it could stall the server. */
const MAX_PATTERN = 200;
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;
/** Only this much of a URL is matched against a pattern. */
const MATCHED_URL = 1000;

const page = z.strictObject({ op: z.enum(['contains', 'startsWith', 'equals', 'regex']), value: text(500) }).superRefine((p, ctx) => {
  if (p.op !== 'regex') return;
  const refuse = (message: string, c: string) => ctx.addIssue({ code: 'custom', path: ['value'], message, ...code(c) });
  if (p.value.length > MAX_PATTERN || NESTED_QUANTIFIER.test(p.value))
    return refuse(`At most ${MAX_PATTERN} characters, no nested repetition`, 'unsafe_pattern');
  try {
    new RegExp(p.value, 'i');
  } catch {
    refuse('Not a valid regular expression', 'invalid_pattern');
  }
});

/** 来源: how the visitor reached the site (campaign = tagged landing URL, utm_* or gclid). */
export const SOURCE_TYPES = ['search', 'referral', 'direct', 'campaign'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const visitorConditions = z.strictObject({
  /** 当前页面 */
  page: page.optional(),
  /** 停留时间: seconds since the visit started. */
  minSeconds: z.number().int().min(0).max(3600).optional(),
  /** 本次浏览页数: page views in this visit. */
  minPageViews: z.number().int().min(1).max(1000).optional(),
  /** 访问次数: this visit's number for the visitor (1 = first). */
  minVisits: z.number().int().min(1).max(10000).optional(),
  /** 来源 */
  sources: z.array(z.enum(SOURCE_TYPES)).min(1).max(SOURCE_TYPES.length).optional(),
  /** 来源网站: the referrer's host or any of its subdomains. */
  referrerHost: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)*$/, { message: 'A host name like www.example.com', ...code('invalid_host') })
    .optional(),
  /** 搜索关键词 contains */
  keyword: text(50).optional(),
  /** 地区 */
  regions: z.array(regionEntry).min(1).max(100).optional(),
  /** 语种: 'zh' also matches 'zh-CN'. */
  languages: z.array(text(20)).min(1).max(20).optional(),
  /** 渠道 */
  channels: z.array(text(40)).min(1).max(20).optional(),
  /** 新老访客 */
  visitorType: z.enum(['new', 'returning']).optional(),
  /** 对话图标 */
  iconIds: z.array(z.number().int().positive()).min(1).max(50).optional(),
  /** 时间段 */
  times: z.array(timeWindow).min(1).max(20).optional(),
});
export type VisitorConditions = z.output<typeof visitorConditions>;

/** What is known about the visitor when a rule is evaluated. */
export interface VisitorFacts {
  url: string | null;
  referrer: string | null;
  source: SourceType;
  /** Seconds since the visit started, page views and the visit's number (1 = first). */
  secondsOnSite: number;
  pageViews: number;
  visitNumber: number;
  keyword: string | null;
  region: Pick<Region, 'country' | 'province' | 'city'>;
  language: string | null;
  channel: string;
  returning: boolean;
  iconId: number | null;
  at: Date;
  timeZone: string;
}

const hostOf = (url: string | null) => {
  try {
    return url ? new URL(url).hostname.toLowerCase() : null;
  } catch {
    return null;
  }
};

/** Day 1–7 and "HH:MM" of `at` in `timeZone`. */
function weekTime(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1, time: `${parts.hour}:${parts.minute}` };
}

export function conditionsHold(c: VisitorConditions, f: VisitorFacts): boolean {
  if (c.page) {
    const url = f.url ?? '';
    const { op, value } = c.page;
    if (
      !(op === 'regex'
        ? new RegExp(value, 'i').test(url.slice(0, MATCHED_URL))
        : op === 'equals'
          ? url === value
          : op === 'startsWith'
            ? url.startsWith(value)
            : url.includes(value))
    )
      return false;
  }
  if (c.minSeconds !== undefined && f.secondsOnSite < c.minSeconds) return false;
  if (c.minPageViews !== undefined && f.pageViews < c.minPageViews) return false;
  if (c.minVisits !== undefined && f.visitNumber < c.minVisits) return false;
  if (c.sources && !c.sources.includes(f.source)) return false;
  if (c.referrerHost) {
    const host = hostOf(f.referrer);
    if (!host || (host !== c.referrerHost && !host.endsWith(`.${c.referrerHost}`))) return false;
  }
  if (c.keyword && !(f.keyword ?? '').toLowerCase().includes(c.keyword.toLowerCase())) return false;
  if (c.regions && !c.regions.some((e) => regionMatches(e, f.region))) return false;
  if (c.languages) {
    const lang = (f.language ?? '').toLowerCase();
    if (!c.languages.some((l) => lang === l.toLowerCase() || lang.startsWith(`${l.toLowerCase()}-`))) return false;
  }
  if (c.channels && !c.channels.includes(f.channel)) return false;
  if (c.visitorType && (c.visitorType === 'returning') !== f.returning) return false;
  if (c.iconIds && (f.iconId == null || !c.iconIds.includes(f.iconId))) return false;
  if (c.times) {
    const now = weekTime(f.at, f.timeZone);
    if (!c.times.some((w) => w.days.includes(now.day) && w.from <= now.time && now.time < w.to)) return false;
  }
  return true;
}
