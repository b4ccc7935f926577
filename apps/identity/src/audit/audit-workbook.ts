import { AuditEntryView } from '@app/contracts';
// The audit export's columns, the same as the gateway's direct download (apps/gateway/src/admin/audit-workbook.ts):
// each service keeps its own copy, no service imports another's code.

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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

/** 2026-05-01 08:30:00, in Beijing time (UTC+8, no daylight saving). */
export function beijingTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}
