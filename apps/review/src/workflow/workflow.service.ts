import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, NotificationSubjects, RECORD_STATUS_LABELS, RecordState } from '@app/contracts';
import { AuditTrail, Outbox } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';
import { actorUnitId, visibleRecord } from './record-access';
import { SiteCodes } from './site-codes';
import { lockSelection, Move, MovedRecord, moveRecords } from './transitions';
import { siteCodeMail, sitePeople, workflowNotice } from './workflow-messages';
import { checkMove } from './workflow-rules';

/**
 * submit / approve / return, one record or all at once. Each checks holder, status and the
 * caller's unit under the record's row lock in the same transaction that changes it, so of
 * two units (or two clicks) acting at once one wins and the other gets 409. Bulk actions are
 * set-based: one locking SELECT, one UPDATE with its history, one code allocation.
 */
@Injectable()
export class WorkflowService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly siteCodes: SiteCodes,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
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
    const moved = await this.moveAll(actor, 'submitAll', 'submit');
    return { submitted: moved.length };
  }

  /** 全部审核: every PENDING record held by the caller's unit, approved or forwarded up. */
  async reviewAll(actor: Actor): Promise<{ approved: number; forwarded: number }> {
    const moved = await this.moveAll(actor, 'reviewAll', 'approve');
    const approved = moved.filter((record) => record.toStatus === 'APPROVED').length;
    return { approved, forwarded: moved.length - approved };
  }

  private async moveOne(actor: Actor, id: string, move: Move, reason: string | null = null): Promise<RecordState> {
    const unitId = actorUnitId(actor);
    const state = await this.dataSource.transaction(async (manager) => {
      const record = await visibleRecord(manager, actor, id, true);
      checkMove(record, unitId, move);
      const [moved] = await moveRecords(manager, [id], move, actor, reason);
      await this.afterMoves(manager, [moved], reason);
      await this.audit.record(manager, {
        actor,
        action: `record.${move}`,
        targetType: 'record',
        targetId: id,
        details: {
          siteName: moved.siteName,
          from: moved.fromStatus,
          to: moved.toStatus,
          toHolder: moved.toHolder,
          ...(reason ? { reason } : {}),
          ...(moved.siteCode ? { siteCode: moved.siteCode } : {}),
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

  private async moveAll(actor: Actor, selection: 'submitAll' | 'reviewAll', move: Move): Promise<MovedRecord[]> {
    const unitId = actorUnitId(actor);
    const moved = await this.dataSource.transaction(async (manager) => {
      const ids = await lockSelection(manager, selection, unitId);
      const records = await moveRecords(manager, ids, move, actor);
      await this.afterMoves(manager, records, null);
      const approved = records.filter((record) => record.toStatus === 'APPROVED').length;
      await this.audit.record(manager, {
        actor,
        action: `record.${selection}`,
        targetType: 'org-unit',
        targetId: unitId,
        details: { count: records.length, approved, forwarded: move === 'approve' ? records.length - approved : 0 },
      });
      return records;
    });
    return moved;
  }

  /**
   * What follows a move, in the same transaction: the first final approval gives the record
   * its 标识码 and 校验码 and mails both to the site's people; approvals and returns leave a
   * notice for the unit concerned. All through the outbox, so nothing is lost or doubled.
   */
  private async afterMoves(manager: EntityManager, moved: MovedRecord[], reason: string | null): Promise<void> {
    const firstApprovals = moved.filter((record) => record.toStatus === 'APPROVED' && record.siteCode === null);
    const coded = await this.siteCodes.assign(
      manager,
      firstApprovals.map((record) => ({ id: record.id, ownerCode: record.ownerCode })),
    );
    const codes = new Map(coded.map((record) => [record.id, record]));
    for (const record of moved) record.siteCode = codes.get(record.id)?.siteCode ?? record.siteCode;
    if (coded.length > 0) {
      const now = new Date();
      const people = await sitePeople(
        manager,
        coded.map((record) => record.id),
      );
      const mails = people
        .map((site) => siteCodeMail(site, codes.get(site.id)!, 'approved', `site-code:${site.id}`, now))
        .filter((mail) => mail.to.length > 0);
      await this.outbox.enqueueMany(manager, NotificationSubjects.sendMail, mails);
    }
    const notices = moved.map((record) => workflowNotice(record, reason)).filter((notice) => notice !== null);
    await this.outbox.enqueueMany(manager, NotificationSubjects.createNotice, notices);
  }
}
