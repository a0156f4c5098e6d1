import type { IncomingMessage } from 'node:http';
import ExcelJS from 'exceljs';
import { safeCell } from '../history/export-cells.ts';
import { AppError } from '../http/errors.ts';

/**
 * Small whole-file CSV and XLSX tables for list import and export (canned
 * replies CHATSET-CANNEDIO-11, the robot's knowledge base ROBOT-IO-20). Large
 * exports stream instead (history/export-writers.ts). Cells that a spreadsheet
 * would run as formulas are written with a leading apostrophe and read back
 * without it, so an exported file imports back unchanged.
 */
export type TableFormat = 'csv' | 'xlsx';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const tableMime = (format: TableFormat) => (format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_MIME);

export const guardCell = safeCell;
export const unguardCell = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

/** UTF-8 with a BOM and CRLF, the form Excel opens correctly. */
export function toCsv(rows: string[][]): string {
  return '\ufeff' + rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 with quoted newlines; blank lines are dropped. */
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

const cellText = (v: any): string =>
  v == null ? '' : typeof v === 'object' ? (v.richText?.map((x: any) => x.text).join('') ?? v.text ?? String(v.result ?? '')) : String(v);

/** The first sheet's rows (header included), `width` cells each; throws on a file that is not a table. */
export async function readTable(format: TableFormat, data: Buffer, width: number): Promise<string[][]> {
  if (format === 'csv') return parseCsv(data.toString('utf8')).map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as never);
  const rows: string[][] = [];
  wb.worksheets[0]?.eachRow({ includeEmpty: false }, (r) => {
    rows.push(Array.from({ length: width }, (_, i) => cellText(r.getCell(i + 1).value)));
  });
  return rows;
}

/** Header and rows as one file; text cells go through guardCell, numbers stay numbers in XLSX. */
export async function writeTable(format: TableFormat, header: readonly string[], rows: (string | number)[][], sheetName: string): Promise<Buffer> {
  const all = [[...header], ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c : guardCell(c))))];
  if (format === 'csv') return Buffer.from(toCsv(all.map((r) => r.map(String))), 'utf8');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const r of all) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A request body sent as the file itself (not JSON, so the JSON size limit
 * does not apply); past `max` bytes the request is refused with 413 before
 * the rest is read.
 */
export async function readFileBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > max) throw new AppError(413, 'file_too_large', `At most ${Math.round(max / 1024 / 1024)} MB`, { limit: max });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
