import type { RecordStatus } from '@app/workflow';

/**
 * Where a record is, as a clerk reads it: who holds it and what it waits for. `holderName` is
 * the holding unit's name (null: not known, the status word alone).
 */
export function recordStatusText(status: RecordStatus, holderName: string | null): string {
  switch (status) {
    case 'DRAFT':
      return '未提交';
    case 'PENDING':
      return holderName ? `待 ${holderName} 审核` : '未审核';
    case 'RETURNED':
      return holderName ? `已退回，待 ${holderName} 处理` : '已退回';
    case 'APPROVED':
      return '已审核';
  }
}

/** What a history sentence needs: the action, where it took the record, and the units' names. */
export interface HistoryWords {
  action: string;
  toStatus: RecordStatus | null;
  actorUnitName: string | null;
  actorUsername: string | null;
  toHolderName: string | null;
}

/** One 流转历史 row as a sentence: "秦皇岛市 审核通过，报送 河北省". */
export function historySentence(entry: HistoryWords): string {
  const who = entry.actorUnitName ?? entry.actorUsername ?? '系统';
  const to = entry.toHolderName;
  switch (entry.action) {
    case 'import':
      return `${who} 导入记录`;
    case 'reimport':
      return `${who} 重新导入，更新内容`;
    case 'edit':
      return `${who} 修改内容`;
    case 'submit':
      return to ? `${who} 提交，报送 ${to} 审核` : `${who} 提交`;
    case 'approve':
      return entry.toStatus === 'APPROVED'
        ? `${who} 审核通过（终审），记录已审核`
        : to
          ? `${who} 审核通过，报送 ${to}`
          : `${who} 审核通过`;
    case 'return':
      return to ? `${who} 退回 ${to}` : `${who} 退回`;
    case 'delete':
      return `${who} 删除记录`;
    default:
      return `${who} ${entry.action}`;
  }
}
