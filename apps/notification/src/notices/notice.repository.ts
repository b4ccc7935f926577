import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { returningRows } from '@app/platform';
import { DataSource } from 'typeorm';

export interface NoticeRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  key: string;
  created_at: Date;
  read_at: Date | null;
}

/** The `notice` table: in-app notices per unit. */
@Injectable()
export class NoticeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Idempotent per key: the same key again changes nothing. */
  async insertOnce(notice: {
    key: string;
    orgUnitId: string;
    kind: string;
    title: string;
    body: string;
  }): Promise<{ id: string }> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO notice (key, org_unit_id, kind, title, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
      [notice.key, notice.orgUnitId, notice.kind, notice.title, notice.body],
    );
    return { id: row.id };
  }

  /** One page of a unit's notices, newest first, with the unit's totals. */
  async pageForUnit(
    orgUnitId: string,
    unreadOnly: boolean,
    offset: number,
    limit: number,
  ): Promise<{ rows: NoticeRow[]; total: number; unread: number }> {
    const filter = unreadOnly ? 'AND read_at IS NULL' : '';
    const [rows, [{ total, unread }]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, kind, title, body, key, created_at, read_at FROM notice WHERE org_unit_id = $1 ${filter} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
        [orgUnitId, limit, offset],
      ) as Promise<NoticeRow[]>,
      this.dataSource.query(
        `SELECT count(*) FILTER (WHERE true ${filter})::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notice WHERE org_unit_id = $1`,
        [orgUnitId],
      ) as Promise<Array<{ total: number; unread: number }>>,
    ]);
    return { rows, total, unread };
  }

  /** Marks one of the unit's notices read (the first reading counts); undefined when it has none such. */
  async markRead(orgUnitId: string | null, id: string): Promise<NoticeRow | undefined> {
    const [row] = await returningRows<NoticeRow>(
      this.dataSource,
      `UPDATE notice SET read_at = coalesce(read_at, now()) WHERE id = $1 AND org_unit_id = $2 RETURNING id, kind, title, body, key, created_at, read_at`,
      [id, orgUnitId],
    );
    return row;
  }
}
