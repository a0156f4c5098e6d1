import { hasCjk } from './text.ts';

/**
 * Related words of every entry (ROBOT-KEYWORDS-7), looked up from the message rather than
 * scanned per entry: a Chinese related word matches as a substring, a Latin one as whole
 * words (both normalised). Also answers which entries share related words (ROBOT-ANSWER-9).
 */
export class KeywordIndex {
  private cjk = new Map<string, number[]>();
  private cjkLengths = new Set<number>();
  private latin = new Map<string, number[]>();
  private maxLatinWords = 0;
  private byWord = new Map<string, number[]>();
  private words: string[][] = [];

  /** `keywords` normalised; `words` their analysed words (synonyms folded), for sharing. */
  add(entry: number, keywords: string[], words: string[]) {
    for (const k of new Set(keywords)) {
      if (hasCjk(k)) {
        push(this.cjk, k, entry);
        this.cjkLengths.add(k.length);
      } else {
        push(this.latin, k, entry);
        this.maxLatinWords = Math.max(this.maxLatinWords, k.split(' ').length);
      }
    }
    const unique = [...new Set(words)];
    this.words[entry] = unique;
    for (const w of unique) push(this.byWord, w, entry);
  }

  /** Entries with a related word in the normalised message. */
  find(normalized: string): Set<number> {
    const hits = new Set<number>();
    const found = (list: number[] | undefined) => list?.forEach((e) => hits.add(e));
    for (const len of this.cjkLengths) for (let i = 0; i + len <= normalized.length; i++) found(this.cjk.get(normalized.slice(i, i + len)));
    const w = normalized.split(' ');
    for (let n = 1; n <= this.maxLatinWords; n++) for (let i = 0; i + n <= w.length; i++) found(this.latin.get(w.slice(i, i + n).join(' ')));
    return hits;
  }

  /** Other entries sharing related words with `entry`, most shared first. */
  sharing(entry: number, allowed: (e: number) => boolean): number[] {
    const shared = new Map<number, number>();
    for (const w of this.words[entry] ?? []) for (const e of this.byWord.get(w) ?? []) if (e !== entry && allowed(e)) shared.set(e, (shared.get(e) ?? 0) + 1);
    return [...shared].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([e]) => e);
  }
}

function push(m: Map<string, number[]>, key: string, entry: number) {
  const list = m.get(key);
  if (list) list.push(entry);
  else m.set(key, [entry]);
}
