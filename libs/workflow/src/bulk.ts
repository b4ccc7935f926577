import { ACTION_RULES, ActionRule, Move, RecordPosition, mayAct } from './rules';
import { RecordStatus } from './statuses';

export type BulkAction = 'submitAll' | 'reviewAll';

/**
 * 全部提交 submits the unit's 未提交 records (a record 已退回 to it is resubmitted one by one,
 * after reading why it came back); 全部审核 approves every record waiting for the unit's review.
 */
const BULK: Readonly<Record<BulkAction, { move: Move; statuses: readonly RecordStatus[] }>> = {
  submitAll: { move: 'submit', statuses: ['DRAFT'] },
  reviewAll: { move: 'approve', statuses: ['PENDING'] },
};

/** What a bulk action selects: its move's rule, narrowed to the bulk action's statuses. */
export interface BulkSelection {
  move: Move;
  statuses: RecordStatus[];
  holder: ActionRule['holder'];
  owner: ActionRule['owner'];
}

export function bulkSelection(action: BulkAction): BulkSelection {
  const { move, statuses } = BULK[action];
  const rule = ACTION_RULES[move];
  return {
    move,
    statuses: rule.statuses.filter((status) => statuses.includes(status)),
    holder: rule.holder,
    owner: rule.owner,
  };
}

/** The selection as a predicate on one record (the repository's WHERE says the same in SQL). */
export function selects(action: BulkAction, record: RecordPosition, unitId: string): boolean {
  const selection = bulkSelection(action);
  return selection.statuses.includes(record.status) && mayAct(selection.move, record, unitId);
}
