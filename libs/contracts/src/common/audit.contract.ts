/** One audited state change. Services send these through their outbox to identity. */
export interface AuditEntry {
  /** Idempotency key: the same entry delivered twice is stored once. */
  id: string;
  at: string;
  service: string;
  action: string;
  outcome: 'success' | 'denied' | 'failure';
  actorAccountId: string | null;
  actorUsername: string | null;
  actorOrgUnitId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  correlationId: string | null;
}
