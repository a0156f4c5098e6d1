import { z } from 'zod';
import { visitorConditions } from '../policies/visitor-conditions.ts';
import { INVITE_MODES, INVITE_TEMPLATES, INVITE_TEXTS, LANGS, type Lang, LEAVE_TEXTS, PRECHAT_WELCOME, WINDOW_TEXTS } from './widget-defaults.ts';
import { LEAVE_FIELDS, PRECHAT_FIELDS, type LeaveField, type PrechatField } from './widget-forms.ts';

export { LEAVE_FIELDS, PRECHAT_FIELDS, type LeaveField, type PrechatField };

/**
 * Chat window settings of a company (SPEC WINDOW §7.1.2, PRECHAT §7.3, LEAVESET §7.2):
 * one JSON document in `widget_settings.settings`; missing keys take the defaults,
 * so an empty object is a valid document.
 */
const text = (max: number, min = 0) => z.string().trim().min(min).max(max);
const custom = (code: string, message: string) => ({ message, params: { code } });

/** A value per visitor language; other language keys answer `unknown_language`, missing ones keep the defaults. */
function perLang<S extends z.ZodType>(item: S, defaults: Record<Lang, z.output<S>>) {
  return z
    .record(z.string(), item)
    .superRefine((v, ctx) => {
      for (const key of Object.keys(v))
        if (!(LANGS as readonly string[]).includes(key))
          ctx.addIssue({ code: 'custom', path: [key], message: `Unknown language ${key}; one of ${LANGS.join(', ')}`, params: { code: 'unknown_language' } });
    })
    .prefault({})
    .transform(
      (v) =>
        Object.fromEntries(
          LANGS.map((l) => [l, typeof defaults[l] === 'object' ? { ...(defaults[l] as object), ...((v[l] as object) ?? {}) } : (v[l] ?? defaults[l])]),
        ) as Record<Lang, z.output<S>>,
    );
}

export const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
};
export const httpUrl = z.string().trim().max(2048).refine(isHttpUrl, custom('invalid_url', 'Not an http(s) URL'));

const field = (shown: boolean, required = false) => z.strictObject({ shown: z.boolean().default(shown), required: z.boolean().default(required) }).prefault({});

const PRECHAT_SHOWN: PrechatField[] = ['name', 'questionType', 'email', 'phone', 'mobile', 'company', 'title'];

export const CONTACT_FIELDS: LeaveField[] = ['mobile', 'phone', 'email', 'qq'];

const windowTexts = z
  .strictObject({
    title: text(30, 1),
    guide: text(30, 1),
    welcome: text(500),
    closing: text(500),
    busy: text(500),
    waiting: text(500),
    warning: text(500),
    offline: text(500),
  })
  .partial();

const questionType = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'Letters, digits, _ and - (1–32)'),
  /** Label per language; languages left out show the first label given. */
  label: z.record(z.string(), text(20, 1)).superRefine((v, ctx) => {
    if (!Object.keys(v).length) ctx.addIssue({ code: 'custom', path: [], ...custom('required', 'At least one label') });
    for (const key of Object.keys(v))
      if (!(LANGS as readonly string[]).includes(key)) ctx.addIssue({ code: 'custom', path: [key], ...custom('unknown_language', `Unknown language ${key}`) });
  }),
  groupId: z.number().int().positive().nullable().default(null),
  order: z.number().int().min(0).max(1000).default(0),
});

const prechat = z
  .strictObject({
    enabled: z.boolean().default(false),
    welcome: perLang(text(300), PRECHAT_WELCOME),
    fields: z
      .strictObject(
        Object.fromEntries(PRECHAT_FIELDS.map((f) => [f, field(PRECHAT_SHOWN.includes(f), f === 'name' || f === 'mobile')])) as Record<
          PrechatField,
          ReturnType<typeof field>
        >,
      )
      .prefault({}),
    questionTypes: z.array(questionType).max(20).default([]),
  })
  .prefault({})
  .superRefine((p, ctx) => {
    for (const f of PRECHAT_FIELDS)
      if (p.fields[f].required && !p.fields[f].shown)
        ctx.addIssue({ code: 'custom', path: ['fields', f, 'required'], ...custom('required_field_hidden', 'A required item must be shown') });
    if (!PRECHAT_FIELDS.some((f) => p.fields[f].shown))
      ctx.addIssue({ code: 'custom', path: ['fields'], ...custom('fields_required', 'Show at least one item') });
    if (p.enabled && p.fields.questionType.shown && p.questionTypes.length === 0)
      ctx.addIssue({ code: 'custom', path: ['questionTypes'], ...custom('question_types_required', 'Define question types or hide the item') });
    const seen = new Set<string>();
    p.questionTypes.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questionTypes', i, 'id'], ...custom('duplicate', `Duplicate id ${q.id}`) });
      seen.add(q.id);
    });
  });

const leaveMessage = z
  .strictObject({
    enabled: z.boolean().default(true),
    externalUrl: httpUrl.nullable().default(null),
    texts: perLang(z.strictObject({ title: text(30, 1), intro: text(500), thanks: text(200) }).partial(), LEAVE_TEXTS),
    fields: z
      .strictObject(
        Object.fromEntries(LEAVE_FIELDS.map((f) => [f, field(['name', 'mobile', 'email'].includes(f))])) as Record<LeaveField, ReturnType<typeof field>>,
      )
      .prefault({}),
    requireContact: z.boolean().default(true),
    types: z.array(text(20, 1)).min(1).max(20).default(['咨询', '售后', '投诉', '建议', '其他']),
  })
  .prefault({})
  .superRefine((m, ctx) => {
    for (const f of LEAVE_FIELDS)
      if (m.fields[f].required && !m.fields[f].shown)
        ctx.addIssue({ code: 'custom', path: ['fields', f, 'required'], ...custom('required_field_hidden', 'A required item must be shown') });
    if (m.requireContact && !CONTACT_FIELDS.some((f) => m.fields[f].shown))
      ctx.addIssue({ code: 'custom', path: ['fields'], ...custom('contact_field_required', 'Show at least one of mobile, phone, email, QQ') });
  });

const NO_ALT = Object.fromEntries(LANGS.map((l) => [l, ''])) as Record<Lang, string>;

/** An uploaded image's random key (STYLE-UPLOAD-5); the service checks it belongs to the company and is of the field's kind. */
const imageKey = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'An uploaded image key');

/** WINDOW-AD-3: one uploaded image in the desktop window's right column, off by default. */
const ad = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** A `style_images` key of kind ad. */
    image: imageKey.nullable().default(null),
    link: httpUrl.nullable().default(null),
    alt: perLang(text(100), NO_ALT),
  })
  .prefault({})
  .superRefine((a, ctx) => {
    if (a.enabled && !a.image) ctx.addIssue({ code: 'custom', path: ['image'], ...custom('required', 'Upload the image first') });
  });

/** WINDOW-BRAND-6: `#RRGGBB`, else `invalid_color`. */
const colour = z.string().refine((v) => /^#[0-9a-fA-F]{6}$/.test(v), custom('invalid_color', 'A colour like #1677ff'));
const inviteTexts = z.strictObject({ title: text(30, 1), text: text(200, 1), accept: text(10, 1), decline: text(10, 1) }).partial();
const NO_TEXTS = Object.fromEntries(LANGS.map((l) => [l, {}])) as Record<Lang, z.output<typeof inviteTexts>>;

/** INVITE-STRATEGY-4: one rule; its texts override the company's per language. */
export const inviteStrategy = z.strictObject({
  name: text(30).default(''),
  conditions: visitorConditions.prefault({}),
  texts: perLang(inviteTexts, NO_TEXTS),
});
/** Turning automatic invitation on with no rule creates "time on site ≥ 15 s". */
const ruleAfter = (seconds: number) => inviteStrategy.parse({ conditions: { minSeconds: seconds } });

/**
 * The invitation window (SPEC §7.1.4): INVITE-SWITCH-1 `enabled`, INVITE-POPUP-2
 * mode/count/interval/display, INVITE-AUTO-3 `auto` with INVITE-STRATEGY-4 `strategies`,
 * INVITE-TEXT-5 `texts`, INVITE-STYLE-6 `style`. The former `delaySeconds` is still
 * accepted and becomes the rule "time on site ≥ delaySeconds" when no rule is given.
 */
const invite = z
  .strictObject({
    enabled: z.boolean().default(true),
    mode: z.enum(INVITE_MODES).default('center'),
    maxPerVisit: z.number().int().min(1).max(10).default(3),
    intervalSeconds: z.number().int().min(10).max(3600).default(60),
    displaySeconds: z.number().int().min(0).max(300).default(20),
    auto: z.boolean().default(false),
    /** @deprecated read once into `strategies` */
    delaySeconds: z.number().int().min(0).max(3600).optional(),
    strategies: z.array(inviteStrategy).max(20).default([]),
    texts: perLang(inviteTexts, INVITE_TEXTS),
    style: z
      .strictObject({
        template: z.enum(INVITE_TEMPLATES).default('simple'),
        width: z.number().int().min(200).max(600).default(360),
        height: z.number().int().min(100).max(400).default(200),
        /** Custom colours; null follows the theme colour. */
        titleColor: colour.nullable().default(null),
        textColor: colour.nullable().default(null),
        buttonColor: colour.nullable().default(null),
        buttonTextColor: colour.nullable().default(null),
        showClose: z.boolean().default(true),
        /** The custom template's background: a `style_images` key of kind invite (≤ 300 KB), covering the box. */
        image: imageKey.nullable().default(null),
      })
      .prefault({}),
  })
  .prefault({})
  .transform(({ delaySeconds, ...i }) =>
    i.strategies.length || (!i.auto && delaySeconds === undefined) ? i : { ...i, strategies: [ruleAfter(delaySeconds ?? 15)] },
  );
export type InviteSettings = z.output<typeof invite>;

export const widgetSettingsSchema = z.strictObject({
  texts: perLang(windowTexts, WINDOW_TEXTS),
  style: z
    .strictObject({
      themeColor: colour.default('#1677ff'),
      position: z.enum(['bottom-right', 'bottom-left', 'middle-right', 'middle-left']).default('bottom-right'),
      marginX: z.number().int().min(0).max(500).default(20),
      marginY: z.number().int().min(0).max(500).default(20),
      width: z.number().int().min(300).max(1000).default(380),
      height: z.number().int().min(400).max(1000).default(560),
      /** WINDOW-OPEN-7: 内页窗口 in the page, or 新窗口 a separate browser window of this size. */
      openMode: z.enum(['inpage', 'window']).default('inpage'),
      windowWidth: z.number().int().min(600).max(1200).default(800),
      windowHeight: z.number().int().min(450).max(900).default(600),
      /** WINDOW-INPAGE-8 对话窗口语种: the visitor's browser language, or always this one (a page's `data-lang` still wins). */
      language: z.enum(['auto', ...LANGS]).default('auto'),
      /** WINDOW-BRAND-6: a `style_images` key of kind logo. */
      logo: imageKey.nullable().default(null),
    })
    .prefault({}),
  toolbar: z
    .strictObject({
      emoji: z.boolean().default(true),
      image: z.boolean().default(true),
      file: z.boolean().default(true),
      screenshot: z.boolean().default(true),
      rating: z.boolean().default(true),
      sound: z.boolean().default(true),
      saveTranscript: z.boolean().default(true),
      emailTranscript: z.boolean().default(false),
      fontSize: z.boolean().default(false),
    })
    .prefault({}),
  /** The loader's chat icon (ICON-TYPES-3, ICON-STATE-7); 文本 text icons use the widget's texts per language. */
  icon: z.strictObject({ type: z.enum(['float', 'fixed', 'text']).default('float') }).prefault({}),
  invite,
  prechat,
  leaveMessage,
  ad,
});

export type WidgetSettings = z.output<typeof widgetSettingsSchema>;
export const defaultWidgetSettings = (): WidgetSettings => widgetSettingsSchema.parse({});

/** Stored documents are re-read with the current schema; one that no longer parses falls back key by key to the defaults. */
export function readWidgetSettings(raw: unknown): WidgetSettings {
  const obj = (typeof raw === 'object' && raw ? raw : {}) as Record<string, unknown>;
  const r = widgetSettingsSchema.safeParse(obj);
  if (r.success) return r.data;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (widgetSettingsSchema.safeParse({ ...out, [k]: v }).success) out[k] = v;
  return widgetSettingsSchema.parse(out);
}
