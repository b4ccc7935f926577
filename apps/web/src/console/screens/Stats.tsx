import { useMemo, useState } from 'react';
import { api, downloadFile, get, post } from '../api';
import { beijingTime } from '../format';
import { go } from '../router';
import { Me } from '../session';
import { Busy, Dialog, ErrorNote, useAction, useLoad } from '../ui';
import { StatsChart } from './StatsChart';

type Status = 'DRAFT' | 'PENDING' | 'APPROVED' | 'RETURNED';
type Lifecycle = 'ACTIVE' | 'CLOSED' | 'DEREGISTERED';

interface Counts {
  websites: number;
  byStatus: Record<Status, number>;
  byLifecycle: Record<Lifecycle, number>;
  lastActivityAt: string | null;
}

interface Row extends Counts {
  orgUnitId: string;
  code: string;
  name: string;
  childCount: number;
  zeroReport: boolean;
  reported: boolean;
}

interface Table {
  unit: Row;
  path: Array<{ orgUnitId: string; name: string }>;
  own: Counts;
  children: Row[];
  total: Counts;
  canDeclareZeroReport: boolean;
}

interface Reminders {
  sent: Array<{ orgUnitId: string; name: string; mailed: boolean }>;
  skipped: Array<{ orgUnitId: string; name: string | null; message: string }>;
}

/** A share of the websites as a bar with its percentage. */
function Progress({ part, whole, label }: { part: number; whole: number; label: string }) {
  const percent = whole > 0 ? Math.round((part / whole) * 100) : 0;
  return (
    <div className="progress" title={`${label} ${part}/${whole}`}>
      <span className="progress-bar" style={{ width: `${percent}%` }} />
      <span className="progress-text">
        {label} {percent}%
      </span>
    </div>
  );
}

function CountCells({ counts }: { counts: Counts }) {
  return (
    <>
      <td className="num">{counts.websites}</td>
      <td className="num">{counts.byStatus.DRAFT}</td>
      <td className="num">{counts.byStatus.PENDING}</td>
      <td className="num">{counts.byStatus.APPROVED}</td>
      <td className="num">{counts.byStatus.RETURNED}</td>
      <td className="num">{counts.byLifecycle.ACTIVE}</td>
      <td className="num">{counts.byLifecycle.CLOSED}</td>
      <td className="num">{counts.byLifecycle.DEREGISTERED}</td>
    </>
  );
}

function Shares({ counts }: { counts: Counts }) {
  return (
    <td className="shares">
      <Progress part={counts.websites - counts.byStatus.DRAFT} whole={counts.websites} label="已报送" />
      <Progress part={counts.byStatus.APPROVED} whole={counts.websites} label="已审核" />
    </td>
  );
}

function reportWord(row: Row): string {
  if (row.zeroReport) return '零报送';
  return row.reported ? '已报送' : '未报送';
}

/**
 * 统计: the unit's children, one row each (their whole subtree), 本级 and 合计; click a child
 * to see its children (the path above leads back); 催报 for the selected children; 导出; and,
 * on the unit's own page, 零报送 when it has no website.
 */
export function Stats({ me, unitId }: { me: Me; unitId?: string }) {
  const table = useLoad(() => get<Table>(`/stats/units${unitId ? `?orgUnitId=${unitId}` : ''}`), [unitId]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [zeroDialog, setZeroDialog] = useState(false);
  const [result, setResult] = useState<Reminders | null>(null);
  const action = useAction();
  const data = table.data;
  const chartRows = useMemo(() => (data?.children ?? []).map((row) => ({ name: row.name, ...row.byStatus })), [data]);
  const own = data?.unit.orgUnitId === me.orgUnitId;
  const chosen = data?.children.filter((row) => selected.has(row.orgUnitId)) ?? [];
  const notReported = data?.children.filter((row) => !row.reported).length ?? 0;

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const open = (id: string) => {
    setSelected(new Set());
    setResult(null);
    go(id === me.orgUnitId ? 'stats' : `stats/${id}`);
  };

  return (
    <section>
      <h2>统计分析</h2>
      {data && (
        <nav className="crumbs" aria-label="单位路径">
          {data.path.map((link, index) => (
            <span key={link.orgUnitId}>
              {index > 0 && ' › '}
              {index < data.path.length - 1 ? (
                <a href={link.orgUnitId === me.orgUnitId ? '#/stats' : `#/stats/${link.orgUnitId}`}>{link.name}</a>
              ) : (
                <strong>{link.name}</strong>
              )}
            </span>
          ))}
        </nav>
      )}
      <ErrorNote message={action.error ?? table.error} />
      {table.loading && !data && <Busy />}
      {data && own && (data.unit.zeroReport || data.canDeclareZeroReport) && (
        <div className="notice" data-testid="zero-report">
          {data.unit.zeroReport ? (
            <>
              本单位已声明<strong>零报送</strong>（没有政府网站），计为已报送。导入或新建网站信息后自动撤回。{' '}
              <button
                disabled={action.busy}
                onClick={() =>
                  action.run(async () => {
                    await api('DELETE', `/org-units/${me.orgUnitId}/zero-report`);
                    table.reload();
                  })
                }
              >
                撤回零报送
              </button>
            </>
          ) : (
            <>
              本单位还没有任何网站信息。如本单位确实没有政府网站，请声明零报送，上级即可知道本单位无需报送。{' '}
              <button className="primary" disabled={action.busy} onClick={() => setZeroDialog(true)}>
                声明零报送
              </button>
            </>
          )}
        </div>
      )}
      {data && (
        <>
          <p className="muted" data-testid="stats-summary">
            {data.unit.name}辖区共 {data.total.websites} 个网站，已审核 {data.total.byStatus.APPROVED} 个
            {data.children.length > 0 && `；${data.children.length} 个下级单位中 ${notReported} 个未报送`}。
          </p>
          <div className="actions">
            <button
              className="primary"
              disabled={chosen.length === 0 || action.busy}
              onClick={() => {
                setResult(null);
                setConfirming(true);
              }}
            >
              催报{chosen.length > 0 ? `（${chosen.length}）` : ''}
            </button>{' '}
            <button
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await downloadFile(
                    `/stats/units/export${unitId ? `?orgUnitId=${unitId}` : ''}`,
                    `${data.unit.name}统计.xlsx`,
                  );
                })
              }
            >
              导出
            </button>
          </div>
          {result && (
            <div className="notice" role="status" data-testid="remind-result">
              已催报 {result.sent.length} 个单位
              {result.sent.length > 0 && `：${result.sent.map((s) => s.name).join('、')}`}
              {result.skipped.length > 0 &&
                `；未催报 ${result.skipped.length} 个：${result.skipped.map((s) => `${s.name ?? s.orgUnitId}（${s.message}）`).join('、')}`}
              。
            </div>
          )}
          {data.children.length > 0 && <StatsChart rows={chartRows} />}
          <table className="forms stats">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label="选择全部未报送的单位"
                    checked={
                      notReported > 0 && data.children.every((row) => row.reported || selected.has(row.orgUnitId))
                    }
                    onChange={(event) =>
                      setSelected(
                        event.target.checked
                          ? new Set(data.children.filter((row) => !row.reported).map((row) => row.orgUnitId))
                          : new Set(),
                      )
                    }
                  />
                </th>
                <th>单位</th>
                <th>网站数</th>
                <th>未提交</th>
                <th>未审核</th>
                <th>已审核</th>
                <th>已退回</th>
                <th>运行中</th>
                <th>已关停</th>
                <th>已注销</th>
                <th>报送情况</th>
                <th>进度</th>
                <th>最近变动</th>
              </tr>
            </thead>
            <tbody>
              {data.children.map((row) => (
                <tr key={row.orgUnitId} className={row.reported ? undefined : 'unreported'} data-unit={row.name}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`选择${row.name}`}
                      checked={selected.has(row.orgUnitId)}
                      onChange={() => toggle(row.orgUnitId)}
                    />
                  </td>
                  <td>
                    {row.childCount > 0 ? (
                      <button className="link" onClick={() => open(row.orgUnitId)} title="查看其下级单位">
                        {row.name}
                      </button>
                    ) : (
                      row.name
                    )}
                  </td>
                  <CountCells counts={row} />
                  <td>{reportWord(row)}</td>
                  <Shares counts={row} />
                  <td>{beijingTime(row.lastActivityAt)}</td>
                </tr>
              ))}
              {data.own.websites > 0 && (
                <tr className="own">
                  <td />
                  <td>{data.unit.name}（本级）</td>
                  <CountCells counts={data.own} />
                  <td />
                  <Shares counts={data.own} />
                  <td>{beijingTime(data.own.lastActivityAt)}</td>
                </tr>
              )}
              <tr className="total">
                <td />
                <td>合计</td>
                <CountCells counts={data.total} />
                <td>{data.unit.zeroReport ? '零报送' : ''}</td>
                <Shares counts={data.total} />
                <td>{beijingTime(data.total.lastActivityAt)}</td>
              </tr>
            </tbody>
          </table>
          {data.children.length === 0 && <p className="muted">本单位没有下级单位。</p>}
        </>
      )}
      {confirming && (
        <Dialog title="确认催报" onClose={() => setConfirming(false)}>
          <p>将向以下 {chosen.length} 个单位发送站内通知，并给其联系人发邮件（每个单位每天至多催报一次）：</p>
          <ul data-testid="remind-list">
            {chosen.map((row) => (
              <li key={row.orgUnitId}>
                {row.name}（{reportWord(row)}，网站 {row.websites} 个）
              </li>
            ))}
          </ul>
          <div className="actions">
            <button
              className="primary"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  const answer = await post<Reminders>('/stats/reminders', {
                    orgUnitIds: chosen.map((r) => r.orgUnitId),
                  });
                  setResult(answer);
                  setSelected(new Set());
                  setConfirming(false);
                })
              }
            >
              确认催报
            </button>{' '}
            <button onClick={() => setConfirming(false)}>取消</button>
          </div>
        </Dialog>
      )}
      {zeroDialog && (
        <Dialog title="声明零报送" onClose={() => setZeroDialog(false)}>
          <p>确认本单位没有政府网站？声明后，本单位计为已报送；以后导入或新建网站信息时，声明自动撤回。</p>
          <div className="actions">
            <button
              className="primary"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await post(`/org-units/${me.orgUnitId}/zero-report`);
                  setZeroDialog(false);
                  table.reload();
                })
              }
            >
              确认声明
            </button>{' '}
            <button onClick={() => setZeroDialog(false)}>取消</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
