// Life after approval on the record page: the site's lifecycle (运行中 / 已关停 / 已注销), the
// request travelling the chain with a 变更's field-by-field diff beside the approved content,
// and the owner's buttons 申请变更 / 申请关停 / 申请恢复 / 申请注销 / 撤回申请. The server checks
// every request again (who, which state); these only hide what can never succeed.
import { useState } from 'react';
import { post } from '../api';
import { beijingTime, parseDay } from '../format';
import { go } from '../router';
import { DateInput, Dialog, ErrorNote, useAction } from '../ui';

export type Lifecycle = 'ACTIVE' | 'CLOSED' | 'DEREGISTERED';
export type RequestKind = 'CHANGE' | 'CLOSE' | 'REOPEN' | 'DEREGISTER';

export const LIFECYCLE_LABELS: Record<Lifecycle, string> = {
  ACTIVE: '运行中',
  CLOSED: '已关停',
  DEREGISTERED: '已注销',
};
export const REQUEST_LABELS: Record<RequestKind, string> = {
  CHANGE: '变更',
  CLOSE: '关停',
  REOPEN: '恢复',
  DEREGISTER: '注销',
};

export interface PendingRequest {
  kind: RequestKind;
  kindLabel: string;
  reason: string | null;
  expectedReopenDate: string | null;
  requestedAt: string;
  requestedBy: string | null;
  /** The filing unit's name (the gateway's; null when names are unavailable). */
  requestedByName?: string | null;
  changes?: Array<{ path: string; label: string; before: string; after: string }>;
}

export interface LifecycleFields {
  id: string;
  status: string;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
  finalReviewerOrgUnitId?: string;
  siteCode: string | null;
  lifecycle: Lifecycle;
  closedReason: string | null;
  expectedReopenDate: string | null;
  pendingRequest: PendingRequest | null;
}

/** The site's lifecycle in one line, as the printed 基本信息表 says it. */
export function lifecycleText(record: Pick<LifecycleFields, 'lifecycle' | 'closedReason' | 'expectedReopenDate'>) {
  const state = record.lifecycle ?? 'ACTIVE';
  if (state !== 'CLOSED') return LIFECYCLE_LABELS[state];
  const reason = record.closedReason ? `：${record.closedReason}` : '';
  return `已关停${reason}${record.expectedReopenDate ? `（预计 ${record.expectedReopenDate} 恢复）` : ''}`;
}

/** Who filed a pending request and when, as a clerk reads it. */
export function requestedText(pending: PendingRequest): string {
  return `${beijingTime(pending.requestedAt)} 由 ${pending.requestedByName ?? '填报单位'} 提出`;
}

export function LifecycleBadge({ lifecycle }: { lifecycle: Lifecycle | undefined }) {
  const state = lifecycle ?? 'ACTIVE';
  return (
    <span className={`lifecycle lifecycle-${state}`} data-testid="lifecycle">
      {LIFECYCLE_LABELS[state]}
    </span>
  );
}

type Asking = Exclude<RequestKind, 'CHANGE'> | null;

export function LifecyclePanel({
  record,
  unitId,
  onChanged,
}: {
  record: LifecycleFields;
  unitId: string | null;
  onChanged: (message: string) => void;
}) {
  const [asking, setAsking] = useState<Asking>(null);
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const [withdrawing, setWithdrawing] = useState(false);
  const action = useAction();
  const owner = record.ownerOrgUnitId === unitId;
  const pending = record.pendingRequest;
  const free = owner && record.siteCode !== null && record.status === 'APPROVED' && !pending;
  const live = record.lifecycle !== 'DEREGISTERED';
  const returnedChange =
    owner && pending?.kind === 'CHANGE' && record.status === 'RETURNED' && record.holderOrgUnitId === unitId;
  const returnedHere = owner && pending && record.status === 'RETURNED' && record.holderOrgUnitId === unitId;

  const file = (kind: Exclude<RequestKind, 'CHANGE'>) =>
    action.run(async () => {
      await post(`/forms/${record.id}/lifecycle-request`, {
        kind,
        reason: reason.trim(),
        ...(kind === 'CLOSE' ? { expectedReopenDate: parseDay(date) } : {}),
      });
      setAsking(null);
      setReason('');
      onChanged(`${REQUEST_LABELS[kind]}申请已提交，等待上级审核`);
    });
  const withdraw = () =>
    action.run(async () => {
      await post(`/forms/${record.id}/withdraw-request`);
      setWithdrawing(false);
      onChanged('申请已撤回');
    });

  return (
    <>
      {record.lifecycle === 'CLOSED' && (
        <p className="notice" role="note" data-testid="closed-note">
          网站已关停：{record.closedReason ?? ''}
          {record.expectedReopenDate ? `（预计 ${record.expectedReopenDate} 恢复）` : ''}
        </p>
      )}
      {record.lifecycle === 'DEREGISTERED' && (
        <p className="notice" role="note">
          网站已注销，记录只读；网站标识码 {record.siteCode} 不再分配给其他网站。
        </p>
      )}
      {pending && <PendingPanel pending={pending} />}
      <ErrorNote message={asking || withdrawing ? null : action.error} />
      {live && (free || returnedHere) && (
        <div className="actions" aria-label="网站变更、关停、注销">
          {(free || returnedChange) && (
            <button disabled={action.busy} onClick={() => go(`records/${record.id}/change`)}>
              {returnedChange ? '修改变更申请' : '申请变更'}
            </button>
          )}
          {free && record.lifecycle === 'ACTIVE' && (
            <button disabled={action.busy} onClick={() => setAsking('CLOSE')}>
              申请关停
            </button>
          )}
          {free && record.lifecycle === 'CLOSED' && (
            <button disabled={action.busy} onClick={() => setAsking('REOPEN')}>
              申请恢复
            </button>
          )}
          {free && (
            <button className="danger" disabled={action.busy} onClick={() => setAsking('DEREGISTER')}>
              申请注销
            </button>
          )}
        </div>
      )}
      {owner && pending && (
        <div className="actions">
          <button disabled={action.busy} onClick={() => setWithdrawing(true)}>
            撤回申请
          </button>
          <span className="muted">上级单位处理前可以撤回；撤回后记录恢复为已审核。</span>
        </div>
      )}
      {asking && (
        <Dialog title={`申请${REQUEST_LABELS[asking]}`} onClose={() => setAsking(null)}>
          {asking === 'DEREGISTER' && <p className="bad">注销后网站记录只读，不能恢复；网站标识码不再使用。</p>}
          <label className="row">
            <span>申请理由（必填）</span>
            <textarea rows={3} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </label>
          {asking === 'CLOSE' && (
            <label className="row">
              <span>预计恢复日期（必填）</span>
              <DateInput value={date} onChange={setDate} />
            </label>
          )}
          <ErrorNote message={action.error} />
          <div className="actions">
            <button
              className={asking === 'DEREGISTER' ? 'primary danger' : 'primary'}
              disabled={reason.trim().length < 2 || (asking === 'CLOSE' && !parseDay(date)) || action.busy}
              onClick={() => file(asking)}
            >
              提交申请
            </button>
            {/* 注销 is for good: its dialog opens on 取消. */}
            <button data-autofocus={asking === 'DEREGISTER' ? true : undefined} onClick={() => setAsking(null)}>
              取消
            </button>
          </div>
        </Dialog>
      )}
      {withdrawing && (
        <Dialog title="撤回申请" onClose={() => setWithdrawing(false)}>
          <p>确定撤回{pending ? REQUEST_LABELS[pending.kind] : ''}申请吗？</p>
          <ErrorNote message={action.error} />
          <div className="actions">
            <button className="primary" disabled={action.busy} onClick={withdraw}>
              确定撤回
            </button>
            <button data-autofocus onClick={() => setWithdrawing(false)}>
              取消
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function PendingPanel({ pending }: { pending: PendingRequest }) {
  return (
    <fieldset className="section" data-testid="pending-request">
      <legend>
        审核中的<span className="request-kind">{pending.kindLabel}</span>申请
      </legend>
      <p>
        {requestedText(pending)}
        {pending.reason ? `；理由：${pending.reason}` : ''}
        {pending.expectedReopenDate ? `；预计恢复日期：${pending.expectedReopenDate}` : ''}。
        终审通过前，下方仍显示已审核的当前内容。
      </p>
      {pending.changes && (
        <table className="forms diff" aria-label="变更内容对比">
          <thead>
            <tr>
              <th>项目</th>
              <th>当前（已审核）</th>
              <th>申请变更为</th>
            </tr>
          </thead>
          <tbody>
            {pending.changes.map((change) => (
              <tr key={change.path}>
                <td>{change.label}</td>
                <td className="before">{change.before || '（空）'}</td>
                <td className="after">{change.after || '（空）'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}
