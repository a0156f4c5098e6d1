import sanitizeHtml from 'sanitize-html';
import { conflict, fieldError, notFound } from '@kefu/core/plugin';
import type { KnowledgeBase } from './kb.ts';
import { toEntry, type EntryRow, type RobotStore } from './store.ts';
import { normalize } from './text.ts';

export interface EntryInput {
  question: string;
  phrasings?: string[];
  answer: string;
  keywords?: string[];
  categoryId?: number | null;
  language?: string;
  enabled?: boolean;
}

export const MAX_ENTRIES = 50_000;

/** ROBOT-ENTRY-4: paragraphs, bold, italic, lists, links (http/https/mailto, new tab), images. */
export function sanitizeAnswer(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'ul', 'ol', 'li', 'a', 'img'],
    allowedAttributes: { a: ['href', 'target', 'rel'], img: ['src', 'alt'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    transformTags: { a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer' }) },
  }).trim();
}

const clean = (list: string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];

/** Knowledge entries: validation, duplicate checks, CRUD; every change rebuilds the index. */
export class Entries {
  constructor(
    private readonly store: RobotStore,
    private readonly kb: KnowledgeBase,
  ) {}

  /** Throws on bad input; returns the row to store. */
  async prepare(companyId: number, input: EntryInput, selfId?: number) {
    const question = input.question.trim();
    const phrasings = clean(input.phrasings);
    const seen = new Set([normalize(question)]);
    if (!normalize(question)) throw fieldError('question', 'empty_question', 'The question has no words');
    for (const [i, p] of phrasings.entries()) {
      const n = normalize(p);
      if (!n || seen.has(n)) throw fieldError(`phrasings.${i}`, 'duplicate_phrasing', `Phrasing repeats the question or another phrasing: ${p}`);
      seen.add(n);
    }
    // One question never has two answers (ROBOT-PHRASING-5).
    const language = input.language ?? 'all';
    const others = (await this.store.allEntries(companyId, { enabledOnly: true })).filter((e) => e.id !== selfId);
    for (const o of others) {
      if (!(o.language === 'all' || language === 'all' || o.language === language)) continue;
      const clash = [o.question, ...o.phrasings].find((q) => seen.has(normalize(q)));
      if (clash) throw conflict('robot_duplicate_question', `"${clash}" is already a question of entry ${o.id}`, { entryId: o.id, question: o.question });
    }
    const answer = sanitizeAnswer(input.answer);
    if (!answer) throw fieldError('answer', 'empty_answer', 'The answer is empty after sanitising');
    if (input.categoryId != null && !(await this.store.t(companyId).q('robot_categories').where({ id: input.categoryId }).first('id')))
      throw fieldError('categoryId', 'unknown_category', 'No such category');
    return {
      question,
      phrasings,
      answer,
      keywords: clean(input.keywords),
      category_id: input.categoryId ?? null,
      language,
      enabled: input.enabled ?? true,
    };
  }

  async list(companyId: number, f: { q?: string; categoryId?: number; limit: number; offset: number }): Promise<{ total: number; entries: EntryRow[] }> {
    const base = () => {
      const q = this.store.t(companyId).q('robot_entries');
      if (f.categoryId) q.where({ category_id: f.categoryId });
      if (f.q) q.where((w) => w.whereILike('question', `%${f.q}%`).orWhereILike('answer', `%${f.q}%`));
      return q;
    };
    const [{ n }] = await base().count<{ n: string }[]>('* as n');
    const rows = await base().orderBy('id', 'desc').limit(f.limit).offset(f.offset);
    return { total: Number(n), entries: rows.map(toEntry) };
  }

  async get(companyId: number, id: number): Promise<EntryRow> {
    const r = await this.store.t(companyId).q('robot_entries').where({ id }).first();
    if (!r) throw notFound('Entry not found');
    return toEntry(r);
  }

  async create(companyId: number, input: EntryInput, opts: { defer?: boolean } = {}): Promise<EntryRow> {
    const [{ n }] = await this.store.t(companyId).q('robot_entries').count<{ n: string }[]>('* as n');
    if (Number(n) >= MAX_ENTRIES) throw conflict('kb_limit', `At most ${MAX_ENTRIES} entries`);
    const row = await this.prepare(companyId, input);
    const [r] = await this.store.t(companyId).insert('robot_entries', row).returning('*');
    if (!opts.defer) await this.kb.changed(companyId);
    return toEntry(r);
  }

  async update(companyId: number, id: number, input: Partial<EntryInput>, opts: { defer?: boolean } = {}): Promise<EntryRow> {
    const old = await this.get(companyId, id);
    const row = await this.prepare(companyId, { ...old, ...input }, id);
    const [r] = await this.store
      .t(companyId)
      .q('robot_entries')
      .where({ id })
      .update({ ...row, updated_at: new Date() })
      .returning('*');
    if (!opts.defer) await this.kb.changed(companyId);
    return toEntry(r);
  }

  async remove(companyId: number, id: number) {
    const n = await this.store.t(companyId).q('robot_entries').where({ id }).delete();
    if (!n) throw notFound('Entry not found');
    await this.kb.changed(companyId);
  }

  /** ROBOT-SIMILAR-6: up to 5 existing entries with confidence ≥ 0.5 for the question or any phrasing. */
  async similar(companyId: number, texts: string[], excludeId?: number) {
    const best = new Map<number, number>();
    for (const t of texts.filter((x) => x.trim()))
      for (const m of await this.kb.search(companyId, t, { limit: 10, minConfidence: 0.5 }))
        if (m.entryId !== excludeId) best.set(m.entryId, Math.max(best.get(m.entryId) ?? 0, m.confidence));
    const out = [];
    for (const [id, confidence] of [...best].sort((a, b) => b[1] - a[1]).slice(0, 5)) {
      const e = await this.kb.entry(companyId, id);
      if (e)
        out.push({ id, question: e.question, categoryId: e.categoryId, answerPreview: sanitizeHtml(e.answer, { allowedTags: [] }).slice(0, 120), confidence });
    }
    return out;
  }
}
