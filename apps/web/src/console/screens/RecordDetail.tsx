import { useState } from 'react';
import { COLUMN_FIELDS, COLUMNS_LABEL, SECTIONS } from '@app/forms';
import { api, get, post } from '../api';
import { beijingTime, STATUS_LABELS } from '../format';
import { go, takeFlash } from '../router';
import { Me } from '../session';
import { Busy, Dialog, ErrorNote, useAction, useLoad } from '../ui';
import { availableActions, editUnavailableReason, RecordStatus } from '@app/workflow';
import { LifecycleBadge, LifecycleFields, LifecyclePanel } from './RecordLifecycle';
import { SitePanels } from './SiteAssessmentPanel';

type Detail = Record<string, unknown> & {
  id: string;
  status: RecordStatus;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
  siteCode: string | null;
  regionName: string;
  version: number;
  recordUpdatedAt: string;
  statusText?: string;
  lastReturn?: LastReturn | null;
} & LifecycleFields;
export interface LastReturn {
  at: string;
  reason: string;
  byOrgUnitName: string | null;
}
interface HistoryEntry {
  at: string;
  actionLabel: string;
  actorUsername: string | null;
  actorOrgUnitName?: string | null;
  description?: string;
  fromStatusLabel: string | null;
  toStatusLabel: string | null;
  reason: string | null;
}

export function RecordDetail({ id, me }: { id: string; me: Me }) {
  const record = useLoad(() => get<Detail>(`/forms/${id}`), [id]);
  const history = useLoad(() => get<HistoryEntry[]>(`/forms/${id}/history`), [id]);
  const [returning, setReturning] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(takeFlash);
  const action = useAction();

  const act = (verb: string, label: string, body?: unknown) =>
    action.run(async () => {
      await post(`/forms/${id}/${verb}`, body);
      setReturning(false);
      setDone(`${label}成功`);
      record.reload();
      history.reload();
    });

  if (record.loading && !record.data) return <Busy />;
  if (!record.data)
    return (
      <>
        <ErrorNote message={record.error} />
        <button onClick={() => go('records')}>← 返回列表</button>
      </>
    );
  const data = record.data;
  const can = availableActions(data, me.orgUnitId);
  // An approved site changes only through a request; a 注销 one not at all.
  const requested = data.pendingRequest !== null || data.lifecycle === 'DEREGISTERED';
  if (requested) can.edit = can.remove = false;
  const whyNoEdit =
    data.siteCode !== null && data.ownerOrgUnitId === me.orgUnitId ? null : editUnavailableReason(data, me.orgUnitId);
  const site = (data.site ?? {}) as Record<string, string>;

  return (
    <section>
      <div className="editor-head">
        <button onClick={() => go('records')}>← 返回列表</button>
        <h2>{site.siteName}</h2>
        <span className={`status-${data.status}`} data-testid="record-status">
          {data.statusText ?? STATUS_LABELS[data.status]}
        </span>
        <LifecycleBadge lifecycle={data.lifecycle} />
      </div>
      {data.lastReturn && <ReturnReason last={data.lastReturn} />}
      <dl className="fields">
        <dt>网站标识码</dt>
        <dd data-testid="site-code">{data.siteCode ?? '尚未分配（终审通过后分配）'}</dd>
        <dt>地区/部门</dt>
        <dd>{data.regionName}</dd>
        <dt>内容版本</dt>
        <dd>
          第 {data.version} 版，{beijingTime(data.recordUpdatedAt)}
        </dd>
      </dl>
      {done && (
        <div className="notice notice-success" role="status">
          {done}
        </div>
      )}
      <ErrorNote message={action.error} />
      <div className="actions" aria-label="可进行的操作">
        {can.submit && (
          <button className="primary" disabled={action.busy} onClick={() => act('submit', '提交')}>
            提交
          </button>
        )}
        {can.edit && (
          <button disabled={action.busy} onClick={() => go(`records/${id}/edit`)}>
            修改
          </button>
        )}
        {can.approve && (
          <button className="primary" disabled={action.busy} onClick={() => act('approve', '审核通过')}>
            审核通过
          </button>
        )}
        {can.return && (
          <button disabled={action.busy} onClick={() => setReturning(true)}>
            退回
          </button>
        )}
        {can.remove && (
          <button className="danger" disabled={action.busy} onClick={() => setDeleting(true)}>
            删除
          </button>
        )}
        {!Object.values(can).some(Boolean) && !whyNoEdit && data.siteCode === null && (
          <span className="muted">本单位当前不能对这条记录进行操作（记录不在本单位处理，或已审核）。</span>
        )}
        <button onClick={() => go(`records/${id}/print`)}>打印</button>
        {can.edit && <span className="muted">也可以在离线填报工具中修改后重新导入。</span>}
        {whyNoEdit && (
          <span className="muted" data-testid="edit-unavailable">
            {whyNoEdit}
          </span>
        )}
      </div>
      <LifecyclePanel
        record={data}
        unitId={me.orgUnitId}
        onChanged={(message) => {
          setDone(message);
          record.reload();
          history.reload();
        }}
      />
      {SECTIONS.map((section) => (
        <fieldset className="section" key={section.key}>
          <legend>{section.label}</legend>
          <dl className="fields">
            {section.fields.map((field) => {
              const value = ((data[section.key] ?? {}) as Record<string, string>)[field.key];
              const shown = field.options?.find((o) => o.value === value)?.label ?? value;
              return [<dt key={`${field.key}-t`}>{field.label}</dt>, <dd key={`${field.key}-d`}>{shown || '—'}</dd>];
            })}
          </dl>
        </fieldset>
      ))}
      <fieldset className="section">
        <legend>{COLUMNS_LABEL}</legend>
        <ColumnsTable columns={(data.columns ?? []) as Array<Record<string, string>>} />
      </fieldset>
      {data.siteCode && <SitePanels siteCode={data.siteCode} />}
      <h2>流转历史</h2>
      {history.error && <ErrorNote message={history.error} />}
      <table className="forms" aria-label="流转历史">
        <thead>
          <tr>
            <th>时间（北京时间）</th>
            <th>操作</th>
            <th>操作人</th>
            <th>状态变化</th>
            <th>理由</th>
          </tr>
        </thead>
        <tbody>
          {(history.data ?? []).map((entry, index) => (
            <tr key={index}>
              <td>{beijingTime(entry.at)}</td>
              <td>{entry.description ?? entry.actionLabel}</td>
              <td>{entry.actorOrgUnitName ?? entry.actorUsername ?? '系统'}</td>
              <td>
                {entry.fromStatusLabel && entry.fromStatusLabel !== entry.toStatusLabel
                  ? `${entry.fromStatusLabel} → ${entry.toStatusLabel ?? '—'}`
                  : (entry.toStatusLabel ?? '—')}
              </td>
              <td>{entry.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {returning && (
        <Dialog title="退回记录" onClose={() => setReturning(false)}>
          <label className="row">
            <span>退回理由（必填）</span>
            <textarea rows={4} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <ErrorNote message={action.error} />
          <div className="actions">
            <button
              className="primary"
              disabled={!reason.trim() || action.busy}
              onClick={() => act('return', '退回', { reason: reason.trim() })}
            >
              确定退回
            </button>
            <button onClick={() => setReturning(false)}>取消</button>
          </div>
        </Dialog>
      )}
      {deleting && (
        <Dialog title="删除记录" onClose={() => setDeleting(false)}>
          <p>确定删除《{site.siteName}》吗？删除后不能恢复。</p>
          <ErrorNote message={action.error} />
          <div className="actions">
            <button
              className="primary danger"
              disabled={action.busy}
              onClick={() =>
                action.run(async () => {
                  await api('DELETE', `/forms/${id}`);
                  go('records', `已删除《${site.siteName}》`);
                })
              }
            >
              确定删除
            </button>
            {/* A destructive dialog opens on 取消: Enter right after opening deletes nothing. */}
            <button data-autofocus onClick={() => setDeleting(false)}>
              取消
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/** 已退回: why, first thing on the record and in its editor. */
export function ReturnReason({ last }: { last: LastReturn }) {
  return (
    <div className="notice notice-error" role="note" data-testid="return-reason">
      <strong>退回理由</strong>（{last.byOrgUnitName ?? '上级单位'}，{beijingTime(last.at)}）：{last.reason}
    </div>
  );
}

/** The 栏目 as a table (the record's page, and the printable 基本信息表 with its own class). */
export function ColumnsTable({
  columns,
  className = 'forms',
  label,
}: {
  columns: Array<Record<string, string>>;
  className?: string;
  label?: string;
}) {
  if (columns.length === 0) return <p className="muted">没有填写栏目。</p>;
  return (
    <table className={className} aria-label={label}>
      <thead>
        <tr>
          <th>序号</th>
          {COLUMN_FIELDS.map((f) => (
            <th key={f.key}>{f.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {columns.map((column, index) => (
          <tr key={index}>
            <td>{index + 1}</td>
            {COLUMN_FIELDS.map((f) => (
              <td key={f.key}>{f.options?.find((o) => o.value === column[f.key])?.label ?? column[f.key]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
