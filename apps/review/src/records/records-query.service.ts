import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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
  RecordStatus,
} from '@app/contracts';
import { DataSource } from 'typeorm';
import { actorUnitId, visibleRecord } from '../workflow/record-access';
import { toDetail } from './record.mapper';

interface ListRow {
  id: string;
  site_name: string;
  homepage_url: string;
  status: RecordStatus;
  owner_org_unit_id: string;
  holder_org_unit_id: string;
  region_name: string;
  site_code: string | null;
  updated_at: Date;
}

/** `%`, `_` and `\` typed by a user are searched for literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The read side: lists, details and history, answered from review's own indexed tables. */
@Injectable()
export class RecordsQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(request: ListRecordsRequest): Promise<Page<RecordListItem>> {
    const unitId = actorUnitId(request.actor);
    const where = [request.scope === 'held' ? 'holder_org_unit_id = $1' : 'owner_chain @> ARRAY[$1::uuid]'];
    const params: unknown[] = [unitId];
    if (request.status) {
      params.push(request.status);
      where.push(`status = $${params.length}`);
    }
    const q = request.q?.trim();
    if (q) {
      params.push(likePattern(q));
      where.push(`(site_name ILIKE $${params.length} OR homepage_url ILIKE $${params.length})`);
    }
    const filter = where.join(' AND ');
    const offset = (request.page - 1) * request.pageSize;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, site_name, homepage_url, status, owner_org_unit_id, holder_org_unit_id, region_name, site_code, updated_at
           FROM record WHERE ${filter} ORDER BY updated_at DESC, id LIMIT ${request.pageSize} OFFSET ${offset}`,
        params,
      ) as Promise<ListRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM record WHERE ${filter}`, params) as Promise<
        Array<{ total: number }>
      >,
    ]);
    return {
      total,
      items: rows.map((row) => ({
        id: row.id,
        siteName: row.site_name,
        homepageUrl: row.homepage_url,
        status: row.status,
        statusLabel: RECORD_STATUS_LABELS[row.status],
        ownerOrgUnitId: row.owner_org_unit_id,
        holderOrgUnitId: row.holder_org_unit_id,
        regionName: row.region_name,
        siteCode: row.site_code,
        updatedAt: row.updated_at.toISOString(),
      })),
    };
  }

  async get(actor: Actor, id: string): Promise<RecordDetail> {
    const record = await visibleRecord(this.dataSource.manager, actor, id);
    const [version]: Array<{ content: Record<string, unknown> }> = await this.dataSource.query(
      'SELECT content FROM record_version WHERE record_id = $1 AND version = $2',
      [id, record.currentVersion],
    );
    return toDetail(record, version?.content ?? {});
  }

  /** Every transition, oldest first; visible to the units on the record's path (owner's chain). */
  async history(actor: Actor, id: string): Promise<RecordHistoryEntry[]> {
    await visibleRecord(this.dataSource.manager, actor, id);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT at, action, actor_username, actor_org_unit_id, from_status, to_status, from_holder_org_unit_id, to_holder_org_unit_id, reason
         FROM record_history WHERE record_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((row) => {
      const action = row.action as RecordAction;
      const from = row.from_status as RecordStatus | null;
      const to = row.to_status as RecordStatus | null;
      return {
        at: (row.at as Date).toISOString(),
        action,
        actionLabel: RECORD_ACTION_LABELS[action] ?? action,
        actorUsername: row.actor_username as string | null,
        actorOrgUnitId: row.actor_org_unit_id as string | null,
        fromStatus: from,
        toStatus: to,
        fromStatusLabel: from ? RECORD_STATUS_LABELS[from] : null,
        toStatusLabel: to ? RECORD_STATUS_LABELS[to] : null,
        fromHolderOrgUnitId: row.from_holder_org_unit_id as string | null,
        toHolderOrgUnitId: row.to_holder_org_unit_id as string | null,
        reason: row.reason as string | null,
      };
    });
  }
}
