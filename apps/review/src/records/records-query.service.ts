import { Injectable } from '@nestjs/common';
import {
  Actor,
  ListRecordsRequest,
  Page,
  RECORD_ACTION_LABELS,
  RECORD_STATUS_LABELS,
  RecordAction,
  RecordDetail,
  RecordHistoryEntry,
  RecordListItem,
} from '@app/contracts';
import { actorUnitId, visible } from '../workflow/record-access';
import { toDetail } from './record.mapper';
import { RecordRepository } from './record.repository';

/** The read side: lists, details and history, answered from review's own indexed tables. */
@Injectable()
export class RecordsQueryService {
  constructor(private readonly records: RecordRepository) {}

  async list(request: ListRecordsRequest): Promise<Page<RecordListItem>> {
    const { rows, total } = await this.records.list({
      unitId: actorUnitId(request.actor),
      scope: request.scope,
      status: request.status,
      q: request.q,
      page: request.page,
      pageSize: request.pageSize,
    });
    return {
      total,
      items: rows.map((row) => ({
        id: row.id,
        siteName: row.siteName,
        homepageUrl: row.homepageUrl,
        status: row.status,
        statusLabel: RECORD_STATUS_LABELS[row.status],
        ownerOrgUnitId: row.ownerOrgUnitId,
        holderOrgUnitId: row.holderOrgUnitId,
        regionName: row.regionName,
        siteCode: row.siteCode,
        updatedAt: row.updatedAt.toISOString(),
      })),
    };
  }

  async get(actor: Actor, id: string): Promise<RecordDetail> {
    const record = visible(await this.records.findById(id), actor);
    return toDetail(record, (await this.records.content(id, record.currentVersion)) ?? {});
  }

  /** Every transition, oldest first; visible to the units on the record's path (owner's chain). */
  async history(actor: Actor, id: string): Promise<RecordHistoryEntry[]> {
    visible(await this.records.findById(id), actor);
    return (await this.records.history(id)).map((row) => {
      const action = row.action as RecordAction;
      return {
        at: row.at.toISOString(),
        action,
        actionLabel: RECORD_ACTION_LABELS[action] ?? action,
        actorUsername: row.actorUsername,
        actorOrgUnitId: row.actorOrgUnitId,
        fromStatus: row.fromStatus,
        toStatus: row.toStatus,
        fromStatusLabel: row.fromStatus ? RECORD_STATUS_LABELS[row.fromStatus] : null,
        toStatusLabel: row.toStatus ? RECORD_STATUS_LABELS[row.toStatus] : null,
        fromHolderOrgUnitId: row.fromHolderOrgUnitId,
        toHolderOrgUnitId: row.toHolderOrgUnitId,
        reason: row.reason,
      };
    });
  }
}
