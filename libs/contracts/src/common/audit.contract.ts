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

/** An entry as the auditor reads it: its place in the hash chain and everything in Chinese. */
export interface AuditEntryView extends AuditEntry {
  /** Position in the chain (1, 2, …; gap-free, assigned when identity appended it). */
  seq: number;
  /** SHA-256 (hex) of the previous entry's hash and this entry's content. */
  hash: string;
  prevHash: string;
  actionName: string;
  outcomeName: string;
  /** The account and its unit, e.g. 秦皇岛市（130300）; 系统 for the system's own work. */
  actorName: string;
  /** What was acted on, by unit or site name, e.g. 网站「秦皇岛市人民政府」. */
  targetName: string;
  /** The details as one readable sentence. */
  summary: string;
}

export interface AuditPage {
  items: AuditEntryView[];
  total: number;
  /** The newest chain position the page was read at: pass it back to page through the same entries. */
  asOfSeq: number;
}

/** The first link of the chain that does not hold. */
export interface AuditBrokenLink {
  /** The entry (null when the entry itself is missing, e.g. the chain's end was cut off). */
  entryId: string | null;
  seq: number;
  at: string | null;
  problem: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Entries checked (those kept after the retention purge). */
  checked: number;
  /** Entries before this position were purged after the retention period; their last hash anchors the chain. */
  anchorSeq: number;
  headSeq: number;
  firstBroken: AuditBrokenLink | null;
  message: string;
}
