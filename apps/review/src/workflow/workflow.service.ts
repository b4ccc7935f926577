import { Injectable } from '@nestjs/common';
import { Actor, AuditAction, NotificationSubjects, RECORD_STATUS_LABELS, RecordState } from '@app/contracts';
import { AuditTrail, Outbox } from '@app/platform';
import { BulkAction, bulkSelection, Move } from '@app/workflow';
import { EntityManager } from 'typeorm';
import { AppliedRequest, LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { refuseDeregistered } from '../lifecycle/lifecycle.service';
import { MovableRecord, RecordRepository, SitePeople } from '../records/record.repository';
import { actorUnitId, visible } from './record-access';
import { CodedRecord, SiteCodes } from './site-codes';
import { MovedRecord, planMoves } from './transitions';
import { bulkNotices, siteCodeMail, workflowNotice } from './workflow-messages';
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
 * set-based: one locking SELECT (its WHERE derived from the same rules), one code allocation
 * (one counter statement), one statement that updates the rows and inserts their history,
 * one insert of the mails and one of the notices into the outbox.
 */
@Injectable()
export class WorkflowService {
  constructor(
    private readonly records: RecordRepository,
    private readonly siteCodes: SiteCodes,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly requests: LifecycleRepository,
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
      // An approval may be final: the mail of its new 标识码 needs the site's people.
      const locked = await this.records.lockSelection(manager, selection, unitId, selection.move === 'approve');
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
   * (who, unit, from, to, reason), and what follows in the same transaction: the mails of
   * new codes and the notices (`bulk`: a unit's approvals grouped into one notice, see
   * bulkNotices). A first final approval takes its 标识码 first, so each row is written once
   * (status, holder and codes).
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
    const coded = await this.siteCodes.allocate(
      manager,
      planned
        .filter(({ record, to }) => to.status === 'APPROVED' && record.siteCode === null)
        .map(({ record }) => ({ id: record.id, ownerCode: record.ownerCode })),
    );
    const codes = new Map(coded.map((record) => [record.id, record]));
    // The statements go out one after the other on the transaction's connection (the moves
    // first); the mails are built while the database applies the moves.
    const [historyIds] = await Promise.all([
      this.records.applyMoves(
        manager,
        actor,
        move,
        reason,
        planned.map(({ record, to }) => ({
          ...to,
          fromStatus: record.status,
          fromHolder: record.holderOrgUnitId,
          siteCode: codes.get(record.id)?.siteCode ?? null,
          checkCodeEnc: codes.get(record.id)?.checkCodeEnc ?? null,
        })),
      ),
      this.queueCodeMails(manager, locked, coded),
    ]);
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
    const notices = bulk
      ? bulkNotices(moved, reason)
      : moved.map((record) => workflowNotice(record, reason)).filter((notice) => notice !== null);
    await this.outbox.enqueueMany(manager, NotificationSubjects.createNotice, notices);
    return moved;
  }

  /**
   * In the moving transaction, through the outbox (so nothing is lost or doubled): a first
   * final approval mails the record's new 标识码 and 校验码 to the site's people. (Approvals
   * and returns also leave a notice for the unit concerned, keyed by the history row.)
   */
  private async queueCodeMails(manager: EntityManager, locked: MovableRecord[], coded: CodedRecord[]): Promise<void> {
    if (coded.length === 0) return;
    // Let the moves' statement go out first (it is sent a few microtasks after it is asked
    // for), so that the mails are built while the database works.
    await new Promise((resolve) => setImmediate(resolve));
    const codes = new Map(coded.map((record) => [record.id, record]));
    const now = new Date();
    // Read with the lock by a bulk approval; one approval reads them now.
    const read = new Map(locked.map((record) => [record.id, record.people]));
    const people = coded.every((record) => read.get(record.id))
      ? coded.map((record) => read.get(record.id) as SitePeople)
      : await this.records.sitePeople(
          manager,
          coded.map((record) => record.id),
        );
    const mails = people
      .map((site) => siteCodeMail(site, codes.get(site.id)!, 'approved', `site-code:${site.id}`, now))
      .filter((mail) => mail.to.length > 0);
    await this.outbox.enqueueMany(manager, NotificationSubjects.sendMail, mails);
  }
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
