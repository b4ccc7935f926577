// 评分统计's chart: 合格 / 不合格 / 未评分 per child unit, stacked (ECharts, only the parts used).
import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface VerdictChartRow {
  name: string;
  pass: number;
  fail: number;
  unassessed: number;
}

const SERIES: Array<{ key: keyof Omit<VerdictChartRow, 'name'>; label: string; color: string }> = [
  { key: 'pass', label: '合格', color: '#2e7d32' },
  { key: 'fail', label: '不合格', color: '#c62828' },
  { key: 'unassessed', label: '未评分', color: '#9e9e9e' },
];

export function AssessmentChart({ rows }: { rows: VerdictChartRow[] }) {
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
        stack: 'sites',
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
  return (
    <div className="stats-chart" ref={box} role="img" aria-label="各下级单位评分结论（合格、不合格、未评分）柱状图" />
  );
}
