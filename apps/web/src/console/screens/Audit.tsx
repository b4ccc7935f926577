import { FormEvent, useState } from 'react';
import { downloadFile, get } from '../api';
import { beijingDay, beijingTime, parseDay } from '../format';
import { Busy, DateInput, ErrorNote, Pager, useAction, useLoad } from '../ui';
import { ExportAudit } from './ExportAudit';

interface Entry {
  id: string;
  seq: number;
  at: string;
  action: string;
  actionName: string;
  outcomeName: string;
  actorName: string;
  targetName: string;
  summary: string;
}
interface AuditPage {
  items: Entry[];
  total: number;
  asOfSeq: number;
}
interface ActionName {
  code: string;
  name: string;
}
interface Verified {
  ok: boolean;
  checked: number;
  firstBroken: { entryId: string | null; seq: number; at: string | null; problem: string } | null;
  message: string;
}

const PAGE_SIZE = 30;
const PRESETS = [
  ['今天', 1],
  ['近7天', 7],
  ['近30天', 30],
] as const;

/**
 * The audit log in Chinese: filter by account, action (its Chinese name) and Beijing dates
 * (typed as 2026-12-01 whatever the browser's language, sent with the +08:00 offset); 校验
 * checks the hash chain; 导出 Excel exports what the filters select.
 */
export function Audit() {
  const [filters, setFilters] = useState({ actor: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [checked, setChecked] = useState(false);
  const [page, setPage] = useState(1);
  const [asOfSeq, setAsOfSeq] = useState<number | null>(null);
  const [verified, setVerified] = useState<Verified | null>(null);
  const actions = useLoad(() => get<ActionName[]>('/admin/audit/actions'), []);
  const check = useAction();
  const exporting = useAction();

  const filter = new URLSearchParams();
  if (applied.actor) filter.set('actor', applied.actor.trim());
  if (applied.action) filter.set('action', applied.action);
  if (applied.from) filter.set('from', `${applied.from}T00:00:00+08:00`);
  if (applied.to) filter.set('to', `${applied.to}T23:59:59+08:00`);
  const query = new URLSearchParams(filter);
  query.set('page', String(page));
  query.set('pageSize', String(PAGE_SIZE));
  // Later pages of one listing stay on the entries the first page saw.
  if (page > 1 && asOfSeq !== null) query.set('asOfSeq', String(asOfSeq));
  const list = useLoad(async () => {
    const loaded = await get<AuditPage>(`/admin/audit?${query}`);
    if (page === 1) setAsOfSeq(loaded.asOfSeq);
    return loaded;
  }, [query.toString()]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const [from, to] = [filters.from, filters.to].map((text) => (text.trim() ? parseDay(text) : ''));
    // A malformed date filters nothing: the field says why, the list stays as it was.
    setChecked(from === null || to === null);
    if (from === null || to === null) return;
    const typed = { ...filters, from, to };
    setFilters(typed);
    setPage(1);
    setApplied(typed);
  };
  const verify = () =>
    check.run(async () => {
      setVerified(null);
      setVerified(await get<Verified>('/admin/audit/verify'));
    });
  const exportExcel = () =>
    exporting.run(async () => {
      await downloadFile(`/admin/audit/export?${filter}`, '审计日志.xlsx');
    });

  return (
    <section>
      <h2>审计日志</h2>
      <form onSubmit={apply} className="toolbar" aria-label="筛选" noValidate>
        <input
          aria-label="操作人账号"
          placeholder="操作人账号"
          value={filters.actor}
          onChange={(e) => setFilters({ ...filters, actor: e.target.value })}
        />
        <select
          aria-label="操作类型"
          value={filters.action}
          onChange={(e) => setFilters({ ...filters, action: e.target.value })}
        >
          <option value="">全部操作</option>
          {actions.data?.map((a) => (
            <option key={a.code} value={a.code}>
              {a.name}
            </option>
          ))}
        </select>
        <label>
          从{' '}
          <DateInput
            label="开始日期"
            value={filters.from}
            checked={checked}
            onChange={(from) => setFilters({ ...filters, from })}
          />
        </label>
        <label>
          到{' '}
          <DateInput
            label="结束日期"
            value={filters.to}
            checked={checked}
            onChange={(to) => setFilters({ ...filters, to })}
          />
        </label>
        <span className="presets" role="group" aria-label="常用时间范围">
          {PRESETS.map(([label, days]) => (
            <button
              key={label}
              type="button"
              onClick={() => {
                const range = { ...filters, from: beijingDay(-(days - 1)), to: beijingDay(0) };
                setFilters(range);
                setPage(1);
                setApplied(range);
              }}
            >
              {label}
            </button>
          ))}
        </span>
        <button className="primary" type="submit">
          筛选
        </button>
        <button type="button" onClick={exportExcel} disabled={exporting.busy}>
          {exporting.busy ? '正在导出…' : '导出 Excel'}
        </button>
        <button type="button" onClick={verify} disabled={check.busy} title="校验审计日志的哈希链是否完整、未被改动">
          {check.busy ? '正在校验…' : '校验'}
        </button>
      </form>
      <ErrorNote message={check.error ?? exporting.error ?? actions.error} />
      <ExportAudit filter={filter} />
      {verified?.ok && (
        <div className="notice notice-success" role="status" data-testid="audit-verify">
          {verified.message}
        </div>
      )}
      {verified && !verified.ok && verified.firstBroken && (
        <div className="notice notice-error" role="alert" data-testid="audit-verify">
          {verified.message}
          <br />
          第一处断链：序号 {verified.firstBroken.seq}
          {verified.firstBroken.at && `，时间 ${beijingTime(verified.firstBroken.at)}`}
          {verified.firstBroken.entryId && `，记录 ${verified.firstBroken.entryId}`}
        </div>
      )}
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
                <td title={`序号 ${e.seq}`}>{beijingTime(e.at)}</td>
                <td>{e.actorName}</td>
                <td title={e.action}>{e.actionName}</td>
                <td>{e.outcomeName}</td>
                <td>{e.targetName}</td>
                <td>{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.total > 0 && (
        <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
      )}
    </section>
  );
}
