import { RECORD_STATUS_LABELS, RecordStatus } from './statuses';

/** The three moves that change where a record waits. */
export type Move = 'submit' | 'approve' | 'return';

/** Everything a unit may try on one record: the moves, the owner's own changes, re-import. */
export type WorkflowAction = Move | 'edit' | 'delete' | 'reimport';

/** Where a record stands: who filed it (owner) and where it waits now (holder). */
export interface RecordPosition {
  status: RecordStatus;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
}

/**
 * One row of the rule table: the statuses in which the action is allowed and how the acting
 * unit must stand to the record. holder `self`: only the unit the record waits at; `any`:
 * wherever it waits. owner `self`: only the owner; `other`: any unit but the owner; `any`: either.
 */
export interface ActionRule {
  verb: string;
  statuses: readonly RecordStatus[];
  holder: 'self' | 'any';
  owner: 'self' | 'other' | 'any';
}

/**
 * THE workflow rules (docs/DOMAIN.md, Workflow). Review enforces them, the console shows
 * its buttons from them and the bulk actions select their records from them.
 * - edit/delete only while the record is back with its owner (the FAQ, item 21);
 * - re-import wherever the record waits, unless finally approved: it overwrites the content
 *   and keeps the status and holder (the FAQ, item 17).
 */
export const ACTION_RULES: Readonly<Record<WorkflowAction, ActionRule>> = {
  submit: { verb: '提交', statuses: ['DRAFT', 'RETURNED'], holder: 'self', owner: 'self' },
  approve: { verb: '审核', statuses: ['PENDING'], holder: 'self', owner: 'any' },
  return: { verb: '退回', statuses: ['PENDING', 'APPROVED', 'RETURNED'], holder: 'self', owner: 'other' },
  edit: { verb: '修改', statuses: ['DRAFT', 'RETURNED'], holder: 'self', owner: 'self' },
  delete: { verb: '删除', statuses: ['DRAFT', 'RETURNED'], holder: 'self', owner: 'self' },
  reimport: { verb: '重新导入', statuses: ['DRAFT', 'PENDING', 'RETURNED'], holder: 'any', owner: 'self' },
};

/**
 * Why a unit may not act: `not-owner` (only the owner may), `own-record` (the owner may not),
 * `not-holder` (the record waits elsewhere), `status` (not in this status).
 */
export type RefusalKind = 'not-owner' | 'own-record' | 'not-holder' | 'status';

export interface Refusal {
  kind: RefusalKind;
  message: string;
}

/** The reason `unitId` may not take `action` on `record`, or null when it may. */
export function refusal(action: WorkflowAction, record: RecordPosition, unitId: string | null): Refusal | null {
  const rule = ACTION_RULES[action];
  const owns = record.ownerOrgUnitId === unitId;
  // "Only the owner" is about who the unit is, so it is answered first; "not the owner" is
  // about the record's state at its owner, so after holder and status.
  if (rule.owner === 'self' && !owns) return { kind: 'not-owner', message: message(action, 'not-owner', record) };
  if (rule.holder === 'self' && record.holderOrgUnitId !== unitId)
    return { kind: 'not-holder', message: message(action, 'not-holder', record) };
  if (!rule.statuses.includes(record.status)) return { kind: 'status', message: message(action, 'status', record) };
  if (rule.owner === 'other' && owns) return { kind: 'own-record', message: message(action, 'own-record', record) };
  return null;
}

export function mayAct(action: WorkflowAction, record: RecordPosition, unitId: string | null): boolean {
  return refusal(action, record, unitId) === null;
}

function message(action: WorkflowAction, kind: RefusalKind, record: RecordPosition): string {
  const { verb } = ACTION_RULES[action];
  const label = RECORD_STATUS_LABELS[record.status];
  if (action === 'reimport') {
    return kind === 'not-owner'
      ? '该网站的表单编号已由其他单位导入，不能覆盖。每个网站一张表，请勿复制其他单位的表单'
      : '该网站信息已审核通过，须由审核单位退回后才能重新导入';
  }
  if (kind === 'not-owner') return `只有填报（导入）该记录的单位可以${verb}`;
  if (action === 'edit' || action === 'delete')
    return `记录状态为“${label}”，只有未提交或已退回到本单位的记录可以${verb}`;
  if (kind === 'not-holder') return `该记录当前不在本单位（状态：${label}），不能${verb}；可能已被处理，请刷新后查看`;
  if (kind === 'status') return `记录状态为“${label}”，不能${verb}`;
  return '本单位填报的记录不能退回；如需修改，请直接修改后提交';
}

/** Which of a record's buttons a unit gets (the server checks every action again). */
export function availableActions(record: RecordPosition, unitId: string | null) {
  return {
    submit: mayAct('submit', record, unitId),
    edit: mayAct('edit', record, unitId),
    remove: mayAct('delete', record, unitId),
    approve: mayAct('approve', record, unitId),
    return: mayAct('return', record, unitId),
  };
}

/**
 * For the owner, why 修改 is not offered and what it can do instead: editing waits until the
 * record is back with the owner, re-importing does not (it keeps the status). Null when the
 * unit may edit, or is not the owner.
 */
export function editUnavailableReason(record: RecordPosition, unitId: string | null): string | null {
  if (record.ownerOrgUnitId !== unitId || mayAct('edit', record, unitId)) return null;
  const reimport = '可在离线填报工具中修改后重新导入（覆盖内容，审核状态不变）';
  if (!mayAct('reimport', record, unitId)) return '该记录已审核通过，不能修改或重新导入；如需更正，请审核单位退回。';
  if (record.holderOrgUnitId === unitId)
    return `该记录已提交本单位终审（未审核），不能在线修改；如需更正，${reimport}。`;
  if (record.status === 'RETURNED')
    return `该记录已退回到上级单位，尚未退回本单位，不能在线修改；如需更正，${reimport}，或请该单位继续退回。`;
  return `该记录正在上级单位审核中，不能在线修改；如需更正，${reimport}，或请审核单位退回。`;
}
