import { Injectable } from '@nestjs/common';
import { Actor, AuditAction, NotificationSubjects, RECORD_STATUS_LABELS, RecordState } from '@app/contracts';
import { AuditTrail, Outbox } from '@app/platform';
import { BulkAction, bulkSelection, Move } from '@app/workflow';
import { EntityManager } from 'typeorm';
import { AppliedRequest, LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { refuseDeregistered } from '../lifecycle/lifecycle.service';
import { MovableRecord, RecordRepository } from '../records/record.repository';
import { CodeMailRepository } from './code-mail.repository';
import { actorUnitId, visible } from './record-access';
import { SiteCodes } from './site-codes';
import { MovedRecord, planMoves } from './transitions';
import { bulkNotices, workflowNotice } from './workflow-messages';
import { checkAction } from './workflow-rules';

/** The audit log's action for each move (spelled out: the action-name check reads them). */
const MOVE_AUDIT_ACTIONS: Readonly<Record<Move | BulkAction, AuditAction>> = {
  submit: 'record.submit',
  approve: 'record.approve',
  return: 'record.return',
  submitAll: 'record.submitAll',
  reviewAll: 'record.reviewAll',
};

/**
 * submit / approve / return, one record or all at once. Each checks holder, status and the
 * caller's unit under the record's row lock in the same transaction that changes it, so of
 * two units (or two clicks) acting at once one wins and the other gets 409. Bulk actions are
 * set-based: one locking SELECT (its WHERE derived from the same rules), one insert of the
 * history rows, one code allocation (one counter statement), one statement that updates the
 * rows, one row naming the records whose code mails are owed (code_mail_batch) and one insert
 * of the notices into the outbox.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly records: RecordRepository,
    private readonly siteCodes: SiteCodes,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly requests: LifecycleRepository,
    private readonly codeMails: CodeMailRepository,
  ) {}

  submit(actor: Actor, id: string): Promise<RecordState> {
    return this.moveOne(actor, id, 'submit');
  }

  approve(actor: Actor, id: string): Promise<RecordState> {
    return this.moveOne(actor, id, 'approve');
  }

  return(actor: Actor, id: string, reason: string): Promise<RecordState> {
    return this.moveOne(actor, id, 'return', reason.trim());
  }

  /** 全部提交: every DRAFT record held and owned by the caller's unit. */
  async submitAll(actor: Actor): Promise<{ submitted: number }> {
    const moved = await this.moveAll(actor, 'submitAll');
    return { submitted: moved.length };
  }

  /** 全部审核: every PENDING record held by the caller's unit, approved or forwarded up. */
  async reviewAll(actor: Actor): Promise<{ approved: number; forwarded: number }> {
    const moved = await this.moveAll(actor, 'reviewAll');
    const approved = moved.filter((record) => record.toStatus === 'APPROVED').length;
    return { approved, forwarded: moved.length - approved };
  }

  private async moveOne(actor: Actor, id: string, move: Move, reason: string | null = null): Promise<RecordState> {
    const unitId = actorUnitId(actor);
    const state = await this.records.transaction(async (manager) => {
      const record = visible(await this.records.lockById(manager, id), actor);
      refuseDeregistered(record);
      checkAction(record, unitId, move);
      const [moved] = await this.move(manager, [record], move, actor, reason);
      await this.audit.record(manager, {
        actor,
        action: MOVE_AUDIT_ACTIONS[move],
        targetType: 'record',
        targetId: id,
        details: {
          siteName: moved.siteName,
          from: moved.fromStatus,
          to: moved.toStatus,
          toHolder: moved.toHolder,
          ...(reason ? { reason } : {}),
          ...(moved.siteCode ? { siteCode: moved.siteCode } : {}),
          ...(moved.requestKind ? { requestKind: moved.requestKind } : {}),
        },
      });
      return {
        id,
        status: moved.toStatus,
        statusLabel: RECORD_STATUS_LABELS[moved.toStatus],
        ownerOrgUnitId: moved.ownerOrgUnitId,
        holderOrgUnitId: moved.toHolder,
        siteCode: moved.siteCode,
      };
    });
    return state;
  }

  private async moveAll(actor: Actor, action: BulkAction): Promise<MovedRecord[]> {
    const unitId = actorUnitId(actor);
    const selection = bulkSelection(action);
    const moved = await this.records.transaction(async (manager) => {
      await this.records.roomForBulkMoves(manager);
      const locked = await this.records.lockSelection(manager, selection, unitId);
      const records = await this.move(manager, locked, selection.move, actor, null, true);
      const approved = records.filter((record) => record.toStatus === 'APPROVED').length;
      await this.audit.record(manager, {
        actor,
        action: MOVE_AUDIT_ACTIONS[action],
        targetType: 'org-unit',
        targetId: unitId,
        details: {
          count: records.length,
          approved,
          forwarded: selection.move === 'approve' ? records.length - approved : 0,
        },
      });
      return records;
    });
    return moved;
  }

  /**
   * Moves locked, checked records where the rules take them, with one history row each
   * (who, unit, from, to, reason), and what follows in the same transaction: the code mails
   * of first final approvals (one code_mail_batch row naming the records; the mails are
   * rendered and handed to notification after the commit, see CodeMailSender) and the notices
   * (`bulk`: a unit's approvals grouped into one notice, see bulkNotices). A first final
   * approval takes its 标识码 first, so each row is written once (status, holder and codes).
   */
  private async move(
    manager: EntityManager,
    locked: MovableRecord[],
    move: Move,
    actor: Actor,
    reason: string | null,
    bulk = false,
  ): Promise<MovedRecord[]> {
    const planned = planMoves(locked, move);
    // The statements go out one after the other on the transaction's connection; each is
    // sent a few microtasks after it is asked for, so the work here yields first and then
    // runs while the database works: the 校验码 are sealed while the history rows are
    // inserted, the notices built while the rows are written.
    const history = settledLater(this.records.recordMoves(manager, actor, move, reason, planned));
    await whileTheStatementGoesOut();
    const coded = await this.siteCodes.allocate(
      manager,
      planned
        .filter(({ record, to }) => to.status === 'APPROVED' && record.siteCode === null)
        .map(({ record }) => ({ id: record.id, ownerCode: record.ownerCode })),
    );
    const codes = new Map(coded.map((record) => [record.id, record]));
    const historyIds = await history;
    const written = settledLater(this.records.writeMoves(manager, planned, codes));
    await whileTheStatementGoesOut();
    const moved = planned.map(({ record, to }) => ({
      id: record.id,
      ownerOrgUnitId: record.ownerOrgUnitId,
      ownerCode: record.ownerCode,
      siteName: record.siteName,
      siteCode: record.siteCode ?? codes.get(record.id)?.siteCode ?? null,
      fromStatus: record.status,
      toStatus: to.status,
      fromHolder: record.holderOrgUnitId,
      toHolder: to.holderOrgUnitId,
      historyId: historyIds.get(record.id) as string,
      requestKind: record.requestKind ?? null,
    }));
    const notices = bulk
      ? bulkNotices(moved, reason)
      : moved.map((record) => workflowNotice(record, reason)).filter((notice) => notice !== null);
    await written;
    // The mails of the new codes, by reference: sent once each, after the commit.
    await this.codeMails.enqueue(
      manager,
      coded.map((record) => record.id),
    );
    // A request's final approval applies it (a 变更's content becomes current, a 关停 / 恢复 / 注销
    // sets the lifecycle), with a history row saying what took effect.
    const applied = await this.requests.apply(
      manager,
      moved.filter((record) => record.toStatus === 'APPROVED' && record.requestKind).map((record) => record.id),
    );
    await this.records.appendHistory(
      manager,
      actor,
      applied.map((request) => ({
        recordId: request.id,
        action: 'request-applied' as const,
        fromStatus: 'APPROVED' as const,
        toStatus: 'APPROVED' as const,
        reason: appliedReason(request),
      })),
    );
    await this.outbox.enqueueMany(manager, NotificationSubjects.createNotice, notices);
    return moved;
  }
}

/**
 * A statement's promise awaited later: meanwhile its failure must not go unhandled (it aborts
 * the transaction, and the later await throws it).
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Lets a statement just asked for go out (a few microtasks) before CPU work holds the event loop. */
function whileTheStatementGoesOut(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The history's words for a request that took effect. */
function appliedReason(request: AppliedRequest): string {
  switch (request.kind) {
    case 'CHANGE':
      return `变更生效：第${(request.version ?? 1) - 1}版 → 第${request.version}版（原内容保留在历史版本中）`;
    case 'CLOSE':
      return '关停生效：网站已关停';
    case 'REOPEN':
      return '恢复生效：网站恢复运行';
    case 'DEREGISTER':
      return '注销生效：网站已注销，网站标识码不再使用';
  }
}
