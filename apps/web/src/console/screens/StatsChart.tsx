// The bar chart of the 统计 screen: websites per child, stacked by status.
import { BarSeries, StackedBarChart } from './StackedBarChart';

export interface ChartRow {
  name: string;
  DRAFT: number;
  PENDING: number;
  APPROVED: number;
  RETURNED: number;
}

const SERIES: Array<BarSeries<keyof Omit<ChartRow, 'name'>>> = [
  { key: 'APPROVED', label: '已审核', color: '#2e7d32' },
  { key: 'PENDING', label: '未审核', color: '#1565c0' },
  { key: 'RETURNED', label: '已退回', color: '#c62828' },
  { key: 'DRAFT', label: '未提交', color: '#9e9e9e' },
];

export function StatsChart({ rows }: { rows: ChartRow[] }) {
  return <StackedBarChart rows={rows} series={SERIES} label="各下级单位网站数（按状态）柱状图" />;
}
