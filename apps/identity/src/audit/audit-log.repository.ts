import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditEntry } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';

export interface AuditFilter {
  actorUsername?: string;
  action?: string;
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}

/** The audit log table: appends (idempotent by entry id) and the auditor's search. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the entries (in the caller's transaction when given one); a known id is stored once. Answers how many were new. */
  async insert(manager: EntityManager | null, entries: AuditEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const values: unknown[] = [];
    const tuples = entries.map((e, i) => {
      values.push(
        e.id,
        e.at,
        e.service,
        e.action,
        e.outcome,
        e.actorAccountId,
        e.actorUsername,
        e.actorOrgUnitId,
        e.targetType,
        e.targetId,
        e.details === null ? null : JSON.stringify(e.details),
        e.correlationId,
      );
      return `(${Array.from({ length: 12 }, (_, k) => `$${i * 12 + k + 1}`).join(', ')})`;
    });
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_log (id, at, service, action, outcome, actor_account_id, actor_username, actor_org_unit_id, target_type, target_id, details, correlation_id)
       VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id`,
      values,
    );
    return rows.length;
  }

  /** Newest first. */
  async search(filter: AuditFilter): Promise<{ entries: AuditEntry[]; total: number }> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (filter.actorUsername) add('actor_username = ?', filter.actorUsername);
    if (filter.action) add('action = ?', filter.action);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_log ${clause}`, values);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM audit_log ${clause} ORDER BY at DESC, id LIMIT ${filter.limit} OFFSET ${filter.offset}`,
      values,
    );
    return { entries: rows.map(toEntry), total };
  }
}

function toEntry(row: Record<string, unknown>): AuditEntry {
  return {
    id: row.id as string,
    at: (row.at as Date).toISOString(),
    service: row.service as string,
    action: row.action as string,
    outcome: row.outcome as AuditEntry['outcome'],
    actorAccountId: row.actor_account_id as string | null,
    actorUsername: row.actor_username as string | null,
    actorOrgUnitId: row.actor_org_unit_id as string | null,
    targetType: row.target_type as string | null,
    targetId: row.target_id as string | null,
    details: row.details as Record<string, unknown> | null,
    correlationId: row.correlation_id as string | null,
  };
}
