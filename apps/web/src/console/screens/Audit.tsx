import { FormEvent, useState } from 'react';
import { get, Page } from '../api';
import { beijingTime } from '../format';
import { Busy, ErrorNote, Pager, useLoad } from '../ui';

interface Entry {
  id: string;
  at: string;
  service: string;
  action: string;
  outcome: string;
  actorUsername: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
}
const OUTCOME: Record<string, string> = { success: '成功', denied: '拒绝', failure: '失败' };

/** Dates are picked as Beijing dates and sent with the +08:00 offset. */
export function Audit() {
  const [filters, setFilters] = useState({ actor: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const query = new URLSearchParams({ page: String(page), pageSize: '30' });
  if (applied.actor) query.set('actor', applied.actor.trim());
  if (applied.action) query.set('action', applied.action.trim());
  if (applied.from) query.set('from', `${applied.from}T00:00:00+08:00`);
  if (applied.to) query.set('to', `${applied.to}T23:59:59+08:00`);
  const list = useLoad(() => get<Page<Entry>>(`/admin/audit?${query}`), [query.toString()]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setPage(1);
    setApplied(filters);
  };

  return (
    <section>
      <h2>审计日志</h2>
      <form onSubmit={apply} className="toolbar" aria-label="筛选">
        <input
          aria-label="操作人账号"
          placeholder="操作人账号"
          value={filters.actor}
          onChange={(e) => setFilters({ ...filters, actor: e.target.value })}
        />
        <input
          aria-label="操作类型"
          placeholder="操作类型，如 record.approve"
          value={filters.action}
          onChange={(e) => setFilters({ ...filters, action: e.target.value })}
        />
        <label>
          从{' '}
          <input
            type="date"
            aria-label="开始日期"
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          />
        </label>
        <label>
          到{' '}
          <input
            type="date"
            aria-label="结束日期"
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </label>
        <button className="primary" type="submit">
          筛选
        </button>
      </form>
      <ErrorNote message={list.error} />
      {list.loading && <Busy />}
      {list.data?.items.length === 0 && <div className="empty">没有符合条件的审计记录</div>}
      {list.data && list.data.items.length > 0 && (
        <table className="forms">
          <thead>
            <tr>
              <th>时间（北京时间）</th>
              <th>操作人</th>
              <th>操作</th>
              <th>结果</th>
              <th>对象</th>
              <th>详情</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((e) => (
              <tr key={e.id}>
                <td>{beijingTime(e.at)}</td>
                <td>{e.actorUsername ?? '系统'}</td>
                <td>{e.action}</td>
                <td>{OUTCOME[e.outcome] ?? e.outcome}</td>
                <td className="url" title={e.targetId ?? undefined}>
                  {e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'}
                </td>
                <td className="url" title={e.details ? JSON.stringify(e.details, null, 1) : undefined}>
                  {e.details ? JSON.stringify(e.details) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.total > 0 && <Pager page={page} pageSize={30} total={list.data.total} onPage={setPage} />}
    </section>
  );
}
