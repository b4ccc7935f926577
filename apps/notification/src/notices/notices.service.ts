import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, CommonErrorCodes, CreateNoticeRequest, NoticeView, Page } from '@app/contracts';
import { DomainError, returningRows } from '@app/platform';
import { DataSource } from 'typeorm';

interface NoticeRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

/** In-app notices per unit (站内消息), with an unread count. */
@Injectable()
export class NoticesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Idempotent per key: a notice delivered twice appears once. */
  async create(request: CreateNoticeRequest): Promise<{ id: string }> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO notice (key, org_unit_id, kind, title, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
      [request.key, request.orgUnitId, request.kind, request.title, request.body],
    );
    return { id: row.id };
  }

  async list(
    actor: Actor,
    unreadOnly: boolean,
    page: number,
    pageSize: number,
  ): Promise<Page<NoticeView> & { unread: number }> {
    if (!actor.orgUnitId) return { items: [], total: 0, unread: 0 };
    const filter = unreadOnly ? 'AND read_at IS NULL' : '';
    const [rows, [{ total, unread }]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, kind, title, body, created_at, read_at FROM notice WHERE org_unit_id = $1 ${filter} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
        [actor.orgUnitId, pageSize, (page - 1) * pageSize],
      ),
      this.dataSource.query(
        `SELECT count(*) FILTER (WHERE true ${filter})::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notice WHERE org_unit_id = $1`,
        [actor.orgUnitId],
      ),
    ]);
    return { items: (rows as NoticeRow[]).map(toView), total, unread };
  }

  async markRead(actor: Actor, id: string): Promise<NoticeView> {
    const [row] = await returningRows<NoticeRow>(
      this.dataSource,
      `UPDATE notice SET read_at = coalesce(read_at, now()) WHERE id = $1 AND org_unit_id = $2 RETURNING id, kind, title, body, created_at, read_at`,
      [id, actor.orgUnitId],
    );
    if (!row) throw new DomainError(CommonErrorCodes.NOT_FOUND, '消息不存在');
    return toView(row);
  }
}

function toView(row: NoticeRow): NoticeView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}
