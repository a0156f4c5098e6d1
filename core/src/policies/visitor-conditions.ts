import { z } from 'zod';
import { regionEntry, regionMatches } from '../region/region-schema.ts';
import type { Region } from '../visitors/region-type.ts';

/**
 * Conditions on a browsing visitor, combined with AND; a condition left out
 * always holds. Used by routing rules (ASSIGN-RULES-4) and automatic
 * proactive chat (POLICY-PROACTIVE-2). Failing fields are named by their path,
 * e.g. `rules.2.conditions.page.value`.
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

export const visitorConditions = z.strictObject({
  /** 当前页面 */
  page: z.strictObject({ op: z.enum(['contains', 'startsWith', 'equals']), value: text(500) }).optional(),
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
    if (!(op === 'equals' ? url === value : op === 'startsWith' ? url.startsWith(value) : url.includes(value))) return false;
  }
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
