/** The console languages (SPEC LOGIN-FORM-1), the browser default and the remembered choice. */
export const LOCALES = ['zh-CN', 'zh-TW', 'en', 'ja', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language named in itself, as a language switch should show it. */
export const LOCALE_NAMES: Record<Locale, string> = {
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  en: 'English',
  ja: '日本語',
  ko: '한국어',
};

const STORAGE_KEY = 'kefu.locale';

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/** Maps a BCP 47 tag from the browser to a console language, or null when none fits. */
export function matchLocale(tag: string): Locale | null {
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) {
    return /^zh-(tw|hk|mo|hant)/.test(lower) ? 'zh-TW' : 'zh-CN';
  }
  if (lower.startsWith('ja')) return 'ja';
  if (lower.startsWith('ko')) return 'ko';
  if (lower.startsWith('en')) return 'en';
  return null;
}

function readStored(): Locale | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null; // storage blocked (private mode, policy)
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; the choice still applies to this page.
  }
}

export function initialLocale(): Locale {
  const stored = readStored();
  if (stored) return stored;
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const match = tag && matchLocale(tag);
    if (match) return match;
  }
  return 'en';
}

/** A server `{"zh-CN", en}` text in the console language: zh-TW reads zh-CN, ja and ko read en. */
export function pickText(text: { 'zh-CN': string; en: string } & Partial<Record<Locale, string>>, locale: string): string {
  const own = text[locale as Locale];
  if (own) return own;
  return locale.startsWith('zh') ? text['zh-CN'] || text.en : text.en || text['zh-CN'];
}
