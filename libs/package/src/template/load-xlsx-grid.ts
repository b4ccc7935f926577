// .xlsx → Grid through exceljs (loaded lazily, see load-exceljs.ts).
import { loadExcelJS } from './load-exceljs';
import { cellText } from './cells';
import { Grid, GridRow, TemplateLimits } from './grid';
import { TemplateError } from './template-error';
import { tooLarge } from './limits-error';

export async function loadXlsxGrid(bytes: Uint8Array, sheets: string[], limits: TemplateLimits): Promise<Grid> {
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw new TemplateError(
      'TEMPLATE_UNREADABLE',
      '无法读取这个Excel文件：文件已损坏或不是Excel工作簿，请用下载的模板填写后另存为 .xlsx 再导入',
      {
        reason: error instanceof Error ? error.message : String(error),
      },
    );
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
