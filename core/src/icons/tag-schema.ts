import { z } from 'zod';
import { perLang } from './icon-schemas.ts';

/** Custom tags (SPEC TAG-LIST-1): quick questions shown above the visitor's input. */
export const TAG_LIMIT = 10;
const text = (max: number, min = 0) => z.string().trim().min(min).max(max);

const tag = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'Letters, digits, _ and - (1–32)'),
  label: perLang(text(12, 1)),
  /** Empty languages send the label. */
  text: perLang(text(200, 1)),
  target: z.enum(['robot', 'agent']).default('agent'),
  enabled: z.boolean().default(true),
});

export const tagSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    // Array order is the display order (TAG-SCREEN-4 drags rows).
    tags: z.array(tag).default([]),
  })
  .superRefine((s, ctx) => {
    const issue = (path: (string | number)[], code: string, message: string) => ctx.addIssue({ code: 'custom', path, message, params: { code } });
    if (s.tags.length > TAG_LIMIT) issue(['tags'], 'tag_limit', `At most ${TAG_LIMIT} tags`);
    if (s.enabled && !s.tags.some((t) => t.enabled)) issue(['tags'], 'tags_required', 'Enable at least one tag to turn custom tags on');
    const seen = new Set<string>();
    s.tags.forEach((t, i) => {
      if (!Object.keys(t.label).length) issue(['tags', i, 'label'], 'required', 'A label in at least one language');
      if (seen.has(t.id)) issue(['tags', i, 'id'], 'duplicate', `Duplicate id ${t.id}`);
      seen.add(t.id);
    });
  });
export type TagSettings = z.output<typeof tagSettingsSchema>;

/** What the widget gets: enabled tags, the sent text defaulting to the label per language. */
export const publicTags = (s: TagSettings) =>
  s.enabled ? s.tags.filter((t) => t.enabled).map((t) => ({ id: t.id, label: t.label, text: { ...t.label, ...t.text }, target: t.target })) : [];
