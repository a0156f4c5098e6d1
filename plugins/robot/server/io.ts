import ExcelJS from 'exceljs';
import type { Entries } from './entries.ts';
import type { KnowledgeBase } from './kb.ts';
import { LANGUAGES } from './schemas.ts';
import type { RobotStore } from './store.ts';
import { normalize } from './text.ts';

/** ROBOT-IO-20 columns; an export imports back unchanged. */
export const COLUMNS = ['分类', '问题', '其他问法', '答案', '相关词', '语言', '启用'] as const;
const MAX_ROWS = 10_000;

/** Cells starting with = + - @ would run as formulas in a spreadsheet: written with a leading quote. */
const guard = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const unguard = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

export function toCsv(rows: string[][]): string {
  return '\ufeff' + rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endCell();
      rows.push(row);
      row = [];
    } else cell += ch;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim()));
}

async function readRows(format: 'csv' | 'xlsx', data: Buffer): Promise<string[][]> {
  if (format === 'csv') return parseCsv(data.toString('utf8'));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as never);
  const ws = wb.worksheets[0];
  const rows: string[][] = [];
  ws?.eachRow({ includeEmpty: false }, (r) => {
    const out: string[] = [];
    for (let i = 1; i <= COLUMNS.length; i++) {
      const v = r.getCell(i).value as any;
      out.push(v == null ? '' : typeof v === 'object' ? (v.richText?.map((x: any) => x.text).join('') ?? v.text ?? String(v.result ?? '')) : String(v));
    }
    rows.push(out);
  });
  return rows;
}

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

  async export(companyId: number, format: 'csv' | 'xlsx'): Promise<Buffer> {
    const { path } = await this.categoryPath(companyId);
    const rows = [[...COLUMNS] as string[]];
    for (const e of await this.store.allEntries(companyId))
      rows.push([path(e.categoryId), e.question, e.phrasings.join('\n'), e.answer, e.keywords.join(','), e.language, e.enabled ? '是' : '否'].map(guard));
    if (format === 'csv') return Buffer.from(toCsv(rows), 'utf8');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('knowledge');
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** Good rows are stored, bad rows reported with their row number (1 = header). */
  async import(companyId: number, format: 'csv' | 'xlsx', data: Buffer, mode: 'add' | 'update') {
    const rows = await readRows(format, data).catch(() => null);
    if (!rows) return { created: 0, updated: 0, skipped: 0, rejected: [{ row: 0, reason: 'unreadable_file' }] };
    const rejected: { row: number; reason: string; message?: string }[] = [];
    if (rows.length - 1 > MAX_ROWS) return { created: 0, updated: 0, skipped: 0, rejected: [{ row: 0, reason: 'too_many_rows' }] };
    let created = 0;
    let updated = 0;
    let skipped = 0;
    const existing = new Map((await this.store.allEntries(companyId)).map((e) => [normalize(e.question), e.id]));
    for (let i = 1; i < rows.length; i++) {
      const [cat, question, phr, answer, kw, lang, enabled] = rows[i].map((c) => unguard(c ?? '').trim());
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
