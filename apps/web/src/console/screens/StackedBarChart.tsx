// The stacked bar charts of the 统计 and 评分统计 screens: ECharts, only the parts they use
// (echarts/core keeps the single-file console small: the bar series, grid, tooltip, legend and
// the canvas renderer).
import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** One stack of the bars: the row's field it counts, its legend and its colour. */
export interface BarSeries<K extends string> {
  key: K;
  label: string;
  color: string;
}

/** One bar per row (a child unit), its series stacked; `label` is read out for screen readers. */
export function StackedBarChart<K extends string>({
  rows,
  series,
  label,
}: {
  rows: Array<{ name: string } & Record<K, number>>;
  series: Array<BarSeries<K>>;
  label: string;
}) {
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
      series: series.map((one) => ({
        name: one.label,
        type: 'bar',
        stack: 'websites',
        itemStyle: { color: one.color },
        data: rows.map((row) => row[one.key]),
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, series]);
  return <div className="stats-chart" ref={box} role="img" aria-label={label} />;
}
