import { Move, RecordPosition } from './rules';
import { RecordStatus } from './statuses';

/** A record's path: the owner's units from the root down (ids), and its final reviewer. */
export interface RecordRoute extends RecordPosition {
  ownerChain: readonly string[];
  finalReviewerOrgUnitId: string;
}

/** The final reviewer: the owner's level-1 ancestor, or the owner itself at level ≤ 1. */
export function finalReviewerOf(chain: readonly string[]): string {
  return chain[Math.min(1, chain.length - 1)];
}

/**
 * Where a move takes a record (the caller has checked that it is allowed). The chain runs
 * root → owner, so "up" is one index back and "down" one index on:
 * - submit: PENDING at the owner's parent, or at the owner itself when it is its own final reviewer;
 * - approve: at the final reviewer → APPROVED there; elsewhere → PENDING at the holder's parent;
 * - return: RETURNED at the next unit down towards the owner.
 */
export function nextPosition(record: RecordRoute, move: Move): { status: RecordStatus; holderOrgUnitId: string } {
  const chain = record.ownerChain;
  const at = chain.indexOf(record.holderOrgUnitId);
  switch (move) {
    case 'submit':
      return {
        status: 'PENDING',
        holderOrgUnitId:
          record.finalReviewerOrgUnitId === record.ownerOrgUnitId ? record.ownerOrgUnitId : chain[chain.length - 2],
      };
    case 'approve':
      return record.holderOrgUnitId === record.finalReviewerOrgUnitId
        ? { status: 'APPROVED', holderOrgUnitId: record.holderOrgUnitId }
        : { status: 'PENDING', holderOrgUnitId: chain[at - 1] };
    case 'return':
      return { status: 'RETURNED', holderOrgUnitId: chain[at + 1] };
  }
}
