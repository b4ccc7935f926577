// A template sheet as a table: its header row matched to template columns by header text (so
// reordered or extra columns do no harm), and its non-empty data rows as path → text.
import { columnTemplateColumns, FORMS_SHEET, TemplateColumn, templateColumns } from '@app/forms';
import { columnLetter, headerKey } from './cells';
import { Grid, GridRow } from './grid';
import { TemplateError } from './template-error';

export interface SheetTable {
  name: string;
  /** Template columns found in the header row, with their 1-based sheet column. */
  columns: (TemplateColumn & { index: number })[];
  rows: { number: number; values: Map<string, string> }[];
  /** Where a path sits in a row, for error reports. */
  cell(row: number, path: string): { sheet: string; row: number; column: string; header: string };
}

export function readSheet(grid: Grid, name: string, required: boolean): SheetTable {
  const sheet = grid.sheet(name);
  const expected = name === FORMS_SHEET ? templateColumns() : columnTemplateColumns();
  if (!sheet) {
    if (required)
      throw new TemplateError('TEMPLATE_SHEET_MISSING', `Excel文件中没有“${name}”工作表：请使用下载的模板填写`, {
        sheet: name,
      });
    return table(name, [], []);
  }
  const columns = matchHeaders(
    sheet.find((row) => row.number === 1),
    expected,
  );
  checkRequiredHeaders(name, expected, columns);
  const rows: SheetTable['rows'] = [];
  for (const row of sheet) {
    if (row.number === 1) continue;
    const values = new Map(columns.map((column) => [column.path, row.cells[column.index] ?? '']));
    if ([...values.values()].some((value) => value.trim() !== '')) rows.push({ number: row.number, values });
  }
  return table(name, columns, rows);
}

function matchHeaders(header: GridRow | undefined, expected: TemplateColumn[]): SheetTable['columns'] {
  const byHeader = new Map(expected.map((column) => [headerKey(column.header), column]));
  const columns: SheetTable['columns'] = [];
  header?.cells.forEach((text, index) => {
    const column = text === undefined ? undefined : byHeader.get(headerKey(text));
    if (column && !columns.some((found) => found.path === column.path)) columns.push({ ...column, index });
  });
  return columns;
}

function checkRequiredHeaders(name: string, expected: TemplateColumn[], found: SheetTable['columns']): void {
  const missing = expected.filter((column) => column.required && !found.some((item) => item.path === column.path));
  const noKey = name !== FORMS_SHEET && !found.some((item) => item.path === 'id' || item.path === 'site.siteName');
  if (missing.length > 0 || noKey) {
    const headers = [...missing.map((column) => column.header), ...(noKey ? ['表单编号或网站名称'] : [])];
    throw new TemplateError(
      'TEMPLATE_HEADER_MISSING',
      `“${name}”工作表缺少这些列：${headers.join('、')}。请使用下载的模板填写，不要删除或改名表头`,
      { sheet: name, headers },
    );
  }
}

function table(name: string, columns: SheetTable['columns'], rows: SheetTable['rows']): SheetTable {
  return {
    name,
    columns,
    rows,
    cell(row, path) {
      const column = columns.find((item) => item.path === path);
      return {
        sheet: name,
        row,
        column: column ? columnLetter(column.index) : '',
        header: column ? column.header : '',
      };
    },
  };
}
