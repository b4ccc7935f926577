import { entryDrained } from '@app/contracts/workbooks/entry-drained';
import {
  LIFECYCLE_LABELS,
  LifecycleState,
  RECORD_STATUS_LABELS,
  RecordStatus,
  REQUEST_KIND_LABELS,
  RequestKind,
} from '@app/contracts';
import { COLUMN_FIELDS, COLUMNS_SHEET, ENVELOPE_LABELS, FieldDef, fieldLabel, FORMS_SHEET, SECTIONS } from '@app/forms';

import type { Writable } from 'node:stream';

/**
 * A record as the export's first sheet reads it: the workflow state, the site's lifecycle (and
 * the request travelling the chain, if any) and the content without 栏目.
 */
export interface ExportedForm {
  id: string;
  siteCode: string | null;
  status: RecordStatus;
  lifecycle: LifecycleState;
  /** 已关停: why, and when the site is expected back (YYYY-MM-DD); null otherwise. */
  closedReason: string | null;
  expectedReopenDate: string | null;
  requestKind: RequestKind | null;
  ownerCode: string;
  regionName: string;
  updatedAt: Date;
  content: Record<string, unknown>;
  columnCount: number;
}

/** One 栏目 of a record, for the second sheet. */
export interface ExportedColumn {
  id: string;
  siteName: string;
  siteCode: string | null;
  ord: number;
  column: Record<string, unknown>;
}

export interface ExportColumn<T> {
  header: string;
  width: number;
  value: (row: T) => string | number;
}

/** A field's value as a person reads it: an option's Chinese label instead of its code. */
function shown(def: FieldDef, value: unknown): string {
  if (typeof value !== 'string') return '';
  return def.options?.find((option) => option.value === value)?.label ?? value;
}

function sectionValue(content: Record<string, unknown>, section: string, key: string): unknown {
  const part = content[section];
  return typeof part === 'object' && part !== null ? (part as Record<string, unknown>)[key] : undefined;
}

/** 2026-12-01 06:40, in Beijing time (UTC+8, no daylight saving). */
export function beijingMinute(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/**
 * Sheet 网站基本信息: the record's state first (状态, the pending request's kind, 存续状态 in the
 * list's words, with a closed site's reason and reopening date), then every field of the form
 * with its Chinese name.
 */
export const FORM_EXPORT_COLUMNS: ReadonlyArray<ExportColumn<ExportedForm>> = [
  { header: '网站标识码', width: 14, value: (r) => r.siteCode ?? '' },
  { header: '状态', width: 10, value: (r) => RECORD_STATUS_LABELS[r.status] ?? r.status },
  {
    header: '申请类型',
    width: 10,
    value: (r) => (r.requestKind ? (REQUEST_KIND_LABELS[r.requestKind] ?? r.requestKind) : ''),
  },
  { header: '存续状态', width: 10, value: (r) => LIFECYCLE_LABELS[r.lifecycle] ?? r.lifecycle },
  { header: '关停原因', width: 20, value: (r) => r.closedReason ?? '' },
  { header: '预计恢复日期', width: 12, value: (r) => r.expectedReopenDate ?? '' },
  { header: '填报单位代码', width: 12, value: (r) => r.ownerCode },
  { header: '地区/部门', width: 20, value: (r) => r.regionName },
  ...SECTIONS.flatMap((section) =>
    section.fields.map((def): ExportColumn<ExportedForm> => ({
      header: fieldLabel(section, def),
      width: def.maxLength > 60 ? 30 : 16,
      value: (r) => shown(def, sectionValue(r.content, section.key, def.key)),
    })),
  ),
  { header: '栏目数', width: 8, value: (r) => r.columnCount },
  { header: '最后更新（北京时间）', width: 18, value: (r) => beijingMinute(r.updatedAt) },
  { header: ENVELOPE_LABELS.id, width: 38, value: (r) => r.id },
];

/** Sheet 栏目信息: the website each 栏目 belongs to, then the 栏目's fields. */
export const COLUMN_EXPORT_COLUMNS: ReadonlyArray<ExportColumn<ExportedColumn>> = [
  { header: '网站名称', width: 30, value: (c) => c.siteName },
  { header: '网站标识码', width: 14, value: (c) => c.siteCode ?? '' },
  { header: '序号', width: 6, value: (c) => c.ord },
  ...COLUMN_FIELDS.map((def): ExportColumn<ExportedColumn> => ({
    header: def.label,
    width: def.kind === 'url' ? 40 : 20,
    value: (c) => shown(def, c.column[def.key]),
  })),
  { header: ENVELOPE_LABELS.id, width: 38, value: (c) => c.id },
];

export { FORMS_SHEET, COLUMNS_SHEET };

/**
 * Writes the export workbook into `out` with exceljs's streaming writer: sheet 网站基本信息 from
 * `forms`, then sheet 栏目信息 from `columns` (a zip entry streams only once the one before it
 * is closed, so the sheets are written one after the other). `pace` runs after each batch (the
 * caller's backpressure). Nothing holds more than a batch of rows.
 */
export async function writeRecordsWorkbook(
  out: Writable,
  forms: () => AsyncIterable<ExportedForm[]>,
  columns: () => AsyncIterable<ExportedColumn[]>,
  pace: () => Promise<void> = async () => undefined,
): Promise<{ rows: number; columns: number }> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const counts = { rows: 0, columns: 0 };
  const sheets = [
    { name: FORMS_SHEET, spec: FORM_EXPORT_COLUMNS, read: forms, count: 'rows' },
    { name: COLUMNS_SHEET, spec: COLUMN_EXPORT_COLUMNS, read: columns, count: 'columns' },
  ] as const;
  for (const { name, spec, read, count } of sheets) {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.map((column) => ({ header: column.header, width: column.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const batch of read() as AsyncIterable<unknown[]>) {
      for (const row of batch)
        sheet.addRow((spec as ReadonlyArray<ExportColumn<unknown>>).map((column) => column.value(row))).commit();
      counts[count] += batch.length;
      await entryDrained(sheet);
      await pace();
    }
    sheet.commit();
  }
  await workbook.commit();
  return counts;
}
