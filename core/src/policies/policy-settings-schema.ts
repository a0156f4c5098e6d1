import { z } from 'zod';
import { LANGS, type Lang } from '../settings/widget-defaults.ts';
import { httpUrl } from '../settings/widget-settings-schema.ts';
import { visitorConditions } from './visitor-conditions.ts';

/**
 * Conversation settings of a company (SPEC POLICY §7.1.8), one JSON document in
 * `policy_settings.settings`. Per-language texts store only what the company
 * entered; `textFor` resolves the fallbacks when a text is used.
 */
const custom = (code: string, message: string) => ({ message, params: { code } });
const langTexts = (max: number) =>
  z
    .strictObject(Object.fromEntries(LANGS.map((l) => [l, z.string().trim().min(1).max(max).optional()])) as Record<Lang, z.ZodOptional<z.ZodString>>)
    .prefault({});
const seconds = (min: number, max: number, def: number) => z.number().int().min(min).max(max).default(def);
const threshold = z.strictObject({ count: seconds(1, 100, 5), minutes: seconds(1, 60, 10) }).prefault({});

export const policySettingsSchema = z
  .strictObject({
    timeout: z
      .strictObject({
        enabled: z.boolean().default(false),
        firstSeconds: seconds(30, 3600, 180),
        secondSeconds: seconds(30, 3600, 120),
        first: langTexts(200),
        second: langTexts(200),
      })
      .prefault({}),
    proactive: z
      .strictObject({
        enabled: z.boolean().default(false),
        delaySeconds: seconds(0, 600, 30),
        maxPerVisit: seconds(1, 5, 1),
        greeting: langTexts(200),
        /** Which visitors get it; none = every visitor. */
        conditions: visitorConditions.prefault({}),
      })
      .prefault({}),
    antiSpam: z
      .strictObject({
        enabled: z.boolean().default(false),
        mode: z.enum(['suspicious', 'always']).default('suspicious'),
        perIp: threshold,
        perVisitor: threshold,
        /** New chat requests per minute for the whole company; 0 = not checked. */
        companyPerMinute: seconds(0, 10_000, 60),
      })
      .prefault({}),
    hold: z.strictObject({ enabled: z.boolean().default(true), minutes: seconds(1, 1440, 10) }).prefault({}),
    push: z
      .strictObject({
        enabled: z.boolean().default(false),
        url: httpUrl.nullable().default(null),
        events: z.strictObject({ agentMessage: z.boolean().default(true), conversationEnded: z.boolean().default(false) }).prefault({}),
      })
      .prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.push.enabled && !s.hold.enabled)
      ctx.addIssue({ code: 'custom', path: ['push', 'enabled'], ...custom('push_requires_hold', 'Message push needs conversation hold') });
    if (s.push.enabled && !s.push.url) ctx.addIssue({ code: 'custom', path: ['push', 'url'], ...custom('required', 'A push URL is required') });
  });

export type PolicySettings = z.output<typeof policySettingsSchema>;

/** A stored document re-read with the current schema; one that no longer parses falls back to the defaults. */
export function readPolicySettings(raw: unknown): PolicySettings {
  const r = policySettingsSchema.safeParse(typeof raw === 'object' && raw ? raw : {});
  return r.success ? r.data : policySettingsSchema.parse({});
}

/** The text in the visitor's language, else in the company's default visitor language, else the built-in one. */
export function textFor(entered: Partial<Record<Lang, string>>, builtIn: Record<Lang, string>, language: string | null, companyLanguage: string): string {
  const lang = visitorLang(language);
  return entered[lang] ?? entered[visitorLang(companyLanguage)] ?? builtIn[lang];
}

/** Browsers send tags like `en-US` or `zh-HK`; the visitor languages are five. */
export function visitorLang(tag: string | null | undefined): Lang {
  const t = (tag ?? '').toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(t)) return 'zh-TW';
  const base = t.split('-')[0];
  return base === 'en' || base === 'ja' || base === 'ko' ? base : 'zh-CN';
}
