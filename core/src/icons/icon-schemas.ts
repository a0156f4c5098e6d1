import { z } from 'zod';
import { LANGS } from '../settings/widget-defaults.ts';

/** Chat icons (SPEC ICON §7.1.1): what the console sends and gets back. */
export const ICON_TYPES = ['float', 'fixed', 'text', 'group', 'email'] as const;
export const ICON_POSITIONS = ['bottom-right', 'middle-right', 'bottom-left', 'middle-left'] as const;
export const ICON_LIMIT = 50;

const text = (max: number, min = 0) => z.string().trim().min(min).max(max);
/** One value per visitor language; languages left out fall back to the defaults when shown. */
export const perLang = <S extends z.ZodType>(item: S) => z.partialRecord(z.enum(LANGS), item).default({});
const id = z.number().int().positive();

export const bindingSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('agent'), agentId: id }),
    z.strictObject({ kind: z.literal('group'), groupId: id }),
  ])
  .default({ kind: 'none' });

/** An uploaded image's key (StyleImageService, kind `icon`). */
const imageKey = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'An uploaded image key');
/**
 * ICON-IMAGE-4: a built-in style, or uploaded images — online and offline
 * together, busy optional (the online one when absent).
 */
export const iconImage = z
  .discriminatedUnion('source', [
    z.strictObject({ source: z.literal('builtin') }),
    z.strictObject({ source: z.literal('custom'), online: imageKey, offline: imageKey, busy: imageKey.nullable().default(null) }),
  ])
  .default({ source: 'builtin' });
export const ICON_STYLES = 8;

const entry = z.strictObject({ kind: z.enum(['agent', 'group']), id, name: perLang(text(30, 1)) });

export const iconBody = z
  .strictObject({
    name: text(30, 1),
    type: z.enum(ICON_TYPES),
    language: z.enum(['auto', ...LANGS]).default('auto'),
    binding: bindingSchema,
    /** ICON-TYPES-3 floating icons: corner and offsets from it. */
    float: z
      .strictObject({
        position: z.enum(ICON_POSITIONS).default('bottom-right'),
        offsetX: z.number().int().min(0).max(500).default(20),
        offsetY: z.number().int().min(0).max(500).default(20),
      })
      .prefault({}),
    /** ICON-TYPES-3 text icons; empty languages show the built-in texts. */
    text: z.strictObject({ online: perLang(text(30, 1)), offline: perLang(text(30, 1)) }).prefault({}),
    /** ICON-IMAGE-4 built-in look, drawn in the theme colour. */
    style: z.number().int().min(1).max(ICON_STYLES).default(1),
    image: iconImage,
    /** ICON-IMAGE-4 the image's text for screen readers, per language; empty languages use the icon's words. */
    alt: perLang(text(100, 1)),
    /** ICON-GROUP-6 entries of a group icon, in display order. */
    entries: z.array(entry).max(20).default([]),
  })
  .superRefine((b, ctx) => {
    if (b.type === 'group' && !b.entries.length)
      ctx.addIssue({ code: 'custom', path: ['entries'], message: 'A group icon lists 1–20 entries', params: { code: 'entries_required' } });
  });
export type IconBody = z.output<typeof iconBody>;

export const iconView = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  type: z.enum(ICON_TYPES),
  language: z.string(),
  binding: z.union([
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('agent'), agentId: z.number() }),
    z.object({ kind: z.literal('group'), groupId: z.number() }),
  ]),
  bindingRemovedAt: z.string().nullable(),
  float: z.object({ position: z.enum(ICON_POSITIONS), offsetX: z.number(), offsetY: z.number() }),
  text: z.object({ online: z.record(z.string(), z.string()), offline: z.record(z.string(), z.string()) }),
  style: z.number(),
  image: z.union([
    z.object({ source: z.literal('builtin') }),
    z.object({ source: z.literal('custom'), online: z.string(), offline: z.string(), busy: z.string().nullable() }),
  ]),
  alt: z.record(z.string(), z.string()),
  entries: z.array(z.object({ kind: z.enum(['agent', 'group']), id: z.number(), name: z.record(z.string(), z.string()) })),
  /** ICON-CODE-2: the loader snippet (功能代码) and the plain link (图标代码). */
  code: z.object({ function: z.string(), icon: z.string(), link: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IconView = z.output<typeof iconView>;
