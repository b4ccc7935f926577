import { FormEvent, useEffect, useState } from 'react';
import { bulkSelection } from '@app/workflow';
import { get, KeysetPage, Page, post } from '../api';
import { beijingTime, STATUS_LABELS } from '../format';
import { go, takeFlash } from '../router';
import { Me } from '../session';
import { Busy, Dialog, ErrorNote, Pager, Tabs, useAction, useLoad } from '../ui';
import { ExportRecords } from './ExportRecords';
import { Lifecycle, LIFECYCLE_LABELS, LifecycleBadge, REQUEST_LABELS, RequestKind } from './RecordLifecycle';

interface Row {
  id: string;
  siteName: string;
  homepageUrl: string;
  status: string;
  regionName: string;
  siteCode: string | null;
  updatedAt: string;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
  lifecycle?: Lifecycle;
  requestKind?: RequestKind | null;
  requestKindLabel?: string | null;
  /** Where the record is, in words ("待 秦皇岛市 审核"). */
  statusText: string;
}
type ListPage = KeysetPage<Row> & { counts: Record<Status, number> };
interface Child {
  id: string;
  name: string;
}

const TABS = ['DRAFT', 'PENDING', 'APPROVED', 'RETURNED'] as const;
type Status = (typeof TABS)[number];
const PAGE_SIZE = 20;
type Bulk = { kind: 'submit' | 'review'; count: number };

export function Records({ me }: { me: Me }) {
  // A unit with children mostly reviews: it opens on 未审核; a leaf unit on its own 未提交.
  const [status, setStatus] = useState<Status>(() => ((me.orgUnit?.childCount ?? 0) > 0 ? 'PENDING' : 'DRAFT'));
  const reviews = (me.orgUnit?.childCount ?? 0) > 0;
  const [region, setRegion] = useState('');
  const children = useLoad(
    () =>
      reviews
        ? get<Page<Child>>(`/org-units/${me.orgUnitId}/children?pageSize=200`).then((page) => page.items)
        : Promise.resolve([] as Child[]),
    [],
  );
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  // Keyset paging: afters[i] is where page i + 1 starts (the `next` of the page before it).
  const [afters, setAfters] = useState<string[]>([]);
  const page = afters.length + 1;
  const setPage = (to: number) => {
    if (to <= 1) setAfters([]);
    else if (to < page) setAfters(afters.slice(0, to - 1));
    else if (to === page + 1 && list.data?.next) setAfters([...afters, list.data.next]);
  };
  const [lifecycle, setLifecycle] = useState<Lifecycle | ''>('');
  const [requestKind, setRequestKind] = useState<RequestKind | ''>('');
  const [bulk, setBulk] = useState<Bulk | null>(null);
  const [done, setDone] = useState<string | null>(takeFlash);
  const action = useAction();
  const after = afters.length ? `&after=${encodeURIComponent(afters[afters.length - 1])}` : '';
  const within = region ? `&orgUnitId=${region}` : '';
  const filters = `${lifecycle ? `&lifecycle=${lifecycle}` : ''}${requestKind ? `&requestKind=${requestKind}` : ''}`;
  const params = `status=${status}&q=${encodeURIComponent(search)}&pageSize=${PAGE_SIZE}${filters}${after}${within}`;
  const list = useLoad(() => get<ListPage>(`/forms?${params}`), [params]);
  // The tabs' counts stay while the next page loads.
  const [counts, setCounts] = useState<Record<Status, number> | null>(null);
  useEffect(() => {
    if (list.data) setCounts(list.data.counts);
  }, [list.data]);

  const find = (event: FormEvent) => {
    event.preventDefault();
    setPage(1);
    setSearch(query.trim());
  };

  /** The counts in the confirmation come from the same rules the server applies. */
  const askBulk = (kind: Bulk['kind']) =>
    action.run(async () => {
      // Both selections are "held by this unit, in these statuses" (a DRAFT record is only ever
      // held by its owner, so the held drafts are exactly the owned ones 全部提交 submits).
      const selection = bulkSelection(kind === 'submit' ? 'submitAll' : 'reviewAll');
      const rows = await get<Page<Row>>(`/forms?status=${selection.statuses.join(',')}&scope=held&pageSize=1`);
      setBulk({ kind, count: rows.total });
    });

  const runBulk = () =>
    action.run(async () => {
      const kind = bulk!.kind;
      setBulk(null);
      if (kind === 'submit') {
        const result = await post<{ submitted: number }>('/forms/submit-all');
        setDone(`已提交 ${result.submitted} 条记录`);
      } else {
        const result = await post<{ approved: number; forwarded: number }>('/forms/review-all');
        setDone(
          `已审核 ${result.approved + result.forwarded} 条记录（终审通过 ${result.approved} 条，报上级 ${result.forwarded} 条）`,
        );
      }
      list.reload();
    });

  return (
    <section>
      <h2>报送记录</h2>
      <Tabs
        id="records"
        label="记录状态"
        tabs={TABS}
        labels={STATUS_LABELS}
        counts={counts}
        selected={status}
        onSelect={(tab) => {
          setStatus(tab);
          setPage(1);
          setDone(null);
        }}
      >
        <div className="toolbar">
          <form onSubmit={find} className="toolbar" role="search">
            <input
              aria-label="按网站名称或网址搜索"
              placeholder="网站名称或网址"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
            <button type="submit">搜索</button>
          </form>
          {reviews && (
            <label>
              地区/单位{' '}
              <select
                aria-label="按地区或下级单位筛选"
                value={region}
                onChange={(e) => {
                  setRegion(e.target.value);
                  setPage(1);
                }}
              >
                <option value="">全部（本单位及下级）</option>
                {children.data?.map((child) => (
                  <option key={child.id} value={child.id}>
                    {child.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <select
            aria-label="网站运行状态"
            value={lifecycle}
            onChange={(e) => {
              setLifecycle(e.target.value as Lifecycle | '');
              setPage(1);
            }}
          >
            <option value="">全部运行状态</option>
            {Object.entries(LIFECYCLE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <select
            aria-label="申请类型"
            value={requestKind}
            onChange={(e) => {
              setRequestKind(e.target.value as RequestKind | '');
              setPage(1);
            }}
          >
            <option value="">全部申请类型</option>
            {Object.entries(REQUEST_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}申请
              </option>
            ))}
          </select>
          <span className="separator" />
          <button onClick={() => askBulk('submit')} disabled={action.busy}>
            全部提交
          </button>
          {/* A unit without children never has anything waiting for its review. */}
          {reviews && (
            <button onClick={() => askBulk('review')} disabled={action.busy}>
              全部审核
            </button>
          )}
          <span className="separator" />
          <ExportRecords
            status={status}
            search={search}
            region={region}
            lifecycle={lifecycle}
            requestKind={requestKind}
          />
        </div>
        {done && (
          <div className="notice notice-success" role="status">
            {done}
          </div>
        )}
        <ErrorNote message={action.error ?? list.error} />
        {list.loading && <Busy />}
        {list.data &&
          (list.data.items.length === 0 ? (
            <div className="empty">
              {search
                ? `没有找到与“${search}”相关的${STATUS_LABELS[status]}记录`
                : `没有${STATUS_LABELS[status]}的记录`}
            </div>
          ) : (
            <table className="forms">
              <thead>
                <tr>
                  <th>网站名称</th>
                  <th>首页网址</th>
                  <th>地区/部门</th>
                  <th>状态</th>
                  <th>网站标识码</th>
                  <th>申请</th>
                  <th>运行状态</th>
                  <th>更新时间（北京时间）</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <a href={`#/records/${row.id}`}>{row.siteName}</a>
                    </td>
                    <td className="url">{row.homepageUrl}</td>
                    <td>{row.regionName}</td>
                    <td className={`status-${row.status}`}>{row.statusText ?? STATUS_LABELS[row.status]}</td>
                    <td>{row.siteCode ?? '—'}</td>
                    <td className="request-kind">{row.requestKindLabel ? `${row.requestKindLabel}申请` : ''}</td>
                    <td>{row.siteCode ? <LifecycleBadge lifecycle={row.lifecycle} /> : ''}</td>
                    <td>{beijingTime(row.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        {list.data && list.data.total > 0 && (
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            total={list.data.total}
            totalExact={list.data.totalExact}
            hasNext={list.data.next !== null}
            onPage={setPage}
          />
        )}
      </Tabs>
      {bulk && (
        <Dialog title={bulk.kind === 'submit' ? '全部提交' : '全部审核'} onClose={() => setBulk(null)}>
          {bulk.count === 0 ? (
            <p>当前没有可以{bulk.kind === 'submit' ? '提交' : '审核'}的记录。</p>
          ) : (
            <p data-testid="bulk-count">
              {bulk.kind === 'submit'
                ? `将把本单位填报的 ${bulk.count} 条未提交记录提交到上级单位审核。`
                : `将审核通过待本单位审核的 ${bulk.count} 条记录。`}
              确定继续吗？
            </p>
          )}
          <div className="actions">
            {bulk.count > 0 && (
              <button className="primary" onClick={runBulk}>
                确定{bulk.kind === 'submit' ? '提交' : '审核'} {bulk.count} 条
              </button>
            )}
            <button onClick={() => setBulk(null)}>取消</button>
          </div>
        </Dialog>
      )}
      <p className="muted">
        点击网站名称查看内容、流转历史和可进行的操作。
        <button className="link" onClick={() => go('import')}>
          导入上报文件
        </button>
      </p>
    </section>
  );
}
