import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditEntry, CommonErrorCodes, hasRole, Page, Roles, SearchAuditRequest } from '@app/contracts';
import { auditEntry, AuditEvent, DomainError } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

/** The audit log of the whole system: identity's own entries and those other services send. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Identity's own changes, written in the change's transaction. */
  record(manager: EntityManager, event: AuditEvent): Promise<number> {
    return this.store(manager, [auditEntry('identity', event)]);
  }

  /** Entries delivered by other services' outboxes; a repeated delivery is stored once. */
  append(entries: AuditEntry[]): Promise<number> {
    return this.store(this.dataSource.manager, entries);
  }

  async store(manager: EntityManager, entries: AuditEntry[]): Promise<number> {
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
    const rows: unknown[] = await manager.query(
      `INSERT INTO audit_log (id, at, service, action, outcome, actor_account_id, actor_username, actor_org_unit_id, target_type, target_id, details, correlation_id)
       VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id`,
      values,
    );
    return rows.length;
  }

  async search(request: SearchAuditRequest): Promise<Page<AuditEntry>> {
    if (!hasRole(request.actor, Roles.AUDITOR))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有审计员可以查看审计日志');
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (request.actorUsername) add('actor_username = ?', request.actorUsername);
    if (request.action) add('action = ?', request.action);
    if (request.from) add('at >= ?', request.from);
    if (request.to) add('at < ?', request.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_log ${clause}`, values);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM audit_log ${clause} ORDER BY at DESC, id LIMIT ${request.pageSize} OFFSET ${(request.page - 1) * request.pageSize}`,
      values,
    );
    return { items: rows.map(toEntry), total };
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
