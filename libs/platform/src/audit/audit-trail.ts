import { Inject, Injectable } from '@nestjs/common';
import { AccountSubjects, Actor, AuditAction, AuditEntry } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { currentCorrelationId } from '../context/request-context';
import { Outbox } from '../outbox/outbox.service';
import { SERVICE_NAME } from '../tokens';

export interface AuditEvent {
  actor: Pick<Actor, 'accountId' | 'username' | 'orgUnitId'> | null;
  /** A code of AUDIT_ACTION_NAMES (each has the Chinese name the auditor reads). */
  action: AuditAction;
  outcome?: AuditEntry['outcome'];
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export function auditEntry(service: string, event: AuditEvent): AuditEntry {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    service,
    action: event.action,
    outcome: event.outcome ?? 'success',
    actorAccountId: event.actor?.accountId ?? null,
    actorUsername: event.actor?.username ?? null,
    actorOrgUnitId: event.actor?.orgUnitId ?? null,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    details: event.details ?? null,
    correlationId: currentCorrelationId() ?? null,
  };
}

/**
 * Records who changed what, in the same transaction as the change, through the outbox to
 * identity's audit log (the one the auditors search). Never put secrets in `details`.
 */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly outbox: Outbox,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  async record(manager: EntityManager, event: AuditEvent): Promise<void> {
    await this.outbox.enqueue(manager, AccountSubjects.appendAudit, { entries: [auditEntry(this.service, event)] });
  }
}
