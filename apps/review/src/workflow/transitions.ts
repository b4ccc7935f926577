import { Actor, RecordStatus } from '@app/contracts';
import { EntityManager } from 'typeorm';

export type Move = 'submit' | 'approve' | 'return';

/**
 * Where each move takes a record, as SQL over the row's OLD values (the owner's chain runs
 * root → owner, so "up" is index − 1 and "down" is index + 1):
 * - submit: to the owner's parent, or to the owner itself when it is its own final reviewer;
 * - approve: at the final reviewer → APPROVED there, elsewhere → PENDING at the holder's parent;
 * - return: RETURNED at the next unit down towards the owner.
 */
const NEXT: Record<Move, { status: string; holder: string }> = {
  submit: {
    status: `'PENDING'`,
    holder: `CASE WHEN r.final_reviewer_org_unit_id = r.owner_org_unit_id THEN r.owner_org_unit_id ELSE r.owner_chain[array_length(r.owner_chain, 1) - 1] END`,
  },
  approve: {
    status: `CASE WHEN r.holder_org_unit_id = r.final_reviewer_org_unit_id THEN 'APPROVED' ELSE 'PENDING' END`,
    holder: `CASE WHEN r.holder_org_unit_id = r.final_reviewer_org_unit_id THEN r.holder_org_unit_id ELSE r.owner_chain[array_position(r.owner_chain, r.holder_org_unit_id) - 1] END`,
  },
  return: {
    status: `'RETURNED'`,
    holder: `r.owner_chain[array_position(r.owner_chain, r.holder_org_unit_id) + 1]`,
  },
};

/** Which records a bulk action takes: everything the unit may act on, in one statement. */
export const BULK_SELECTION: Record<'submitAll' | 'reviewAll', string> = {
  submitAll: `holder_org_unit_id = $1 AND owner_org_unit_id = $1 AND status = 'DRAFT'`,
  reviewAll: `holder_org_unit_id = $1 AND status = 'PENDING'`,
};

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
}

/** Locks the records a bulk action selects (in id order, so concurrent batches never deadlock). */
export async function lockSelection(
  manager: EntityManager,
  selection: keyof typeof BULK_SELECTION,
  unitId: string,
): Promise<string[]> {
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT id FROM record WHERE ${BULK_SELECTION[selection]} ORDER BY id FOR UPDATE`,
    [unitId],
  );
  return rows.map((row) => row.id);
}

/**
 * Moves locked records in ONE statement and writes one history row each (who, unit, from,
 * to, reason). The caller has locked `ids` and checked the rules; this only applies them.
 */
export async function moveRecords(
  manager: EntityManager,
  ids: string[],
  move: Move,
  actor: Actor,
  reason: string | null = null,
): Promise<MovedRecord[]> {
  if (ids.length === 0) return [];
  const next = NEXT[move];
  const rows: Array<Record<string, string | null>> = await manager.query(
    `WITH old AS (SELECT id, status, holder_org_unit_id FROM record WHERE id = ANY($1::uuid[])),
     moved AS (
       UPDATE record r SET status = ${next.status}, holder_org_unit_id = ${next.holder}, updated_at = now()
         FROM old WHERE r.id = old.id
       RETURNING r.id, r.owner_org_unit_id, r.owner_code, r.site_name, r.site_code, r.status AS to_status, r.holder_org_unit_id AS to_holder,
                 old.status AS from_status, old.holder_org_unit_id AS from_holder
     ),
     history AS (
       INSERT INTO record_history (record_id, action, actor_account_id, actor_username, actor_org_unit_id, from_status, to_status, from_holder_org_unit_id, to_holder_org_unit_id, reason)
       SELECT id, $2, $3, $4, $5, from_status, to_status, from_holder, to_holder, $6 FROM moved
       RETURNING id AS history_id, record_id
     )
     SELECT moved.*, history.history_id FROM moved JOIN history ON history.record_id = moved.id ORDER BY moved.id`,
    [ids, move, actor.accountId, actor.username, actor.orgUnitId, reason],
  );
  return rows.map((row) => ({
    id: row.id as string,
    ownerOrgUnitId: row.owner_org_unit_id as string,
    ownerCode: row.owner_code as string,
    siteName: row.site_name as string,
    siteCode: row.site_code,
    fromStatus: row.from_status as RecordStatus,
    toStatus: row.to_status as RecordStatus,
    fromHolder: row.from_holder as string,
    toHolder: row.to_holder as string,
    historyId: String(row.history_id),
  }));
}
