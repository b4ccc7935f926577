// A workbook as the template reader needs it, whatever file it came from (.xlsx through
// exceljs, .xls through SheetJS): sheets by name, each a list of non-empty rows of cell text.
// Maps and arrays only — a sheet or cell called "__proto__" is just a name.

export interface GridRow {
  /** 1-based, as Excel shows it. */
  number: number;
  /** Cell text by 1-based column number (index 0 unused; missing cells are undefined). */
  cells: (string | undefined)[];
}

export interface Grid {
  /** The sheet named exactly `name`, or undefined. */
  sheet(name: string): GridRow[] | undefined;
}

/** What one template read may cost, whatever the format. */
export interface TemplateLimits {
  /** Bytes of the file. */
  maxBytes: number;
  /** Rows of any one sheet. */
  maxRows: number;
  /** Non-empty cells of the sheets read, together. */
  maxCells: number;
  /** .xlsx: bytes its ZIP parts inflate to, together (counted before exceljs sees them). */
  maxInflatedBytes: number;
}

const MiB = 1024 * 1024;

/**
 * 5,000 websites with 22 columns are 110,000 cells, their 栏目 (20 each) 300,000 more; the
 * .xlsx of that is about 10 MiB, the .xls about 25 MiB.
 */
export const DEFAULT_TEMPLATE_LIMITS: Readonly<TemplateLimits> = {
  maxBytes: 64 * MiB,
  maxRows: 200_000,
  maxCells: 2_000_000,
  maxInflatedBytes: 512 * MiB,
};
