// exceljs, loaded on first use: it is by far the heaviest module of the package (≈1 s of
// loading on this machine), and the reader thread of a ZIP package, the CLI and every process
// that never touches a workbook would otherwise pay for it at start.
import type ExcelJS from 'exceljs';

let loading: Promise<typeof ExcelJS> | undefined;

export function loadExcelJS(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((module) => (module as { default?: typeof ExcelJS }).default ?? module);
  return loading;
}
