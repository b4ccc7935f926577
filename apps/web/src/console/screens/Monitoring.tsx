// 网站监测 of one site (the site's own console, and an approved record's page for units): per
// Beijing day the homepage's availability and why fetches failed, the newest publish date seen
// on it, blank columns, broken links, and what monitoring proposes for the score sheet (vetoes
// and deductions) with its evidence. Read from GET /sites/:siteCode/monitoring?from=&to=; where
// the server has nothing for the site (404) the panel says 暂无监测数据 — it never makes data up.
import { FormEvent, useState } from 'react';
import { ApiError, get } from '../api';
import type { MonitoringProposal } from '../assessment-types';
import { availabilityText, causeText, evidenceLines, failuresText } from '../monitoring-format';
import { beijingDay, parseDay } from '../format';
import { Busy, DateInput, ErrorNote, useLoad } from '../ui';

interface MonitoringColumn {
  name: string;
  url: string;
  category: string;
  ok: boolean;
  cause: string | null;
  newest: string | null;
  blank: boolean;
}
interface MonitoringDay {
  day: string;
  homepageProbes: number;
  homepageFailures: number;
  failuresByCause: Record<string, number>;
  availability: number | null;
  homepageNewest: string | null;
  columns: MonitoringColumn[];
  blankColumns: number;
  linksChecked: number;
  brokenLinks: number;
  broken: Array<{ url: string; cause: string; status?: number | null }>;
}
export interface MonitoringView {
  siteCode: string;
  siteName: string;
  /** Null while the site is not in the monitoring registry (not running, or not yet synced). */
  homepageUrl: string | null;
  monitored: boolean;
  probesPerDay: number;
  from: string;
  to: string;
  days: MonitoringDay[];
  proposals: MonitoringProposal[];
}

export function MonitoringPanel({ siteCode }: { siteCode: string }) {
  const [range, setRange] = useState(() => ({ from: beijingDay(-13), to: beijingDay() }));
  const [typed, setTyped] = useState(range);
  const [checked, setChecked] = useState(false);
  const loaded = useLoad(async () => {
    const query = new URLSearchParams(range).toString();
    try {
      return await get<MonitoringView>(`/sites/${encodeURIComponent(siteCode)}/monitoring?${query}`);
    } catch (error) {
      // No monitoring for this site (or none yet on this server): nothing to show, not a failure.
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }, [siteCode, range.from, range.to]);

  const search = (event: FormEvent) => {
    event.preventDefault();
    const [from, to] = [typed.from, typed.to].map((text) => (text.trim() ? parseDay(text) : ''));
    // A malformed date asks nothing of the server: the field says why.
    setChecked(from === null || to === null);
    if (from === null || to === null) return;
    setTyped({ from, to });
    setRange({ from, to });
  };

  return (
    <div className="monitoring" data-testid="monitoring-panel">
      <form className="filters" onSubmit={search} aria-label="监测日期" noValidate>
        <label>
          从 <DateInput value={typed.from} checked={checked} onChange={(from) => setTyped({ ...typed, from })} />
        </label>{' '}
        <label>
          到 <DateInput value={typed.to} checked={checked} onChange={(to) => setTyped({ ...typed, to })} />
        </label>{' '}
        <button type="submit">查询</button> <span className="muted">（北京时间日期）</span>
      </form>
      {loaded.loading && !loaded.data ? (
        <Busy />
      ) : loaded.error ? (
        <ErrorNote message={loaded.error} />
      ) : !loaded.data || loaded.data.days.length === 0 ? (
        <>
          <p className="empty" data-testid="monitoring-empty">
            暂无监测数据
          </p>
          {loaded.data && !loaded.data.monitored && (
            <p className="muted">该网站当前未纳入监测（网站未处于运行中，或尚未同步到监测）。</p>
          )}
        </>
      ) : (
        <MonitoringReport view={loaded.data} />
      )}
    </div>
  );
}

function MonitoringReport({ view }: { view: MonitoringView }) {
  const problemDays = view.days.filter((day) => day.columns.some((c) => c.blank || !c.ok) || day.broken.length > 0);
  return (
    <>
      <p>
        首页：
        {view.homepageUrl ? (
          <a href={view.homepageUrl} target="_blank" rel="noopener noreferrer">
            {view.homepageUrl}
          </a>
        ) : (
          '—'
        )}{' '}
        · {view.monitored ? `监测中，每天访问 ${view.probesPerDay} 次` : '当前未纳入监测'} · {view.from} 至 {view.to}
      </p>
      <table className="forms" aria-label="每日监测">
        <thead>
          <tr>
            <th>日期</th>
            <th className="num">首页访问</th>
            <th className="num">可用率</th>
            <th>打不开的原因</th>
            <th>首页最新信息日期</th>
            <th className="num">空白栏目</th>
            <th className="num">失效链接 / 抽查链接</th>
          </tr>
        </thead>
        <tbody>
          {view.days.map((day) => (
            <tr key={day.day}>
              <td>{day.day}</td>
              <td className="num">{day.homepageProbes}</td>
              <td className="num">{availabilityText(day)}</td>
              <td>{failuresText(day.failuresByCause)}</td>
              <td>{day.homepageNewest ?? '未发现发布日期'}</td>
              <td className="num">{day.blankColumns}</td>
              <td className="num">
                {day.brokenLinks} / {day.linksChecked}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problemDays.length > 0 && (
        <details className="monitoring-details">
          <summary>栏目与链接问题明细</summary>
          {problemDays.map((day) => (
            <div key={day.day}>
              <h4>{day.day}</h4>
              <ul>
                {day.columns
                  .filter((column) => column.blank || !column.ok)
                  .map((column) => (
                    <li key={`c-${column.url}`}>
                      栏目“{column.name}”：
                      {column.ok ? '空白栏目（有栏目无内容）' : `打不开（${causeText(column.cause)}）`}{' '}
                      <a href={column.url} target="_blank" rel="noopener noreferrer">
                        {column.url}
                      </a>
                    </li>
                  ))}
                {day.broken.map((link) => (
                  <li key={`b-${link.url}`}>
                    失效链接（{causeText(link.cause)}
                    {link.status ? `，HTTP ${link.status}` : ''}）：{link.url}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </details>
      )}
      <h3>监测建议（供自查和检查参考）</h3>
      {view.proposals.length === 0 ? (
        <p className="muted">监测未发现需要否决或扣分的问题。</p>
      ) : (
        <table className="forms" aria-label="监测建议">
          <thead>
            <tr>
              <th>指标</th>
              <th>类型</th>
              <th>建议填报</th>
              <th>依据</th>
              <th>证据</th>
            </tr>
          </thead>
          <tbody>
            {view.proposals.map((proposal) => (
              <tr key={proposal.key}>
                <td>{proposal.name}</td>
                <td>{proposal.kind === 'veto' ? '单项否决' : '扣分项'}</td>
                <td>{typeof proposal.value === 'boolean' ? (proposal.value ? '是' : '否') : proposal.value}</td>
                <td>{proposal.text}</td>
                <td>
                  <Evidence evidence={proposal.evidence} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A proposal's evidence, one labelled line per field (monitoring-format.ts). */
function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const lines = evidenceLines(evidence);
  if (lines.length === 0) return <>—</>;
  return (
    <dl className="evidence">
      {lines.map((line) => (
        <div key={line.label}>
          <dt>{line.label}</dt>
          <dd>
            {Array.isArray(line.value) ? (
              <ul>
                {line.value.map((entry, index) => (
                  <li key={index}>{entry}</li>
                ))}
              </ul>
            ) : (
              line.value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
