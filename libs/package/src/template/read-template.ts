// Reads a filled Excel template into forms. Rows keep the 表单编号 already in the sheet (a
// re-import overwrites the same record); blank ones get a new id. Every problem comes back
// as a cell error with sheet, row and column, alongside every form (valid or not) so the
// offline client can load them all as drafts.
import {
  COLUMNS_SHEET,
  createBlankColumn,
  createBlankForm,
  FieldError,
  FORMS_SHEET,
  SiteForm,
  validateForm,
} from '@app/forms';
import { TemplateCellError, TemplateError } from './template-error';
import { readSheet, SheetTable } from './sheet-table';
import { attachColumns } from './attach-columns';
import { detectFileFormat } from './detect-format';
import { formatUnsupported } from './format-error';
import { DEFAULT_TEMPLATE_LIMITS, Grid, TemplateLimits } from './grid';
import { tooLarge } from './limits-error';
import { loadXlsGrid } from './load-xls-grid';
import { loadXlsxGrid } from './load-xlsx-grid';

export interface TemplateForm {
  /** Row in sheet 网站基本信息 (1-based). */
  row: number;
  form: SiteForm;
  /** Whether 表单编号 was blank and a new id was made. */
  newId: boolean;
  errors: FieldError[];
  /**
   * Every problem of this website as cells (sheet, Excel row, column, header): its validation
   * errors, on 栏目信息 for its 栏目, and a 表单编号 repeated from an earlier row.
   */
  cells: TemplateCellError[];
}

export interface TemplateResult {
  forms: TemplateForm[];
  /** Every problem, as cells: validation errors and rows that cannot be placed. */
  errors: TemplateCellError[];
}

export interface ReadTemplateOptions {
  maxForms?: number;
  now?: Date;
  limits?: Partial<TemplateLimits>;
}

/**
 * Reads .xlsx (exceljs) and Excel 97–2003 .xls (SheetJS), told apart by their first bytes;
 * any other file is refused with TEMPLATE_FORMAT_UNSUPPORTED and what to do (save as .xlsx).
 */
export async function readTemplate(bytes: Uint8Array, options: ReadTemplateOptions = {}): Promise<TemplateResult> {
  const workbook = await loadGrid(bytes, { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits });
  const formsSheet = readSheet(workbook, FORMS_SHEET, true);
  const maxForms = options.maxForms ?? 5000;
  if (formsSheet.rows.length > maxForms) {
    throw new TemplateError(
      'TEMPLATE_TOO_MANY_ROWS',
      `“${FORMS_SHEET}”中有${formsSheet.rows.length}个网站，一次最多导入${maxForms}个`,
      { rows: formsSheet.rows.length, limit: maxForms },
    );
  }
  const errors: TemplateCellError[] = [];
  const forms = formsSheet.rows.map((row) => ({
    row: row.number,
    ...formFromRow(formsSheet, row.values, options.now),
  }));
  checkDuplicateIds(formsSheet, forms, errors);
  const columnsSheet = readSheet(workbook, COLUMNS_SHEET, false);
  const columnRows = attachColumns(columnsSheet, forms, errors, createBlankColumn);
  const rowErrors = errors.filter((error) => error.sheet === FORMS_SHEET);
  const results: TemplateForm[] = forms.map(({ row, form, newId }) => {
    const { errors: fieldErrors } = validateForm(form);
    const cells = fieldErrors.map((error) =>
      cellOf(error, row, formsSheet, columnsSheet, columnRows.get(form.id) ?? []),
    );
    errors.push(...cells);
    return {
      row,
      form,
      newId,
      errors: fieldErrors,
      cells: [...rowErrors.filter((error) => error.row === row), ...cells],
    };
  });
  return { forms: results, errors };
}

async function loadGrid(bytes: Uint8Array, limits: TemplateLimits): Promise<Grid> {
  if (bytes.length > limits.maxBytes) throw tooLarge({ bytes: bytes.length }, limits);
  const sheets = [FORMS_SHEET, COLUMNS_SHEET];
  const format = detectFileFormat(bytes);
  if (format === 'xlsx') return loadXlsxGrid(bytes, sheets, limits);
  if (format === 'ole2') return loadXlsGrid(bytes, sheets, limits);
  // A ZIP without a workbook part: a damaged .xlsx more likely than anything else.
  if (format === 'zip') return loadXlsxGrid(bytes, sheets, limits);
  throw formatUnsupported(format);
}

function formFromRow(sheet: SheetTable, values: Map<string, string>, now?: Date): { form: SiteForm; newId: boolean } {
  const form = createBlankForm(now) as unknown as Record<string, unknown>;
  const given = (values.get('id') ?? '').trim();
  if (given) form.id = given;
  for (const column of sheet.columns) {
    const [section, key] = column.path.split('.');
    if (!key) continue;
    const raw = values.get(column.path) ?? '';
    const option = column.options?.find((item) => item.label === raw.trim() || item.value === raw.trim());
    (form[section] as Record<string, string>)[key] = option ? option.value : raw;
  }
  return { form: form as unknown as SiteForm, newId: !given };
}

function checkDuplicateIds(
  sheet: SheetTable,
  forms: { row: number; form: SiteForm; newId: boolean }[],
  errors: TemplateCellError[],
): void {
  const firstRow = new Map<string, number>();
  for (const { row, form, newId } of forms) {
    if (newId) continue;
    const id = form.id.toLowerCase();
    const earlier = firstRow.get(id);
    if (earlier === undefined) firstRow.set(id, row);
    else
      errors.push({
        ...sheet.cell(row, 'id'),
        message: `表单编号与第${earlier}行相同：一个网站只能有一张表，请删除重复的行或清空其中一行的表单编号`,
      });
  }
}

/** Places a validation error on its cell: 栏目 errors on sheet 栏目信息, the rest on the website's row. */
function cellOf(
  error: FieldError,
  row: number,
  formsSheet: SheetTable,
  columnsSheet: SheetTable,
  columnRows: number[],
): TemplateCellError {
  const match = /^columns\[(\d+)\]\.(\w+)$/.exec(error.field);
  if (match && columnRows[Number(match[1])] !== undefined) {
    return {
      ...columnsSheet.cell(columnRows[Number(match[1])], `columns.${match[2]}`),
      field: error.field,
      message: error.message,
    };
  }
  return { ...formsSheet.cell(row, error.field), field: error.field, message: error.message };
}
