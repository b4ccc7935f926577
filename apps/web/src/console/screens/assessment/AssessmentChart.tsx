// 评分统计's chart: 合格 / 不合格 / 未评分 per child unit, stacked.
import { BarSeries, StackedBarChart } from '../StackedBarChart';

export interface VerdictChartRow {
  name: string;
  pass: number;
  fail: number;
  unassessed: number;
}

const SERIES: Array<BarSeries<keyof Omit<VerdictChartRow, 'name'>>> = [
  { key: 'pass', label: '合格', color: '#2e7d32' },
  { key: 'fail', label: '不合格', color: '#c62828' },
  { key: 'unassessed', label: '未评分', color: '#9e9e9e' },
];

export function AssessmentChart({ rows }: { rows: VerdictChartRow[] }) {
  return <StackedBarChart rows={rows} series={SERIES} label="各下级单位评分结论（合格、不合格、未评分）柱状图" />;
}
