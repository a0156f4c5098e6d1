import { Bm25Field } from './bm25.ts';
import { analyze, containsKeyword, normalize, tokenize } from './text.ts';

/** What the index needs of an entry. */
export interface IndexEntry {
  id: number;
  question: string;
  phrasings: string[];
  keywords: string[];
  /** Answer text (HTML allowed); a weak extra field. */
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

/**
 * Field weights. The closest single phrasing leads; the entry's whole vocabulary (all its
 * phrasings and related words) and the Chinese character field back it up, since visitors
 * mix words from several phrasings and segmentation differs between short texts.
 */
const PHRASING = 1;
const ENTRY_WORDS = 0.7;
const ENTRY_GRAMS = 0.7;
const PHRASING_GRAMS = 0.3;
const FULL = PHRASING + ENTRY_WORDS + ENTRY_GRAMS + PHRASING_GRAMS;
/** The answer text only adds evidence: not part of FULL, so an answer-free entry can still reach 1. */
const ANSWER = 0.2;
const KEYWORD_BOOST = 0.1;
/**
 * Field sums are scaled so the default thresholds (direct 0.8, list 0.4) keep their meaning:
 * on the shipped question sets a sum of 0.7 already meant the right entry nearly always.
 */
const SCALE = 8 / 7;
/** Ranks an exact normalised match above anything the fields can add up to. */
const EXACT = 2;

/**
 * The in-memory matcher of one company (ROBOT-MATCH-8): BM25 per question and phrasing (an
 * entry scores as its best one) plus the entry's whole vocabulary, in words (jieba, synonyms
 * folded to one token) and in Chinese characters and bigrams; the answer as a weak field;
 * related words as a boost; an exact normalised match scores 1.0. Confidence is the weighted
 * sum relative to what a message with the entry's own words would get.
 */
export class KbIndex {
  private phrasings = new Bm25Field();
  private phrasingGrams = new Bm25Field();
  private entryWords = new Bm25Field();
  private entryGrams = new Bm25Field();
  private answers = new Bm25Field();
  private exact = new Map<string, number>();
  private keywords: string[][] = [];
  /** Entries by the words of their related words, for the related-questions card. */
  private byKeywordWord = new Map<string, number[]>();
  private keywordWords: string[][] = [];
  private byId = new Map<number, number>();
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
      this.byId.set(e.id, i);
      const keywords = e.keywords.map((k) => normalize(k)).filter(Boolean);
      this.keywords.push(keywords);
      const kw = [...new Set(keywords.flatMap((k) => this.analyze(k).words))];
      this.keywordWords.push(kw);
      for (const w of kw) {
        let list = this.byKeywordWord.get(w);
        if (!list) this.byKeywordWord.set(w, (list = []));
        list.push(i);
      }
      const words: string[] = [];
      const grams: string[] = [];
      for (const text of [e.question, ...e.phrasings]) {
        const n = normalize(text);
        if (!n) continue;
        if (!this.exact.has(n)) this.exact.set(n, i);
        const { words: w, grams: g } = this.analyze(n);
        this.phrasings.add(i, w);
        if (g.length) this.phrasingGrams.add(i, g);
        words.push(...w);
        grams.push(...g);
      }
      for (const k of keywords) {
        const a = this.analyze(k);
        words.push(...a.words);
        grams.push(...a.grams);
      }
      this.entryWords.add(i, words);
      this.entryGrams.add(i, grams);
      const a = e.answer ? normalize(e.answer.replace(/<[^>]*>/g, ' ')) : '';
      if (a) this.answers.add(i, this.analyze(a).words);
    });
    for (const f of [this.phrasings, this.phrasingGrams, this.entryWords, this.entryGrams, this.answers]) f.finish();
    this.size = entries.length;
  }

  /** Entries sharing related words with the given one, most shared first (ROBOT-ANSWER-9). */
  sharingKeywords(entryId: number, opts: { language?: string | null; limit?: number } = {}): { entryId: number; question: string }[] {
    const me = this.byId.get(entryId);
    if (me === undefined) return [];
    const allowed = this.allowed(opts.language);
    const shared = new Map<number, number>();
    for (const w of this.keywordWords[me]) for (const i of this.byKeywordWord.get(w) ?? []) if (i !== me && allowed(i)) shared.set(i, (shared.get(i) ?? 0) + 1);
    return [...shared]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, opts.limit ?? 5)
      .map(([i]) => ({ entryId: this.entries[i].id, question: this.entries[i].question }));
  }

  private allowed(language?: string | null) {
    const lang = language?.toLowerCase() ?? null;
    return (i: number) => {
      const l = this.entries[i].language.toLowerCase();
      return l === 'all' || !lang || l === lang || lang.startsWith(l) || l.startsWith(lang.split('-')[0]);
    };
  }

  /** Words with synonyms folded to their group's token, and character grams. */
  private analyze(normalized: string) {
    const a = analyze(normalized);
    return { words: a.words.map((t) => this.canon.get(t) ?? t), grams: a.grams };
  }

  /** Best entries first; `language` limits to entries of that language or `all`. */
  search(text: string, opts: { language?: string | null; limit?: number; minConfidence?: number } = {}): Match[] {
    const n = normalize(text);
    if (!n) return [];
    const allowed = this.allowed(opts.language);
    const { words, grams } = this.analyze(n);
    const score = new Map<number, number>();
    const add = (found: Map<number, number>, weight: number) => {
      for (const [i, s] of found) score.set(i, (score.get(i) ?? 0) + (SCALE * weight * s) / FULL);
    };
    add(this.phrasings.confidences(words, allowed), PHRASING);
    add(this.entryWords.coverage(words, allowed), ENTRY_WORDS);
    add(this.answers.confidences(words, allowed), ANSWER);
    if (grams.length) {
      add(this.phrasingGrams.confidences(grams, allowed), PHRASING_GRAMS);
      add(this.entryGrams.coverage(grams, allowed), ENTRY_GRAMS);
    } else {
      // Latin-only text has no character field: the word fields stand for the whole.
      for (const [i, s] of score) score.set(i, (s * FULL) / (PHRASING + ENTRY_WORDS));
    }
    const hits = new Set<number>();
    this.keywords.forEach((kws, i) => {
      if (kws.length && allowed(i) && kws.some((k) => containsKeyword(n, k))) hits.add(i);
    });
    for (const i of hits) score.set(i, (score.get(i) ?? 0) + KEYWORD_BOOST);
    const exact = this.exact.get(n);
    if (exact !== undefined && allowed(exact)) score.set(exact, EXACT);
    return [...score]
      .filter(([, c]) => c >= (opts.minConfidence ?? 0))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, opts.limit ?? 5)
      .map(([i, c]) => ({
        entryId: this.entries[i].id,
        question: this.entries[i].question,
        confidence: Math.round(Math.min(1, c) * 1000) / 1000,
        keywordHit: hits.has(i),
      }));
  }
}
