import { once } from 'node:events';
import { PassThrough, Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Table } from './export-cells.ts';

/** HISTORY-EXPORT-10: XLSX sheets are split at this many rows (Excel's own limit is 1,048,576). */
export const SHEET_ROWS = 1_000_000;

async function* withHeader(table: Table) {
  yield table.headers;
  yield* table.rows;
}

/** CSV pulled row by row as the response is read; the BOM makes Excel read the UTF-8 Chinese correctly. */
export function csvStream(table: Table): Readable {
  return pipeline(Readable.from(withHeader(table)), stringify({ bom: true, record_delimiter: 'windows' }), () => undefined);
}

/** XLSX through exceljs's streaming writer: each row is committed (written out) as soon as it is added. */
export function xlsxStream(table: Table, sheetName: string): Readable {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const pump = async () => {
    let sheet: ExcelJS.Worksheet | null = null;
    let rows = SHEET_ROWS;
    let sheets = 0;
    for await (const cells of table.rows) {
      if (rows >= SHEET_ROWS) {
        sheet?.commit();
        sheet = book.addWorksheet(sheets++ ? `${sheetName} ${sheets}` : sheetName);
        sheet.addRow(table.headers).commit();
        rows = 0;
      }
      sheet!.addRow(cells).commit();
      rows++;
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    if (!sheet) book.addWorksheet(sheetName).addRow(table.headers).commit();
    await book.commit();
  };
  pump().catch((err) => out.destroy(err));
  return out;
}
