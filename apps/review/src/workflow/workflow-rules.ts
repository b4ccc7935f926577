import { RECORD_STATUS_LABELS, RecordErrorCodes, RecordStatus } from '@app/contracts';
import { DomainError } from '@app/platform';
import { SiteRecord } from '../records/record.entity';
import { conflict } from './record-access';
import { Move } from './transitions';

type Checked = Pick<SiteRecord, 'ownerOrgUnitId' | 'holderOrgUnitId' | 'status'>;

const ALLOWED: Record<Move, RecordStatus[]> = {
  submit: ['DRAFT', 'RETURNED'],
  approve: ['PENDING'],
  return: ['PENDING', 'APPROVED', 'RETURNED'],
};

const VERB: Record<Move, string> = { submit: '提交', approve: '审核', return: '退回' };

/**
 * The workflow's rules for one record and one unit (docs/DOMAIN.md, Reporting). Throws the
 * reason the unit may not act; the caller holds the record's row lock while asking.
 */
export function checkMove(record: Checked, unitId: string, move: Move): void {
  if (move === 'submit' && record.ownerOrgUnitId !== unitId)
    throw new DomainError(RecordErrorCodes.NOT_RECORD_OWNER, '只有填报（导入）该记录的单位可以提交');
  if (record.holderOrgUnitId !== unitId)
    throw conflict(
      `该记录当前不在本单位（状态：${RECORD_STATUS_LABELS[record.status]}），不能${VERB[move]}；可能已被处理，请刷新后查看`,
    );
  if (!ALLOWED[move].includes(record.status))
    throw conflict(`记录状态为“${RECORD_STATUS_LABELS[record.status]}”，不能${VERB[move]}`);
  if (move === 'return' && record.ownerOrgUnitId === unitId)
    throw conflict('本单位填报的记录不能退回；如需修改，请直接修改后提交');
}

/** Edit and delete: the owner, and only while the record is back with it (the FAQ, item 21). */
export function checkOwnerChange(record: Checked, unitId: string, verb: '修改' | '删除'): void {
  if (record.ownerOrgUnitId !== unitId)
    throw new DomainError(RecordErrorCodes.NOT_RECORD_OWNER, `只有填报（导入）该记录的单位可以${verb}`);
  if (record.holderOrgUnitId !== unitId || !['DRAFT', 'RETURNED'].includes(record.status)) {
    throw conflict(`记录状态为“${RECORD_STATUS_LABELS[record.status]}”，只有未提交或已退回到本单位的记录可以${verb}`);
  }
}
