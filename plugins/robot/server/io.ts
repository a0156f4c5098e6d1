import { readTable, unguardCell, writeTable, type TableFormat } from '@kefu/core/plugin';
import type { Entries } from './entries.ts';
import type { KnowledgeBase } from './kb.ts';
import { LANGUAGES } from './schemas.ts';
import type { RobotStore } from './store.ts';
import { normalize } from './text.ts';

/** ROBOT-IO-20 columns; an export imports back unchanged. */
export const COLUMNS = ['分类', '问题', '其他问法', '答案', '相关词', '语言', '启用'] as const;
const MAX_ROWS = 10_000;

/** Import/export of entries with per-row rejection reports. */
export class KbIo {
  constructor(
    private readonly store: RobotStore,
    private readonly entries: Entries,
    private readonly kb: KnowledgeBase,
  ) {}

  private async categoryPath(companyId: number) {
    const cats = await this.store.categories(companyId);
    const byId = new Map(cats.map((c) => [c.id, c]));
    const path = (id: number | null): string => {
      const c = id == null ? undefined : byId.get(id);
      return c ? (c.parentId ? `${path(c.parentId)}/${c.name}` : c.name) : '';
    };
    return { cats, path };
  }

  async export(companyId: number, format: TableFormat): Promise<Buffer> {
    const { path } = await this.categoryPath(companyId);
    const rows = (await this.store.allEntries(companyId)).map((e) => [
      path(e.categoryId),
      e.question,
      e.phrasings.join('\n'),
      e.answer,
      e.keywords.join(','),
      e.language,
      e.enabled ? '是' : '否',
    ]);
    return writeTable(format, COLUMNS, rows, 'knowledge');
  }

  /** Good rows are stored, bad rows reported with their row number (1 = header). */
  async import(companyId: number, format: TableFormat, data: Buffer, mode: 'add' | 'update') {
    const rows = await readTable(format, data, COLUMNS.length).catch(() => null);
    if (!rows) return { created: 0, updated: 0, skipped: 0, rejected: [{ row: 0, reason: 'unreadable_file' }] };
    const rejected: { row: number; reason: string; message?: string }[] = [];
    if (rows.length - 1 > MAX_ROWS) return { created: 0, updated: 0, skipped: 0, rejected: [{ row: 0, reason: 'too_many_rows' }] };
    let created = 0;
    let updated = 0;
    let skipped = 0;
    const existing = new Map((await this.store.allEntries(companyId)).map((e) => [normalize(e.question), e.id]));
    for (let i = 1; i < rows.length; i++) {
      const [cat, question, phr, answer, kw, lang, enabled] = rows[i].map((c) => unguardCell(c).trim());
      try {
        if (!question) throw new Error('question_required');
        if (!answer) throw new Error('answer_required');
        if ([...question].length > 200) throw new Error('question_too_long');
        if (lang && !LANGUAGES.includes(lang)) throw new Error('invalid_language');
        const input = {
          question,
          phrasings: phr ? phr.split(/\r?\n|\|/) : [],
          answer,
          keywords: kw ? kw.split(/[,，]/) : [],
          language: lang || 'all',
          enabled: !['否', 'no', 'false', '0'].includes((enabled ?? '').toLowerCase()),
          categoryId: cat ? await this.ensureCategory(companyId, cat) : null,
        };
        const id = existing.get(normalize(question));
        if (id && mode === 'add') {
          skipped++;
          continue;
        }
        if (id) {
          await this.entries.update(companyId, id, input, { defer: true });
          updated++;
        } else {
          existing.set(normalize(question), (await this.entries.create(companyId, input, { defer: true })).id);
          created++;
        }
      } catch (err: any) {
        // A field-level code (duplicate_phrasing, empty_answer…) says more than validation_failed.
        const reason = err?.extra?.fields?.[0]?.code ?? err?.code ?? err?.message ?? 'invalid_row';
        rejected.push({ row: i + 1, reason, message: err?.extra?.fields?.[0]?.message ?? err?.message ?? reason });
      }
    }
    if (created || updated) await this.kb.changed(companyId);
    return { created, updated, skipped, rejected };
  }

  private async ensureCategory(companyId: number, path: string): Promise<number> {
    let parent: number | null = null;
    for (const name of path
      .split('/')
      .map((s) => s.trim())
      .filter(Boolean)
      .slice(0, 3)) {
      const q = this.store.t(companyId).q('robot_categories').where({ name });
      if (parent == null) q.whereNull('parent_id');
      else q.where({ parent_id: parent });
      const found: any = await q.first('id');
      parent = found ? Number(found.id) : Number((await this.store.t(companyId).insert('robot_categories', { name, parent_id: parent }).returning('id'))[0].id);
    }
    return parent!;
  }
}
