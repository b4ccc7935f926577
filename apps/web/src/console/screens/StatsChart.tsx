// The bar chart of the 统计 screen: ECharts, only the parts it uses (echarts/core keeps the
// single-file console small: the bar series, grid, tooltip, legend and the canvas renderer).
import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ChartRow {
  name: string;
  DRAFT: number;
  PENDING: number;
  APPROVED: number;
  RETURNED: number;
}

const SERIES: Array<{ key: keyof Omit<ChartRow, 'name'>; label: string; color: string }> = [
  { key: 'APPROVED', label: '已审核', color: '#2e7d32' },
  { key: 'PENDING', label: '未审核', color: '#1565c0' },
  { key: 'RETURNED', label: '已退回', color: '#c62828' },
  { key: 'DRAFT', label: '未提交', color: '#9e9e9e' },
];

/** Websites per child, stacked by status. */
export function StatsChart({ rows }: { rows: ChartRow[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(box.current!);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: rows.length > 8 ? 72 : 32 },
      xAxis: {
        type: 'category',
        data: rows.map((row) => row.name),
        axisLabel: { interval: 0, rotate: rows.length > 8 ? 40 : 0 },
      },
      yAxis: { type: 'value', name: '网站数', minInterval: 1 },
      series: SERIES.map((series) => ({
        name: series.label,
        type: 'bar',
        stack: 'websites',
        itemStyle: { color: series.color },
        data: rows.map((row) => row[series.key]),
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows]);
  return <div className="stats-chart" ref={box} role="img" aria-label="各下级单位网站数（按状态）柱状图" />;
}
