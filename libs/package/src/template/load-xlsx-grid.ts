// .xlsx → Grid through exceljs (loaded lazily, see load-exceljs.ts).
import { loadExcelJS } from './load-exceljs';
import { cellText } from './cells';
import { Grid, GridRow, TemplateLimits } from './grid';
import { TemplateError } from './template-error';
import { tooLarge } from './limits-error';
import { PackageError } from '../errors';
import { readCentralDirectory } from '../zip/central-directory';
import { InflateBudget, readEntry } from '../zip/inflate-entry';

/**
 * exceljs inflates every part of the workbook at once, trusting the ZIP: first the package
 * reader's own ZIP code inflates each part against a budget, so a workbook bomb (a sheet
 * inflating to gigabytes) stops here, at the limit, instead of in exceljs.
 */
function checkInflatedSize(bytes: Uint8Array, limits: TemplateLimits): void {
  const budget: InflateBudget = {
    maxEntryBytes: limits.maxInflatedBytes,
    maxTotalBytes: limits.maxInflatedBytes,
    usedBytes: 0,
  };
  try {
    for (const entry of readCentralDirectory(bytes)) readEntry(bytes, entry, budget);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    if (error.code === 'ENTRY_TOO_LARGE' || error.code === 'TOTAL_TOO_LARGE')
      throw tooLarge({ inflatedBytes: budget.usedBytes }, limits);
    // ZIP features packages never use but a workbook writer may (ZIP64, unusual names): exceljs decides.
    if (error.code === 'ZIP_UNSUPPORTED' || error.code.startsWith('ENTRY_NAME')) return;
    throw unreadable(error);
  }
}

function unreadable(error: unknown): TemplateError {
  return new TemplateError(
    'TEMPLATE_UNREADABLE',
    '无法读取这个Excel文件：文件已损坏或不是Excel工作簿，请用下载的模板填写后另存为 .xlsx 再导入',
    { reason: error instanceof Error ? error.message : String(error) },
  );
}

export async function loadXlsxGrid(bytes: Uint8Array, sheets: string[], limits: TemplateLimits): Promise<Grid> {
  checkInflatedSize(bytes, limits);
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw unreadable(error);
  }
  const bySheet = new Map<string, GridRow[]>();
  let cells = 0;
  for (const name of sheets) {
    const sheet = workbook.worksheets.find((item) => item.name === name);
    if (!sheet) continue;
    if (sheet.rowCount > limits.maxRows) throw tooLarge({ sheet: name, rows: sheet.rowCount }, limits);
    const rows: GridRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const texts: (string | undefined)[] = [];
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        cells += 1;
        texts[column] = cellText(cell.value);
      });
      if (cells > limits.maxCells) throw tooLarge({ cells }, limits);
      rows.push({ number, cells: texts });
    });
    bySheet.set(name, rows);
  }
  return { sheet: (name) => bySheet.get(name) };
}
