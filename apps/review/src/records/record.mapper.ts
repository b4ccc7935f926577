import {
  LIFECYCLE_LABELS,
  PendingRequest,
  RECORD_STATUS_LABELS,
  REQUEST_KIND_LABELS,
  RecordDetail,
  RecordState,
} from '@app/contracts';
import { contentDiff } from '../lifecycle/content-diff';
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

/** The request travelling the chain, with a 变更's form and its difference from `current`. */
export function pendingRequest(record: SiteRecord, current: Record<string, unknown>): PendingRequest | null {
  if (!record.requestKind) return null;
  return {
    kind: record.requestKind,
    kindLabel: REQUEST_KIND_LABELS[record.requestKind],
    reason: record.requestReason,
    expectedReopenDate: record.requestExpectedReopen,
    requestedAt: (record.requestedAt ?? record.updatedAt).toISOString(),
    requestedBy: record.requestedBy,
    ...(record.requestKind === 'CHANGE' && record.requestPayload
      ? { content: record.requestPayload, changes: contentDiff(current, record.requestPayload) }
      : {}),
  };
}

/** The form's (current, approved) content with the workflow state, the lifecycle and any pending request beside it. */
export function toDetail(record: SiteRecord, content: Record<string, unknown>): RecordDetail {
  const lifecycle = record.lifecycle ?? 'ACTIVE';
  return {
    ...content,
    ...toState(record),
    regionCode: record.regionCode,
    regionName: record.regionName,
    version: record.currentVersion,
    recordUpdatedAt: record.updatedAt.toISOString(),
    lifecycle,
    lifecycleLabel: LIFECYCLE_LABELS[lifecycle],
    closedReason: record.closedReason ?? null,
    expectedReopenDate: record.expectedReopenDate ?? null,
    pendingRequest: pendingRequest(record, content),
  };
}
