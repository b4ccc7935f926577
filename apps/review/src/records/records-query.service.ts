import { Injectable } from '@nestjs/common';
import {
  Actor,
  ListRecordsRequest,
  RECORD_SEARCH_COUNT_LIMIT,
  RECORD_ACTION_LABELS,
  RECORD_STATUS_LABELS,
  RecordAction,
  RecordDetail,
  RecordHistoryEntry,
  RecordPage,
} from '@app/contracts';
import { actorUnitId, visible } from '../workflow/record-access';
import { toDetail } from './record.mapper';
import { ListFilter, RecordRepository } from './record.repository';

/** The read side: lists, details and history, answered from review's own indexed tables. */
@Injectable()
export class RecordsQueryService {
  constructor(private readonly records: RecordRepository) {}

  /**
   * One page, newest first. The total comes from the counts kept per (unit, status), exact
   * and without counting rows; a search counts its matches up to RECORD_SEARCH_COUNT_LIMIT
   * and says when the total is only that bound. `next` continues after the page's last row.
   */
  async list(request: ListRecordsRequest): Promise<RecordPage> {
    const unitId = actorUnitId(request.actor);
    const tally = await this.records.tally(unitId, request.scope === 'held' ? 'h' : 's');
    const kept = request.status
      ? (tally.counts.get(request.status) ?? 0)
      : [...tally.counts.values()].reduce((sum, n) => sum + n, 0);
    if (kept === 0) return { items: [], total: 0, totalExact: true, next: null };
    const [micros, id] = request.after?.split('_') ?? [];
    const filter: ListFilter = {
      unitId,
      scope: request.scope,
      status: request.status,
      q: request.q,
      page: request.page,
      pageSize: request.pageSize,
      after: request.after ? { micros, id } : undefined,
    };
    const searching = !!request.q?.trim();
    const [rows, matched] = await Promise.all([
      this.records.listPage(filter, tally.depth),
      searching ? this.records.countUpTo(filter, tally.depth, RECORD_SEARCH_COUNT_LIMIT) : Promise.resolve(kept),
    ]);
    const page = rows.slice(0, request.pageSize);
    const last = page[page.length - 1];
    return {
      total: Math.min(matched, searching ? RECORD_SEARCH_COUNT_LIMIT : matched),
      totalExact: !searching || matched <= RECORD_SEARCH_COUNT_LIMIT,
      next: rows.length > request.pageSize && last ? `${last.micros}_${last.id}` : null,
      items: page.map((row) => ({
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
