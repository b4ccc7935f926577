// 评分统计 as a workbook: the per-unit table and the 不合格 list, Chinese headers.
// Imported by path (@app/contracts/workbooks/…), never through the index.
import type { Writable } from 'node:stream';
import { AssessmentCounts, AssessmentFailure, AssessmentStatsTable } from '../assessment/assessment-stats.contract';
import { beijingTime } from '../common/date-time';

type Row = AssessmentCounts & { name: string; code: string };

/** The per-unit rows: each child, 本级 (when it has sites or verdicts), 合计. */
export function assessmentStatsRows(table: AssessmentStatsTable): Row[] {
  const rows: Row[] = table.children.map((child) => ({ ...child }));
  if (table.own.sites > 0 || table.own.assessed > 0)
    rows.push({ ...table.own, name: `${table.unit.name}（本级）`, code: table.unit.code });
  rows.push({ ...table.total, name: '合计', code: '' });
  return rows;
}

/** 合格率 of the assessed sites, e.g. "75.0%" ("" when none). */
export function passRate(counts: Pick<AssessmentCounts, 'assessed' | 'pass'>): string {
  return counts.assessed === 0 ? '' : `${((counts.pass * 100) / counts.assessed).toFixed(1)}%`;
}

/** Streams two sheets into `out`: 评分统计 (one row per unit) and 不合格网站. */
export async function writeAssessmentStatsWorkbook(
  out: Writable,
  table: AssessmentStatsTable,
  failures: AssessmentFailure[],
): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const stats = workbook.addWorksheet('评分统计', { views: [{ state: 'frozen', ySplit: 2 }] });
  const headers = [
    '单位',
    '单位代码',
    '网站数',
    '已评分',
    '合格',
    '不合格',
    '合格率',
    '平均分',
    '自查结论',
    '检查结论',
    ...table.vetoes.map((veto) => `否决：${veto.name}`),
  ];
  stats.columns = headers.map((header, index) => ({ width: index === 0 ? 28 : Math.max(10, header.length * 2 + 2) }));
  const title = stats.addRow([`${table.unit.name} 政府网站评分统计（${beijingTime(new Date().toISOString())}）`]);
  title.font = { bold: true };
  title.commit();
  const header = stats.addRow(headers);
  header.font = { bold: true };
  header.commit();
  for (const row of assessmentStatsRows(table))
    stats
      .addRow([
        row.name,
        row.code,
        row.sites,
        row.assessed,
        row.pass,
        row.fail,
        passRate(row),
        row.averageScore ?? '',
        row.bySource.SELF,
        row.bySource.INSPECTION,
        ...table.vetoes.map((veto) => row.byVeto[veto.key] ?? 0),
      ])
      .commit();
  stats.commit();

  const list = workbook.addWorksheet('不合格网站', { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = [14, 32, 10, 10, 28, 60, 20].map((width) => ({ width }));
  const listHeader = list.addRow([
    '网站标识码',
    '网站名称',
    '结论来源',
    '得分',
    '单项否决',
    '说明与证据',
    '评定时间（北京时间）',
  ]);
  listHeader.font = { bold: true };
  listHeader.commit();
  for (const failure of failures)
    list
      .addRow([
        failure.siteCode,
        failure.siteName,
        failure.sourceLabel,
        failure.score ?? '',
        failure.vetoes.map((veto) => veto.name).join('、'),
        failure.evidence
          .map((entry) => [entry.name, entry.note, entry.evidenceUrl].filter((part) => part).join('：'))
          .join('；'),
        beijingTime(failure.decidedAt),
      ])
      .commit();
  list.commit();
  await workbook.commit();
}
