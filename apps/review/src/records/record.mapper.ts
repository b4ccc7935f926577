import { RECORD_STATUS_LABELS, RecordDetail, RecordState } from '@app/contracts';
import { SiteRecord } from './record.entity';

/** The workflow state as every action answers it. The 校验码 is never part of it. */
export function toState(record: SiteRecord): RecordState {
  return {
    id: record.id,
    status: record.status,
    statusLabel: RECORD_STATUS_LABELS[record.status],
    ownerOrgUnitId: record.ownerOrgUnitId,
    holderOrgUnitId: record.holderOrgUnitId,
    siteCode: record.siteCode,
  };
}

/** The form's content with the workflow state beside it. */
export function toDetail(record: SiteRecord, content: Record<string, unknown>): RecordDetail {
  return {
    ...content,
    ...toState(record),
    regionCode: record.regionCode,
    regionName: record.regionName,
    version: record.currentVersion,
    recordUpdatedAt: record.updatedAt.toISOString(),
  };
}
