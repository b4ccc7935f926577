// A workbook that cannot be read as the template at all. Problems inside rows are not thrown:
// they come back as cell errors, every one of them, with sheet, row and column.

export const TEMPLATE_ERROR_CODES = [
  /** A damaged or truncated workbook (.xlsx or .xls). */
  'TEMPLATE_UNREADABLE',
  /**
   * A file in a format the reader cannot read (WPS .et the reader cannot open, Excel 5.0/95,
   * .ods, .numbers, .csv, a password-protected workbook, not a spreadsheet at all): save as .xlsx.
   */
  'TEMPLATE_FORMAT_UNSUPPORTED',
  /** Past the template limits: file size, rows of a sheet, cells, or reading time. */
  'TEMPLATE_TOO_LARGE',
  /** Sheet 网站基本信息 (or a required header in it) is missing. */
  'TEMPLATE_SHEET_MISSING',
  'TEMPLATE_HEADER_MISSING',
  /** More website rows than a package may hold. */
  'TEMPLATE_TOO_MANY_ROWS',
] as const;

export type TemplateErrorCode = (typeof TEMPLATE_ERROR_CODES)[number];

export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A problem in one cell (or row when `column` is empty) of the workbook. */
export interface TemplateCellError {
  sheet: string;
  /** 1-based, as Excel shows it. */
  row: number;
  /** Column letter as Excel shows it (A, B, …), or '' for the whole row. */
  column: string;
  /** The column's header, or '' for the whole row. */
  header: string;
  /** Path in the form, when the error comes from the validator. */
  field?: string;
  message: string;
}
