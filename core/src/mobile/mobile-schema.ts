import { z } from 'zod';
import { LANGS, type Lang } from '../settings/widget-defaults.ts';
import { perLang } from '../icons/icon-schemas.ts';
import { textOn } from '../settings/contrast.ts';

/** MOBILE-ICON-2: the default guide text beside the mobile icon. */
export const MOBILE_GUIDE: Record<Lang, string> = { 'zh-CN': '咨询', 'zh-TW': '諮詢', en: 'Chat', ja: 'チャット', ko: '상담' };

const text = (max: number, min = 0) => z.string().trim().min(min).max(max);
const offset = z.number().int().min(0).max(200).default(16);

const STANDARD_TEXTS = ['welcome', 'closing', 'busy', 'waiting', 'warning', 'offline'] as const;

/**
 * 手机对话窗口 (SPEC MOBILE §7.1.5), a `service_sections` document. Window
 * values left `null`, and texts left out or empty, inherit the desktop settings.
 */
export const mobileSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  icon: z
    .strictObject({
      hidden: z.boolean().default(false),
      style: z.enum(['round', 'bar']).default('round'),
      position: z.enum(['bottom-right', 'bottom-left', 'middle-right', 'middle-left']).default('bottom-right'),
      size: z.number().int().min(40).max(80).default(56),
      offsetX: offset,
      offsetY: offset,
      guide: perLang(text(20)),
    })
    .prefault({}),
  window: z
    .strictObject({
      openMode: z.enum(['overlay', 'page']).default('overlay'),
      title: perLang(text(30)),
      /** The standard texts (WINDOW-TEXT-1) per language. */
      texts: perLang(
        z
          .strictObject(Object.fromEntries(STANDARD_TEXTS.map((k) => [k, text(500)])) as Record<(typeof STANDARD_TEXTS)[number], ReturnType<typeof text>>)
          .partial(),
      ),
      themeColor: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #1677ff')
        .nullable()
        .default(null),
      toolbar: z.strictObject({ emoji: z.boolean(), image: z.boolean(), file: z.boolean(), rating: z.boolean() }).nullable().default(null),
    })
    .prefault({}),
});
export type MobileSettings = z.output<typeof mobileSettingsSchema>;

/** What the widget gets on phones (MOBILE-SWITCH-1): the overrides resolved over the desktop values. */
export function publicMobile(
  m: MobileSettings,
  desktop: { texts: Record<Lang, Record<string, string | undefined>>; style: { themeColor: string }; toolbar: Record<string, boolean> },
) {
  if (!m.enabled) return null;
  return {
    // In the loader's terms (widget/src/loader/ui.ts Look), so phones cost it a few bytes only.
    icon: {
      hidden: m.icon.hidden,
      type: m.icon.style === 'bar' ? 'text' : 'float',
      left: m.icon.position.endsWith('left'),
      mid: m.icon.position.startsWith('middle'),
      size: m.icon.size,
      marginX: m.icon.offsetX,
      marginY: m.icon.offsetY,
      color: m.window.themeColor ?? desktop.style.themeColor,
      text: textOn(m.window.themeColor ?? desktop.style.themeColor),
      // The guide text shows on the bar; the round bubble has no room for it.
      guide: m.icon.style === 'bar' ? Object.fromEntries(LANGS.map((l) => [l, m.icon.guide[l] || MOBILE_GUIDE[l]])) : {},
    },
    openMode: m.window.openMode,
    texts: Object.fromEntries(
      LANGS.map((l) => {
        const own = Object.entries({ ...m.window.texts[l], title: m.window.title[l] }).filter(([, v]) => v);
        return [l, { ...desktop.texts[l], ...Object.fromEntries(own) }];
      }),
    ),
    themeColor: m.window.themeColor ?? desktop.style.themeColor,
    themeText: textOn(m.window.themeColor ?? desktop.style.themeColor),
    toolbar: { ...desktop.toolbar, ...(m.window.toolbar ?? {}) },
  };
}
