import { get } from '../../api';
import { beijingTime } from '../../format';
import { go } from '../../router';
import { Busy, ErrorNote, useLoad } from '../../ui';
import { AssessmentTable, FailureReasons } from './AssessmentStats';
import { AssessmentFailure, AssessmentStatsTable, passRate } from './types';

/** The 不合格 sites a 通报 lists at most (the whole list is in the Excel export). */
const REPORT_FAILURES = 500;

/**
 * 通报 (#/assessment/report[/<unit>]): the statistics of a unit's subtree as an A4 page to print
 * — the summary, the table per region and the 不合格 sites with why. The console's frame and the
 * buttons are left out on paper (@media print in console.css).
 */
export function AssessmentReport({ unitId }: { unitId?: string }) {
  const query = unitId ? `orgUnitId=${unitId}&` : '';
  const loaded = useLoad(
    () =>
      Promise.all([
        get<AssessmentStatsTable>(`/assessment/stats${unitId ? `?orgUnitId=${unitId}` : ''}`),
        get<{ items: AssessmentFailure[]; total: number }>(
          `/assessment/failures?${query}page=1&pageSize=${REPORT_FAILURES}`,
        ),
      ]),
    [unitId],
  );
  if (loaded.loading && !loaded.data) return <Busy />;
  if (!loaded.data) return <ErrorNote message={loaded.error} />;
  const [table, failures] = loaded.data;
  const total = table.total;
  return (
    <article className="print-page" aria-label="通报打印预览">
      <div className="actions no-print">
        <button onClick={() => go(`assessment${unitId ? `/${unitId}` : ''}`)}>← 返回评分统计</button>
        <button className="primary" onClick={() => window.print()}>
          打印
        </button>
        <span className="muted">纸张 A4；打印时只输出通报正文。</span>
      </div>
      <h1 className="print-title">关于{table.unit.name}政府网站检查评分情况的通报</h1>
      <p data-testid="report-summary">
        截至 {beijingTime(new Date().toISOString())}，{table.unit.name}辖区共有政府网站 {total.sites} 个，已评分{' '}
        {total.assessed} 个，其中合格 {total.pass} 个、不合格 {total.fail} 个，合格率 {passRate(total)}
        ，平均分 {total.averageScore ?? '—'}。结论来自网站自查 {total.bySource.SELF} 个、检查打分{' '}
        {total.bySource.INSPECTION} 个（检查结论优先于自查结论）。
        {table.vetoes.some((veto) => total.byVeto[veto.key]) &&
          `触发单项否决的：${table.vetoes
            .filter((veto) => total.byVeto[veto.key])
            .map((veto) => `${veto.name} ${total.byVeto[veto.key]} 个`)
            .join('，')}。`}
      </p>
      <h2 className="print-subtitle">一、各地区、各单位评分情况</h2>
      <AssessmentTable data={table} />
      <h2 className="print-subtitle">
        二、不合格网站名单（{failures.total} 个
        {failures.total > failures.items.length ? `，列出前 ${failures.items.length} 个` : ''}）
      </h2>
      {failures.items.length === 0 ? (
        <p>无。</p>
      ) : (
        <table className="print-table" data-testid="report-failures">
          <thead>
            <tr>
              <th>网站标识码</th>
              <th>网站名称</th>
              <th>结论来源</th>
              <th>得分</th>
              <th>原因</th>
            </tr>
          </thead>
          <tbody>
            {failures.items.map((failure) => (
              <tr key={failure.siteCode}>
                <td>{failure.siteCode}</td>
                <td>{failure.siteName}</td>
                <td>{failure.sourceLabel}</td>
                <td>{failure.score ?? '—'}</td>
                <td>
                  <FailureReasons failure={failure} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="print-foot">打印时间 {beijingTime(new Date().toISOString())}</p>
    </article>
  );
}
