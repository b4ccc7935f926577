import { useMemo, useState } from 'react';
import { downloadFile, get } from '../../api';
import { beijingTime } from '../../format';
import { go } from '../../router';
import { Busy, ErrorNote, Pager, useAction, useLoad } from '../../ui';
import { AssessmentChart } from './AssessmentChart';
import { AssessmentCounts, AssessmentFailure, AssessmentStatsTable, passRate } from './types';

const FAILURES_PAGE = 20;

function CountCells({ counts, vetoes }: { counts: AssessmentCounts; vetoes: AssessmentStatsTable['vetoes'] }) {
  return (
    <>
      <td className="num">{counts.sites}</td>
      <td className="num">{counts.assessed}</td>
      <td className="num">{counts.pass}</td>
      <td className="num">{counts.fail}</td>
      <td className="num">{passRate(counts)}</td>
      <td className="num">{counts.averageScore ?? '—'}</td>
      <td className="num">{counts.bySource.SELF}</td>
      <td className="num">{counts.bySource.INSPECTION}</td>
      {vetoes.map((veto) => (
        <td key={veto.key} className="num">
          {counts.byVeto[veto.key] ?? 0}
        </td>
      ))}
    </>
  );
}

/** The per-unit table (children, 本级, 合计): shared by the screen and the printable 通报. */
export function AssessmentTable({ data, onOpen }: { data: AssessmentStatsTable; onOpen?: (id: string) => void }) {
  return (
    <table className="forms stats print-table" data-testid="assessment-table">
      <thead>
        <tr>
          {['地区/单位', '网站数', '已评分', '合格', '不合格', '合格率', '平均分', '自查结论', '检查结论'].map(
            (label) => (
              <th key={label} rowSpan={2}>
                {label}
              </th>
            ),
          )}
          <th colSpan={data.vetoes.length}>单项否决（网站数）</th>
        </tr>
        <tr>
          {data.vetoes.map((veto) => (
            <th key={veto.key}>{veto.name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.children.map((row) => (
          <tr key={row.orgUnitId} data-unit={row.name}>
            <td>
              {onOpen ? (
                <button className="link" onClick={() => onOpen(row.orgUnitId)} title="查看其下级单位">
                  {row.name}
                </button>
              ) : (
                row.name
              )}
            </td>
            <CountCells counts={row} vetoes={data.vetoes} />
          </tr>
        ))}
        {(data.own.sites > 0 || data.own.assessed > 0) && (
          <tr className="own">
            <td>{data.unit.name}（本级）</td>
            <CountCells counts={data.own} vetoes={data.vetoes} />
          </tr>
        )}
        <tr className="total">
          <td>合计</td>
          <CountCells counts={data.total} vetoes={data.vetoes} />
        </tr>
      </tbody>
    </table>
  );
}

/** One 不合格 site's reasons: the vetoes, then the notes and evidence links behind them. */
export function FailureReasons({ failure }: { failure: AssessmentFailure }) {
  return (
    <>
      {failure.vetoes.length > 0 ? `单项否决：${failure.vetoes.map((veto) => veto.name).join('、')}` : '得分低于合格线'}
      {failure.evidence
        .filter((entry) => entry.note || entry.evidenceUrl)
        .map((entry) => (
          <div key={entry.key} className="muted">
            {entry.name}
            {entry.note ? `：${entry.note}` : ''}{' '}
            {entry.evidenceUrl && (
              <a href={entry.evidenceUrl} target="_blank" rel="noopener noreferrer">
                证据
              </a>
            )}
          </div>
        ))}
    </>
  );
}

/**
 * 评分统计 (#/assessment[/<unit>]): the official verdicts per child region (GET
 * /assessment/stats), a chart, the 不合格 sites with why (GET /assessment/failures), 导出 Excel
 * and the printable 通报 (#/assessment/report).
 */
export function AssessmentStats({ unitId }: { unitId?: string }) {
  const query = unitId ? `?orgUnitId=${unitId}` : '';
  const table = useLoad(() => get<AssessmentStatsTable>(`/assessment/stats${query}`), [unitId]);
  const [page, setPage] = useState(1);
  const failures = useLoad(
    () =>
      get<{ items: AssessmentFailure[]; total: number }>(
        `/assessment/failures?${unitId ? `orgUnitId=${unitId}&` : ''}page=${page}&pageSize=${FAILURES_PAGE}`,
      ),
    [unitId, page],
  );
  const action = useAction();
  const data = table.data;
  const chartRows = useMemo(
    () =>
      (data?.children ?? []).map((row) => ({
        name: row.name,
        pass: row.pass,
        fail: row.fail,
        unassessed: Math.max(0, row.sites - row.assessed),
      })),
    [data],
  );
  return (
    <section>
      <h2>评分统计</h2>
      {data && data.path.length > 1 && (
        <nav className="crumbs" aria-label="单位路径">
          {data.path.map((link, index) => (
            <span key={link.orgUnitId}>
              {index > 0 && ' › '}
              {index < data.path.length - 1 ? (
                <button className="link" onClick={() => go(`assessment/${link.orgUnitId}`)}>
                  {link.name}
                </button>
              ) : (
                link.name
              )}
            </span>
          ))}
        </nav>
      )}
      {table.loading && !data && <Busy />}
      <ErrorNote message={table.error ?? action.error} />
      {data && (
        <>
          <p className="muted" data-testid="assessment-summary">
            {data.unit.name}辖区共 {data.total.sites} 个网站，已评分 {data.total.assessed} 个：合格 {data.total.pass}{' '}
            个，不合格 {data.total.fail} 个，合格率 {passRate(data.total)}，平均分 {data.total.averageScore ?? '—'}。
          </p>
          <div className="actions">
            <button
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await downloadFile(`/assessment/stats/export${query}`, `${data.unit.name}评分统计.xlsx`);
                })
              }
            >
              导出
            </button>{' '}
            <button onClick={() => go(`assessment/report${unitId ? `/${unitId}` : ''}`)}>打印通报</button>
          </div>
          {data.children.length > 0 && <AssessmentChart rows={chartRows} />}
          <AssessmentTable data={data} onOpen={(id) => go(`assessment/${id}`)} />
        </>
      )}
      <h3>不合格网站</h3>
      <ErrorNote message={failures.error} />
      {failures.data && failures.data.items.length === 0 && <p className="muted">没有不合格的网站。</p>}
      {failures.data && failures.data.items.length > 0 && (
        <>
          <table className="forms" data-testid="failures">
            <thead>
              <tr>
                <th>网站标识码</th>
                <th>网站名称</th>
                <th>结论来源</th>
                <th>得分</th>
                <th>原因与证据</th>
                <th>评定时间</th>
              </tr>
            </thead>
            <tbody>
              {failures.data.items.map((failure) => (
                <tr key={failure.siteCode}>
                  <td>{failure.siteCode}</td>
                  <td>{failure.siteName}</td>
                  <td>{failure.sourceLabel}</td>
                  <td className="num">{failure.score ?? '—'}</td>
                  <td>
                    <FailureReasons failure={failure} />
                  </td>
                  <td>{beijingTime(failure.decidedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={FAILURES_PAGE} total={failures.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
