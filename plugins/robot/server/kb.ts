import { KbIndex, type Match } from './matcher.ts';
import type { EntryRow, RobotStore, Settings } from './store.ts';
import { addWords } from './text.ts';

/** What the robot would do with a message (ROBOT-ANSWER-9 / RELATED-10 / FALLBACK-11). */
export type Decision =
  | { type: 'answer'; entry: EntryRow; confidence: number; candidates: Match[] }
  | { type: 'related'; candidates: Match[] }
  | { type: 'fallback'; candidates: Match[] };

interface Cached {
  version: number;
  checkedAt: number;
  index: KbIndex;
  entries: Map<number, EntryRow>;
}

/** Versions are re-read at most this often, so a change on another node shows within 5 s. */
const RECHECK_MS = 3000;

/**
 * One in-memory index per company, built lazily on first use and rebuilt when the
 * company's kb_version moves; while a rebuild runs, the old index keeps answering.
 */
export class KnowledgeBase {
  private cache = new Map<number, Cached>();
  private building = new Map<number, Promise<Cached>>();

  constructor(private readonly store: RobotStore) {}

  /** A change on this node: rebuild now (others follow through kb_version). */
  async changed(companyId: number) {
    await this.store.bump(companyId);
    const old = this.cache.get(companyId);
    if (old) old.checkedAt = 0;
    await this.get(companyId);
  }

  forget(companyId: number) {
    this.cache.delete(companyId);
  }

  async get(companyId: number): Promise<Cached> {
    const hit = this.cache.get(companyId);
    const now = Date.now();
    if (hit && now - hit.checkedAt < RECHECK_MS) return hit;
    const version = await this.store.kbVersion(companyId);
    if (hit && hit.version === version) {
      hit.checkedAt = now;
      return hit;
    }
    let p = this.building.get(companyId);
    if (!p) {
      p = this.build(companyId, version).finally(() => this.building.delete(companyId));
      this.building.set(companyId, p);
    }
    // The old index serves until the new one is ready (ROBOT-SYNONYM-15).
    return hit && hit.index.size > 0 && hit.version !== version ? (void p.catch(() => undefined), hit) : p;
  }

  private async build(companyId: number, version: number): Promise<Cached> {
    const [rows, synonyms] = await Promise.all([this.store.allEntries(companyId, { enabledOnly: true }), this.store.synonyms(companyId)]);
    addWords([...synonyms.flatMap((s) => s.words), ...rows.flatMap((r) => r.keywords)]);
    const index = new KbIndex(
      rows.map((r) => ({
        id: r.id,
        question: r.question,
        phrasings: r.phrasings,
        keywords: r.keywords,
        answer: r.answer,
        language: r.language,
        categoryId: r.categoryId,
      })),
      synonyms.map((s) => s.words),
    );
    const c: Cached = { version, checkedAt: Date.now(), index, entries: new Map(rows.map((r) => [r.id, r])) };
    this.cache.set(companyId, c);
    return c;
  }

  async search(companyId: number, text: string, opts: { language?: string | null; limit?: number; minConfidence?: number } = {}) {
    return (await this.get(companyId)).index.search(text, opts);
  }

  async entry(companyId: number, id: number): Promise<EntryRow | undefined> {
    return (await this.get(companyId)).entries.get(id);
  }

  async decide(companyId: number, text: string, settings: Settings, language?: string | null): Promise<Decision> {
    const c = await this.get(companyId);
    const found = c.index.search(text, { language, limit: 6 });
    const top = found[0];
    if (top && top.confidence >= settings.directThreshold) {
      const entry = c.entries.get(top.entryId)!;
      // Entries sharing related words with the answer first, then the next-best matches.
      const related = new Map<number, Match>();
      for (const s of c.index.sharingKeywords(top.entryId, { language }))
        related.set(s.entryId, found.find((m) => m.entryId === s.entryId) ?? { ...s, confidence: 0, keywordHit: false });
      for (const m of found.slice(1)) if (m.confidence >= settings.listThreshold || m.keywordHit) related.set(m.entryId, m);
      return { type: 'answer', entry, confidence: top.confidence, candidates: [...related.values()].slice(0, 5) };
    }
    const list = found.filter((m) => m.confidence >= settings.listThreshold || m.keywordHit);
    return list.length ? { type: 'related', candidates: list.slice(0, 3) } : { type: 'fallback', candidates: found.slice(0, 5) };
  }
}
