// Excel 97–2003 (.xls, BIFF8 in an OLE2 compound file; WPS .et files of the same kind) → Grid
// through SheetJS. The npm `xlsx` package stopped at 0.18.5 with two flaws on crafted files
// (CVE-2023-30533 prototype pollution, CVE-2024-22363 ReDoS); @e965/xlsx republishes the fixed
// SheetJS 0.20.3. Loaded on first use, like exceljs. Only the template's sheets are parsed,
// at most `maxRows` rows each, no formulas, styles, macros or blank-cell stubs; the intake
// service reads on a worker thread with a time and memory bound on top of that.
import type * as SheetJS from '@e965/xlsx';
import { FileFormatRefusal, formatUnsupported } from './format-error';
import { Grid, GridRow, TemplateLimits } from './grid';
import { tooLarge } from './limits-error';
import { TemplateError } from './template-error';

let loading: Promise<typeof SheetJS> | undefined;

export function loadSheetJS(): Promise<typeof SheetJS> {
  loading ??= import('@e965/xlsx').then(
    (module) => ((module as { default?: typeof SheetJS }).default ?? module) as typeof SheetJS,
  );
  return loading;
}

export async function loadXlsGrid(bytes: Uint8Array, sheets: string[], limits: TemplateLimits): Promise<Grid> {
  const XLSX = await loadSheetJS();
  checkContainer(XLSX, bytes);
  let workbook: SheetJS.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: 'array',
      dense: true,
      sheets,
      sheetRows: limits.maxRows + 1,
      cellFormula: false,
      cellHTML: false,
      cellNF: false,
      cellStyles: false,
      cellDates: true,
      bookVBA: false,
      bookDeps: false,
      bookFiles: false,
      sheetStubs: false,
    });
  } catch (error) {
    throw unreadable(error);
  }
  const bySheet = new Map<string, GridRow[]>();
  let cells = 0;
  for (const name of sheets) {
    if (!workbook.SheetNames.includes(name) || !Object.prototype.hasOwnProperty.call(workbook.Sheets, name)) continue;
    const data = (workbook.Sheets[name] as SheetJS.DenseWorkSheet)['!data'] ?? [];
    if (data.length > limits.maxRows) throw tooLarge({ sheet: name, rows: data.length }, limits);
    const rows: GridRow[] = [];
    data.forEach((row, index) => {
      if (!row) return;
      const texts: (string | undefined)[] = [];
      row.forEach((cell, column) => {
        if (!cell) return;
        cells += 1;
        texts[column + 1] = cellText(cell);
      });
      if (cells > limits.maxCells) throw tooLarge({ cells }, limits);
      if (texts.length > 0) rows.push({ number: index + 1, cells: texts });
    });
    bySheet.set(name, rows);
  }
  return { sheet: (name) => bySheet.get(name) };
}

/**
 * What the compound file holds: a BIFF8 `Workbook` stream is read; an Excel 5.0/95 `Book`
 * stream, an encrypted OOXML package or any other document is refused with what to do.
 */
function checkContainer(XLSX: typeof SheetJS, bytes: Uint8Array): void {
  let has: (name: string) => boolean;
  try {
    const container = XLSX.CFB.read(bytes, { type: 'array' }) as object;
    has = (name) => Boolean(XLSX.CFB.find(container, name));
  } catch (error) {
    throw unreadable(error);
  }
  let refusal: FileFormatRefusal | null = null;
  if (has('EncryptionInfo') || has('EncryptedPackage')) refusal = 'encrypted';
  else if (!has('Workbook')) refusal = has('Book') ? 'biff5' : 'not-a-workbook';
  if (refusal) throw formatUnsupported(refusal);
}

/** The text a user sees, as cells.ts gives it for exceljs: numbers without exponent or grouping. */
function cellText(cell: SheetJS.CellObject): string {
  const value = cell.v;
  if (cell.t === 'e' || value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function unreadable(error: unknown): TemplateError {
  return new TemplateError(
    'TEMPLATE_UNREADABLE',
    '无法读取这个Excel文件：文件已损坏或不完整。请用Excel或WPS打开后另存为 .xlsx 再导入',
    { reason: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) },
  );
}
