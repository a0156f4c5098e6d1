/**
 * The emoji picker's data for both front ends (CONV-EMOJI-20): the Unicode set of the `emojibase-data` package in
 * categories, searched by the keywords of the reader's language and English. Each front end hands over the URLs its
 * bundler gave the data files, so the data is fetched only when a picker first opens. No zod, no DOM.
 */

/** The languages the data ships that the console and the widget use. */
export type EmojiDataLang = 'zh' | 'zh-hant' | 'en' | 'ja' | 'ko';
export const emojiDataLang = (lang: string): EmojiDataLang => {
  const l = lang.toLowerCase();
  if (l === 'zh-tw' || l === 'zh-hk' || l === 'zh-hant') return 'zh-hant';
  if (l.startsWith('zh')) return 'zh';
  if (l.startsWith('ja')) return 'ja';
  if (l.startsWith('ko')) return 'ko';
  return 'en';
};

/** emojibase groups in order, each shown by one of its emoji (group 2, skin-tone components, is left out). */
export const EMOJI_GROUPS: { group: number; icon: string }[] = [
  { group: 0, icon: '😀' },
  { group: 1, icon: '👋' },
  { group: 3, icon: '🐱' },
  { group: 4, icon: '🍎' },
  { group: 5, icon: '✈️' },
  { group: 6, icon: '⚽' },
  { group: 7, icon: '💡' },
  { group: 8, icon: '❤️' },
  { group: 9, icon: '🏁' },
];

export interface EmojiEntry {
  unicode: string;
  label: string;
  group: number;
  /** Lower-case words to search: the label and tags in the reader's language and in English. */
  keywords: string[];
}

interface CompactEmoji {
  hexcode: string;
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
}
/** emojibase-data's messages.json: the category names in that language. */
interface Messages {
  groups: { order: number; message: string }[];
}

export interface EmojiCatalog {
  entries: EmojiEntry[];
  /** Category names in the reader's language, by group number. */
  groupNames: Record<number, string>;
}

const fetchJson = async <T>(url: string): Promise<T> => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`emoji data ${r.status}`);
  return (await r.json()) as T;
};

/** Loads the catalogue once per language; `urls` maps a data language to its compact.json and messages.json. */
const loaded = new Map<EmojiDataLang, Promise<EmojiCatalog>>();
export function loadEmoji(lang: string, urls: (l: EmojiDataLang) => { data: string; messages: string }): Promise<EmojiCatalog> {
  const l = emojiDataLang(lang);
  let p = loaded.get(l);
  if (!p) {
    p = (async () => {
      const [own, english, messages] = await Promise.all([
        fetchJson<CompactEmoji[]>(urls(l).data),
        l === 'en' ? Promise.resolve(null) : fetchJson<CompactEmoji[]>(urls('en').data),
        fetchJson<Messages>(urls(l).messages),
      ]);
      const en = new Map((english ?? []).map((e) => [e.hexcode, e]));
      const entries = own
        .filter((e) => e.group !== undefined && e.group !== 2)
        .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
        .map((e) => {
          const other = en.get(e.hexcode);
          const words = [e.label, ...(e.tags ?? []), ...(other ? [other.label, ...(other.tags ?? [])] : [])];
          return { unicode: e.unicode, label: e.label, group: e.group!, keywords: words.map((w) => w.toLowerCase()) };
        });
      return { entries, groupNames: Object.fromEntries(messages.groups.map((g) => [g.order, g.message])) };
    })();
    p.catch(() => loaded.delete(l));
    loaded.set(l, p);
  }
  return p;
}

/** Emoji whose keywords contain the query, best first: a keyword starting with it before one containing it. */
export function searchEmoji(entries: EmojiEntry[], query: string, limit = 120): EmojiEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const starts: EmojiEntry[] = [];
  const contains: EmojiEntry[] = [];
  for (const e of entries) {
    if (e.keywords.some((k) => k.startsWith(q))) starts.push(e);
    else if (e.keywords.some((k) => k.includes(q))) contains.push(e);
  }
  return [...starts, ...contains].slice(0, limit);
}

/** The recently used row (24, newest first). */
export const RECENT_EMOJI = 24;
export const rememberEmoji = (recent: readonly string[], emoji: string): string[] => [emoji, ...recent.filter((e) => e !== emoji)].slice(0, RECENT_EMOJI);
