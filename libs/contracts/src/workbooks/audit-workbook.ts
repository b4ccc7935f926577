// The audit log as a workbook: the gateway's direct download and identity's 后台导出 write the same
// columns. Imported by path (@app/contracts/workbooks/…), never through the index: the browser bundle
// must not reach exceljs.
import { AuditEntryView } from '../common/audit.contract';
import { beijingTime } from '../common/date-time';
import { entryDrained } from './entry-drained';
// exceljs (≈150 modules, ≈35 MiB resident) is loaded on the first workbook, not at boot.
import type { Writable } from 'node:stream';

/** The most entries one export holds; more asks the auditor to narrow the filters. */
export const MAX_EXPORT_ROWS = 50000;

/** The export's columns: Chinese headers, what the console's Audit screen shows, and the chain fields. */
export const AUDIT_EXPORT_COLUMNS: ReadonlyArray<{
  header: string;
  width: number;
  value: (e: AuditEntryView) => string | number;
}> = [
  { header: '序号', width: 8, value: (e) => e.seq },
  { header: '时间（北京时间）', width: 20, value: (e) => beijingTime(e.at) },
  { header: '操作人', width: 24, value: (e) => e.actorName },
  { header: '操作', width: 16, value: (e) => e.actionName },
  { header: '结果', width: 8, value: (e) => e.outcomeName },
  { header: '对象', width: 36, value: (e) => e.targetName },
  { header: '详情', width: 60, value: (e) => e.summary },
  { header: '操作代码', width: 22, value: (e) => e.action },
  { header: '记录编号', width: 38, value: (e) => e.id },
  { header: '哈希', width: 66, value: (e) => e.hash },
];

/**
 * Streams the entries, page by page as they are read, as one sheet 审计日志 into `out`
 * (nothing holds the whole export in memory). `pace` runs after each page (the caller's
 * backpressure). Answers the number of rows written.
 */
export async function writeAuditWorkbook(
  out: Writable,
  pages: AsyncIterable<AuditEntryView[]>,
  pace: () => Promise<void> = async () => undefined,
): Promise<number> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = AUDIT_EXPORT_COLUMNS.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let rows = 0;
  for await (const page of pages) {
    for (const entry of page) sheet.addRow(AUDIT_EXPORT_COLUMNS.map((column) => column.value(entry))).commit();
    rows += page.length;
    await entryDrained(sheet);
    await pace();
  }
  sheet.commit();
  await workbook.commit();
  return rows;
}
