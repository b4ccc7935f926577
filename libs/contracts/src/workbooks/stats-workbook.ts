// The 统计 table as a workbook: the gateway's direct download and review's 后台导出 write the same sheet.
// Imported by path (@app/contracts/workbooks/…), never through the index.
import { LIFECYCLE_LABELS as RECORD_LIFECYCLE_LABELS, RECORD_STATUS_LABELS } from '../review/record.contract';
import { UnitCounts, UnitStatsTable } from '../review/stats.contract';
import { beijingTime } from '../common/date-time';
import type { Writable } from 'node:stream';

type Row = UnitCounts & { name: string; code: string; reported: boolean | null; zeroReport: boolean | null };

/** The statistics table's columns, as the console shows them. */
export const STATS_EXPORT_COLUMNS: ReadonlyArray<{
  header: string;
  width: number;
  value: (row: Row) => string | number;
}> = [
  { header: '单位', width: 28, value: (row) => row.name },
  { header: '单位代码', width: 12, value: (row) => row.code },
  { header: '网站数', width: 10, value: (row) => row.websites },
  { header: RECORD_STATUS_LABELS.DRAFT, width: 10, value: (row) => row.byStatus.DRAFT },
  { header: RECORD_STATUS_LABELS.PENDING, width: 10, value: (row) => row.byStatus.PENDING },
  { header: RECORD_STATUS_LABELS.APPROVED, width: 10, value: (row) => row.byStatus.APPROVED },
  { header: RECORD_STATUS_LABELS.RETURNED, width: 10, value: (row) => row.byStatus.RETURNED },
  { header: RECORD_LIFECYCLE_LABELS.ACTIVE, width: 10, value: (row) => row.byLifecycle.ACTIVE },
  { header: RECORD_LIFECYCLE_LABELS.CLOSED, width: 10, value: (row) => row.byLifecycle.CLOSED },
  { header: RECORD_LIFECYCLE_LABELS.DEREGISTERED, width: 10, value: (row) => row.byLifecycle.DEREGISTERED },
  {
    header: '报送情况',
    width: 12,
    value: (row) => (row.reported === null ? '' : row.zeroReport ? '零报送' : row.reported ? '已报送' : '未报送'),
  },
  {
    header: '最近变动（北京时间）',
    width: 20,
    value: (row) => (row.lastActivityAt ? beijingTime(row.lastActivityAt) : ''),
  },
];

/** The rows of the export: each child, 本级 (when it owns records), 合计. */
export function statsExportRows(table: UnitStatsTable): Row[] {
  const rows: Row[] = table.children.map((child) => ({ ...child }));
  if (table.own.websites > 0)
    rows.push({
      ...table.own,
      name: `${table.unit.name}（本级）`,
      code: table.unit.code,
      reported: null,
      zeroReport: null,
    });
  rows.push({ ...table.total, name: '合计', code: '', reported: null, zeroReport: null });
  return rows;
}

/** Streams the table as one sheet 统计 into `out` (exceljs's streaming writer). */
export async function writeStatsWorkbook(out: Writable, table: UnitStatsTable): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('统计', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = STATS_EXPORT_COLUMNS.map((column) => ({ width: column.width }));
  const title = sheet.addRow([`${table.unit.name} 政府网站报送统计（${beijingTime(new Date().toISOString())}）`]);
  title.font = { bold: true };
  title.commit();
  const header = sheet.addRow(STATS_EXPORT_COLUMNS.map((column) => column.header));
  header.font = { bold: true };
  header.commit();
  for (const row of statsExportRows(table))
    sheet.addRow(STATS_EXPORT_COLUMNS.map((column) => column.value(row))).commit();
  sheet.commit();
  await workbook.commit();
}
