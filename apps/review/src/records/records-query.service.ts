import { Injectable } from '@nestjs/common';
import {
  Actor,
  ListRecordsRequest,
  LIFECYCLE_LABELS,
  RECORD_SEARCH_COUNT_LIMIT,
  REQUEST_KIND_LABELS,
  RECORD_ACTION_LABELS,
  RECORD_STATUS_LABELS,
  RecordAction,
  RecordDetail,
  RecordHistoryEntry,
  RecordPage,
} from '@app/contracts';
import { CommonErrorCodes } from '@app/contracts';
import { DomainError } from '@app/platform';
import { RECORD_STATUSES } from '@app/workflow';
import { actorUnitId, visible } from '../workflow/record-access';
import { toDetail } from './record.mapper';
import { ListedRecord, ListFilter, RecordRepository } from './record.repository';

function emptyPage(): RecordPage {
  const counts = Object.fromEntries(RECORD_STATUSES.map((status) => [status, 0])) as RecordPage['counts'];
  return { items: [], total: 0, totalExact: true, next: null, counts };
}

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
    const own = actorUnitId(request.actor);
    const region = request.orgUnitId && request.orgUnitId !== own ? request.orgUnitId : null;
    if (region && request.scope === 'held')
      throw new DomainError(CommonErrorCodes.VALIDATION_FAILED, '按地区筛选只用于本单位及下级的全部记录');
    // A region is a unit below the caller's: its own kept counts and subtree. A unit that is not
    // below (or has no records there) answers an empty list, as a region without records would.
    if (region && !(await this.records.isBelow(region, own))) return emptyPage();
    const unitId = region ?? own;
    const tally = await this.records.tally(unitId, request.scope === 'held' ? 'h' : 's');
    const counts = Object.fromEntries(
      RECORD_STATUSES.map((status) => [status, tally.counts.get(status) ?? 0]),
    ) as RecordPage['counts'];
    const kept = request.status
      ? (tally.counts.get(request.status) ?? 0)
      : [...tally.counts.values()].reduce((sum, n) => sum + n, 0);
    if (kept === 0) return { ...emptyPage(), counts };
    const [micros, id] = request.after?.split('_') ?? [];
    const filter: ListFilter = {
      unitId,
      scope: request.scope,
      status: request.status,
      q: request.q,
      lifecycle: request.lifecycle,
      requestKind: request.requestKind,
      page: request.page,
      pageSize: request.pageSize,
      after: request.after ? { micros, id } : undefined,
    };
    // The kept counts are per status only: a search or a lifecycle / request filter counts its matches.
    const { rows, total, totalExact } =
      request.q?.trim() || request.lifecycle || request.requestKind
        ? await this.search(filter, tally.depth)
        : { rows: await this.records.listPage(filter, tally.depth), total: kept, totalExact: true };
    const page = rows.slice(0, request.pageSize);
    const last = page[page.length - 1];
    // Read once per page, not per row (each import is a getter of the contracts module).
    const [statusLabels, lifecycleLabels, requestKindLabels] = [
      RECORD_STATUS_LABELS,
      LIFECYCLE_LABELS,
      REQUEST_KIND_LABELS,
    ];
    return {
      total,
      totalExact,
      counts,
      next: rows.length > request.pageSize && last ? `${last.micros}_${last.id}` : null,
      items: page.map((row) => ({
        id: row.id,
        siteName: row.siteName,
        homepageUrl: row.homepageUrl,
        status: row.status,
        statusLabel: statusLabels[row.status],
        ownerOrgUnitId: row.ownerOrgUnitId,
        holderOrgUnitId: row.holderOrgUnitId,
        regionName: row.regionName,
        siteCode: row.siteCode,
        updatedAt: row.updatedAt,
        lifecycle: row.lifecycle,
        lifecycleLabel: lifecycleLabels[row.lifecycle],
        requestKind: row.requestKind,
        requestKindLabel: row.requestKind ? requestKindLabels[row.requestKind] : null,
      })),
    };
  }

  /**
   * A search: its matches up to the bound in one statement. At most RECORD_SEARCH_COUNT_LIMIT:
   * that is all of them, so the total is exact and the page is cut from them here (in the
   * list's order, after the cursor); more: the total is the bound and the page is read in order.
   */
  private async search(
    filter: ListFilter,
    depth: number | null,
  ): Promise<{ rows: ListedRecord[]; total: number; totalExact: boolean }> {
    const matches = await this.records.matchesUpTo(filter, depth, RECORD_SEARCH_COUNT_LIMIT);
    if (matches.length > RECORD_SEARCH_COUNT_LIMIT)
      return {
        rows: await this.records.listPage(filter, depth),
        total: RECORD_SEARCH_COUNT_LIMIT,
        totalExact: false,
      };
    const key = (row: Pick<ListedRecord, 'micros' | 'id'>) => ({ micros: BigInt(row.micros), id: row.id });
    // updated_at DESC, id (uuids compare as their lowercase text does).
    const before = (a: { micros: bigint; id: string }, b: { micros: bigint; id: string }) =>
      a.micros !== b.micros ? a.micros > b.micros : a.id < b.id;
    const ordered = matches.sort((a, b) => (before(key(a), key(b)) ? -1 : before(key(b), key(a)) ? 1 : 0));
    const after = filter.after ? key(filter.after) : null;
    const rest = after
      ? ordered.filter((row) => before(after, key(row)))
      : ordered.slice((filter.page - 1) * filter.pageSize);
    return { rows: rest.slice(0, filter.pageSize + 1), total: matches.length, totalExact: true };
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
