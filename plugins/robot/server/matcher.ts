import { Bm25Field } from './bm25.ts';
import { KeywordIndex } from './keyword-index.ts';
import { analyze, normalize, tokenize } from './text.ts';

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
  private keywords = new KeywordIndex();
  private language: string[];
  /** Per-query scratch: score per entry and the entries scored. */
  private score: Float64Array;
  private scored: number[] = [];
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
    this.language = entries.map((e) => e.language.toLowerCase());
    this.score = new Float64Array(entries.length);
    entries.forEach((e, i) => {
      this.byId.set(e.id, i);
      const keywords = e.keywords.map((k) => normalize(k)).filter(Boolean);
      const analysed = keywords.map((k) => this.analyze(k));
      this.keywords.add(
        i,
        keywords,
        analysed.flatMap((a) => a.words),
      );
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
      for (const a of analysed) {
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
    return this.keywords
      .sharing(me, this.allowed(opts.language))
      .slice(0, opts.limit ?? 5)
      .map((i) => ({ entryId: this.entries[i].id, question: this.entries[i].question }));
  }

  private allowed(language?: string | null): (i: number) => boolean {
    const lang = language?.toLowerCase();
    if (!lang) return () => true;
    const base = lang.split('-')[0];
    return (i) => {
      const l = this.language[i];
      return l === 'all' || l === lang || lang.startsWith(l) || l.startsWith(base);
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
    const score = this.score;
    const scored = this.scored;
    const add = (i: number, s: number) => {
      if (score[i] === 0) scored.push(i);
      score[i] += s;
    };
    const field = (weight: number) => (i: number, s: number) => add(i, (SCALE * weight * s) / FULL);
    // Latin-only text has no character field: the word fields stand for the whole.
    const wordScale = grams.length ? 1 : FULL / (PHRASING + ENTRY_WORDS);
    this.phrasings.confidences(words, allowed, field(PHRASING * wordScale));
    this.entryWords.coverage(words, allowed, field(ENTRY_WORDS * wordScale));
    this.answers.confidences(words, allowed, field(ANSWER * wordScale));
    if (grams.length) {
      this.phrasingGrams.confidences(grams, allowed, field(PHRASING_GRAMS));
      this.entryGrams.coverage(grams, allowed, field(ENTRY_GRAMS));
    }
    const hits = this.keywords.find(n);
    for (const i of hits) if (allowed(i)) add(i, KEYWORD_BOOST);
    const exact = this.exact.get(n);
    if (exact !== undefined && allowed(exact)) add(exact, EXACT - score[exact]);
    const min = opts.minConfidence ?? 0;
    const found = scored.filter((i) => score[i] >= min).map((i) => [i, score[i]] as const);
    for (const i of scored) score[i] = 0;
    scored.length = 0;
    return found
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
