import { Actor, CommonErrorCodes, RecordErrorCodes } from '@app/contracts';
import { DomainError } from '@app/platform';
import { SiteRecord } from '../records/record.entity';

/** The caller's unit: only unit accounts take part in the workflow. */
export function actorUnitId(actor: Actor): string {
  if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以查看和处理报送记录');
  return actor.orgUnitId;
}

/** A unit sees a record when the record's owner is within its subtree (the unit is on the owner's chain). */
export function canSee(record: Pick<SiteRecord, 'ownerChain'>, unitId: string): boolean {
  return record.ownerChain.includes(unitId);
}

/** The record if the caller may see it; a record outside its subtree is "not found", not "forbidden". */
export function visible(record: SiteRecord | null, actor: Actor): SiteRecord {
  const unitId = actorUnitId(actor);
  if (!record || !canSee(record, unitId))
    throw new DomainError(RecordErrorCodes.RECORD_NOT_FOUND, '记录不存在，或不在本单位的管辖范围内');
  return record;
}
