import { Bm25Field } from './bm25.ts';
import { cjkBigrams, containsKeyword, normalize, tokenize } from './text.ts';

/** What the index needs of an entry. */
export interface IndexEntry {
  id: number;
  question: string;
  phrasings: string[];
  keywords: string[];
  /** Answer text (HTML allowed); a weak second field. */
  answer?: string;
  language: string;
  categoryId: number | null;
}

export interface Match {
  entryId: number;
  question: string;
  confidence: number;
  /** Related words of the entry found in the message (ROBOT-KEYWORDS-7). */
  keywordHit: boolean;
}

const KEYWORD_BOOST = 0.15;
const ANSWER_WEIGHT = 0.3;
const BIGRAM_WEIGHT = 0.3;

/**
 * The in-memory matcher of one company (ROBOT-MATCH-8): BM25 over every question and
 * phrasing (an entry scores as its best one), the answer as a weak second field,
 * synonyms folded to one token, related words as a confidence boost, and an exact
 * normalised match scoring 1.0.
 */
export class KbIndex {
  private questions = new Bm25Field();
  private answers = new Bm25Field();
  private bigrams = new Bm25Field();
  private exact = new Map<string, number>();
  private keywords: string[][] = [];
  private canon = new Map<string, string>();
  readonly size: number;

  constructor(
    private readonly entries: IndexEntry[],
    synonyms: string[][] = [],
  ) {
    for (const group of synonyms) {
      const words = group.map((w) => normalize(w)).filter(Boolean);
      const head = tokenize(words[0]).join('');
      for (const w of words) {
        this.canon.set(w, head);
        const toks = tokenize(w);
        if (toks.length === 1) this.canon.set(toks[0], head);
      }
    }
    entries.forEach((e, i) => {
      this.keywords.push(e.keywords.map((k) => normalize(k)).filter(Boolean));
      for (const text of [e.question, ...e.phrasings]) {
        const n = normalize(text);
        if (!n) continue;
        if (!this.exact.has(n)) this.exact.set(n, i);
        this.questions.add(i, this.tokens(n));
        const bg = cjkBigrams(n);
        if (bg.length) this.bigrams.add(i, bg);
      }
      const a = e.answer ? normalize(e.answer.replace(/<[^>]*>/g, ' ')) : '';
      if (a) this.answers.add(i, this.tokens(a));
    });
    this.questions.finish();
    this.answers.finish();
    this.bigrams.finish();
    this.size = entries.length;
  }

  tokens(normalized: string): string[] {
    return tokenize(normalized).map((t) => this.canon.get(t) ?? t);
  }

  /** Best entries first; `language` limits to entries of that language or `all`. */
  search(text: string, opts: { language?: string | null; limit?: number; minConfidence?: number } = {}): Match[] {
    const n = normalize(text);
    if (!n) return [];
    const lang = opts.language?.toLowerCase() ?? null;
    const allowed = (i: number) => {
      const l = this.entries[i].language.toLowerCase();
      return l === 'all' || !lang || l === lang || lang.startsWith(l) || l.startsWith(lang.split('-')[0]);
    };
    const q = this.tokens(n);
    const best = this.questions.confidences(q, allowed);
    for (const [i, a] of this.answers.confidences(q, allowed)) {
      const c = best.get(i) ?? 0;
      best.set(i, c + ANSWER_WEIGHT * a * (1 - c));
    }
    const bg = cjkBigrams(n);
    if (bg.length)
      for (const [i, a] of this.bigrams.confidences(bg, allowed)) {
        const c = best.get(i) ?? 0;
        best.set(i, c + BIGRAM_WEIGHT * a * (1 - c));
      }
    const exact = this.exact.get(n);
    if (exact !== undefined && allowed(exact)) best.set(exact, 1);
    const hits = new Set<number>();
    this.keywords.forEach((kws, i) => {
      if (kws.length && allowed(i) && kws.some((k) => containsKeyword(n, k))) hits.add(i);
    });
    for (const i of hits) best.set(i, Math.min(1, (best.get(i) ?? 0) + KEYWORD_BOOST));
    return [...best]
      .filter(([, c]) => c >= (opts.minConfidence ?? 0))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, opts.limit ?? 5)
      .map(([i, c]) => ({ entryId: this.entries[i].id, question: this.entries[i].question, confidence: Math.round(c * 1000) / 1000, keywordHit: hits.has(i) }));
  }
}
