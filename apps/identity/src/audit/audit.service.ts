import { Injectable } from '@nestjs/common';
import { AuditEntry, CommonErrorCodes, hasRole, Page, Roles, SearchAuditRequest } from '@app/contracts';
import { auditEntry, AuditEvent, DomainError } from '@app/platform';
import { EntityManager } from 'typeorm';
import { AuditLogRepository } from './audit-log.repository';

/** The audit log of the whole system: identity's own entries and those other services send. */
@Injectable()
export class AuditService {
  constructor(private readonly log: AuditLogRepository) {}

  /** Identity's own changes, written in the change's transaction (or on their own: `null`). */
  record(manager: EntityManager | null, event: AuditEvent): Promise<number> {
    return this.log.insert(manager, [auditEntry('identity', event)]);
  }

  /** Entries delivered by other services' outboxes; a repeated delivery is stored once. */
  append(entries: AuditEntry[]): Promise<number> {
    return this.log.insert(null, entries);
  }

  async search(request: SearchAuditRequest): Promise<Page<AuditEntry>> {
    if (!hasRole(request.actor, Roles.AUDITOR))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有审计员可以查看审计日志');
    const { entries, total } = await this.log.search({
      actorUsername: request.actorUsername,
      action: request.action,
      from: request.from,
      to: request.to,
      offset: (request.page - 1) * request.pageSize,
      limit: request.pageSize,
    });
    return { items: entries, total };
  }
}
