import { Injectable, Logger } from '@nestjs/common';
import {
  AuditEntry,
  AuditEntryView,
  AuditPage,
  AuditVerifyResult,
  CommonErrorCodes,
  ExportAuditRequest,
  hasRole,
  HierarchySubjects,
  Roles,
  SearchAuditRequest,
} from '@app/contracts';
import { Actor } from '@app/contracts';
import { auditEntry, AuditEvent, BusClient, DomainError } from '@app/platform';
import { EntityManager } from 'typeorm';
import { ChainedEntry, ChainVerifier } from './audit-chain';
import { describeEntry, UnitName, UnitNames, unitReferences } from './audit-describe';
import { AuditLogRepository } from './audit-log.repository';

const VERIFY_BATCH = 2000;

/** The audit log of the whole system: identity's own entries and those other services send. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('AuditService');

  constructor(
    private readonly log: AuditLogRepository,
    private readonly bus: BusClient,
  ) {}

  /** Identity's own changes, written in the change's transaction (or on their own: `null`). */
  record(manager: EntityManager | null, event: AuditEvent): Promise<number> {
    return this.log.insert(manager, [auditEntry('identity', event)]);
  }

  /** Several of identity's own changes at once (e.g. the accounts of a whole tree). */
  recordMany(manager: EntityManager | null, events: AuditEvent[]): Promise<number> {
    return this.log.insert(
      manager,
      events.map((event) => auditEntry('identity', event)),
    );
  }

  /** Entries delivered by other services' outboxes; a repeated delivery is stored once. */
  append(entries: AuditEntry[]): Promise<number> {
    return this.log.insert(null, entries);
  }

  async search(request: SearchAuditRequest): Promise<AuditPage> {
    onlyAuditors(request.actor);
    const actions = [...(request.actions ?? []), ...(request.action ? [request.action] : [])];
    const { entries, total, asOfSeq } = await this.log.search({
      actorUsername: request.actorUsername,
      actions: actions.length ? actions : undefined,
      from: request.from,
      to: request.to,
      asOfSeq: request.asOfSeq,
      offset: (request.page - 1) * request.pageSize,
      limit: request.pageSize,
    });
    return { items: await this.describe(entries), total, asOfSeq };
  }

  /** Entries in Chinese: action names, unit and site names, a sentence each. */
  async describe(entries: ChainedEntry[]): Promise<AuditEntryView[]> {
    const names = await this.unitNames(entries);
    return entries.map((entry) => describeEntry(entry, names));
  }

  async verify(actor: Actor): Promise<AuditVerifyResult> {
    onlyAuditors(actor);
    return verifyAuditLog(this.log);
  }

  /** The gateway wrote an Excel export of the log: that is recorded too. */
  async exported(request: ExportAuditRequest): Promise<{ recorded: true }> {
    onlyAuditors(request.actor);
    await this.record(null, {
      actor: request.actor,
      action: 'audit.export',
      targetType: 'audit-log',
      details: { rows: request.rows, ...(request.filters ? { filters: request.filters } : {}) },
    });
    return { recorded: true };
  }

  /**
   * Unit names for a page, in one request to hierarchy. Site names need none: every entry
   * about a record carries the site's name in its details, written (and hashed) when it happened.
   */
  private async unitNames(entries: AuditEntry[]): Promise<UnitNames> {
    const { ids, codes } = unitReferences(entries);
    const byId = new Map<string, UnitName>();
    const byCode = new Map<string, UnitName>();
    if (ids.length === 0 && codes.length === 0) return { byId, byCode };
    try {
      for (const unit of await this.bus.request(HierarchySubjects.lookup, { ids, codes })) {
        byId.set(unit.id, { code: unit.code, name: unit.name });
        byCode.set(unit.code, { code: unit.code, name: unit.name });
      }
    } catch (err) {
      // The log stays readable while hierarchy is away: accounts and codes instead of names.
      this.logger.warn({ msg: 'unit names unavailable for the audit log', error: (err as Error).message });
    }
    return { byId, byCode };
  }
}

function onlyAuditors(actor: Actor): void {
  if (!hasRole(actor, Roles.AUDITOR)) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有审计员可以查看审计日志');
}

/**
 * Walks the chain from its anchor to its head in one snapshot (appends meanwhile are not
 * seen, so they cannot look like a broken end). Used by the AUDITOR endpoint and by
 * `npm run audit:verify`.
 */
export async function verifyAuditLog(log: AuditLogRepository): Promise<AuditVerifyResult> {
  return log.snapshot(async (manager) => {
    const head = await log.head(manager);
    const verifier = new ChainVerifier({ seq: head.anchorSeq, hash: head.anchorHash });
    let after = head.anchorSeq;
    for (;;) {
      const batch = await log.chainAfter(after, VERIFY_BATCH, manager);
      if (batch.length === 0) break;
      if (!batch.every((entry) => verifier.check(entry))) break;
      after = batch[batch.length - 1].seq;
    }
    let broken = verifier.finish({ seq: head.seq, hash: head.hash });
    // The anchor moves only with a purge, and each purge records how far it went.
    if (!broken && head.anchorSeq > 0 && (await log.lastPurgedThrough(manager)) !== head.anchorSeq)
      broken = {
        entryId: null,
        seq: head.anchorSeq,
        at: null,
        problem: `链的起点（序号 ${head.anchorSeq}）与最近一次清理的记录不符（起点被改动，之前的记录被删除）`,
      };
    const kept = head.anchorSeq > 0 ? `（序号 ${head.anchorSeq} 及以前的记录已按保留期清理）` : '';
    return {
      ok: broken === null,
      checked: verifier.checked,
      anchorSeq: head.anchorSeq,
      headSeq: head.seq,
      firstBroken: broken,
      message: broken
        ? `审计日志校验未通过：序号 ${broken.seq}${broken.entryId ? `（记录 ${broken.entryId}）` : ''}：${broken.problem}`
        : `审计日志校验通过：已核对 ${verifier.checked} 条记录，哈希链完整${kept}`,
    };
  });
}
