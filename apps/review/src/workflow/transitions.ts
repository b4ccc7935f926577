import { RequestKind } from '@app/contracts';
import { Move, nextPosition, RecordStatus } from '@app/workflow';
import { MovableRecord, RecordMove } from '../records/record.repository';

/** A record after a move, with what its notices and mails need. */
export interface MovedRecord {
  id: string;
  ownerOrgUnitId: string;
  ownerCode: string;
  siteName: string;
  siteCode: string | null;
  fromStatus: RecordStatus;
  toStatus: RecordStatus;
  fromHolder: string;
  toHolder: string;
  historyId: string;
  /** The request the move carries (変更, 关停, 恢复, 注销), if any. */
  requestKind?: RequestKind | null;
}

/** Where `move` takes each (locked, checked) record: the workflow rules' next position. */
export function planMoves(records: MovableRecord[], move: Move): Array<{ record: MovableRecord; to: RecordMove }> {
  return records.map((record) => {
    const next = nextPosition(record, move);
    return { record, to: { id: record.id, status: next.status, holderOrgUnitId: next.holderOrgUnitId } };
  });
}
