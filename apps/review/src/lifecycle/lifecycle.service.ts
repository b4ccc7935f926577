import { Injectable } from '@nestjs/common';
import {
  Actor,
  AuditAction,
  LIFECYCLE_LABELS,
  LifecycleRequestKind,
  REQUEST_KIND_LABELS,
  RecordAction,
  RecordDetail,
  RecordErrorCodes,
  RequestKind,
} from '@app/contracts';
import { validateForm } from '@app/forms';
import { contentHash } from '@app/package/content-hash';
import { AuditTrail, DomainError } from '@app/platform';
import { nextPosition } from '@app/workflow';
import { EntityManager } from 'typeorm';
import { SiteRecord } from '../records/record.entity';
import { toDetail } from '../records/record.mapper';
import { RecordRepository } from '../records/record.repository';
import { actorUnitId, visible } from '../workflow/record-access';
import { LifecycleRepository } from './lifecycle.repository';

/** The audit log's action and the history's action for each kind of request. */
const REQUEST_AUDIT: Readonly<Record<RequestKind, AuditAction>> = {
  CHANGE: 'record.request-change',
  CLOSE: 'record.request-close',
  REOPEN: 'record.request-reopen',
  DEREGISTER: 'record.request-deregister',
};
export const REQUEST_HISTORY: Readonly<Record<RequestKind, RecordAction>> = {
  CHANGE: 'request-change',
  CLOSE: 'request-close',
  REOPEN: 'request-reopen',
  DEREGISTER: 'request-deregister',
};

/** Today in China (YYYY-MM-DD). */
function chinaToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** 注销 is for good: the record is read-only and answers every change with this. */
export function refuseDeregistered(record: Pick<SiteRecord, 'lifecycle'>): void {
  if (record.lifecycle === 'DEREGISTERED')
    throw new DomainError(RecordErrorCodes.RECORD_DEREGISTERED, '该网站已注销，记录只读，不能再修改或提出申请');
}

/**
 * Life after approval: the owner of an approved record files a 变更 (new content) or a 关停 /
 * 恢复 / 注销, and the request travels the review chain as the record's status and holder do
 * (未审核 at each level, 退回 down, 全部审核 included): WorkflowService moves it and applies it
 * at the final approval. The approved content stays current until then. The owner may withdraw
 * a request while nobody above has acted on it (still at the first reviewer, or returned to it).
 */
@Injectable()
export class LifecycleService {
  constructor(
    private readonly records: RecordRepository,
    private readonly requests: LifecycleRepository,
    private readonly audit: AuditTrail,
  ) {}

  async changeRequest(
    actor: Actor,
    id: string,
    content: Record<string, unknown>,
    reason?: string,
  ): Promise<RecordDetail> {
    const checked = validateForm(content);
    if (!checked.ok)
      throw new DomainError(
        RecordErrorCodes.RECORD_FORM_INVALID,
        `表单有 ${checked.errors.length} 处不符合填报要求，请修改后再提交变更`,
        checked.errors,
      );
    const form = checked.value as unknown as Record<string, unknown> & typeof checked.value;
    if (form.id !== id)
      throw new DomainError(RecordErrorCodes.RECORD_FORM_INVALID, '表单编号与要变更的记录不一致', [
        { field: 'id', label: '表单编号', message: '表单编号与要变更的记录不一致' },
      ]);
    return this.file(actor, id, 'CHANGE', async (manager, record) => {
      const hash = contentHash(form);
      if ((await this.records.contentHash(manager, id, record.currentVersion)) === hash)
        throw new DomainError(RecordErrorCodes.RECORD_REQUEST_INVALID, '变更内容与当前已审核的内容相同，无需申请变更');
      return {
        kind: 'CHANGE',
        payload: form,
        payloadHash: hash,
        reason: reason?.trim() || null,
        expectedReopenDate: null,
        requestedBy: actor.username,
      };
    });
  }

  async lifecycleRequest(
    actor: Actor,
    id: string,
    kind: LifecycleRequestKind,
    reason: string,
    expectedReopenDate?: string,
  ): Promise<RecordDetail> {
    if (kind === 'CLOSE') {
      if (!expectedReopenDate)
        throw new DomainError(RecordErrorCodes.RECORD_REQUEST_INVALID, '申请关停须填写预计恢复日期');
      if (!isCalendarDate(expectedReopenDate))
        throw new DomainError(
          RecordErrorCodes.RECORD_REQUEST_INVALID,
          `预计恢复日期 ${expectedReopenDate} 不是有效日期`,
        );
      if (expectedReopenDate <= chinaToday())
        throw new DomainError(RecordErrorCodes.RECORD_REQUEST_INVALID, '预计恢复日期应晚于今天');
    }
    return this.file(actor, id, kind, async (_manager, record) => {
      const allowed: Record<LifecycleRequestKind, boolean> = {
        CLOSE: record.lifecycle === 'ACTIVE',
        REOPEN: record.lifecycle === 'CLOSED',
        DEREGISTER: record.lifecycle !== 'DEREGISTERED',
      };
      if (!allowed[kind])
        throw new DomainError(
          RecordErrorCodes.RECORD_REQUEST_INVALID,
          `网站当前为“${LIFECYCLE_LABELS[record.lifecycle]}”，不能申请${REQUEST_KIND_LABELS[kind]}`,
        );
      return {
        kind,
        payload: null,
        payloadHash: null,
        reason: reason.trim(),
        expectedReopenDate: kind === 'CLOSE' ? (expectedReopenDate ?? null) : null,
        requestedBy: actor.username,
      };
    });
  }

  /** 撤回: the owner takes its request back while nobody above has acted; the record is 已审核 again. */
  async withdraw(actor: Actor, id: string): Promise<RecordDetail> {
    const unitId = actorUnitId(actor);
    return this.records.transaction(async (manager) => {
      const record = visible(await this.records.lockById(manager, id), actor);
      if (record.ownerOrgUnitId !== unitId)
        throw new DomainError(RecordErrorCodes.NOT_RECORD_OWNER, '只有提出申请的填报单位可以撤回申请');
      if (!record.requestKind)
        throw new DomainError(RecordErrorCodes.RECORD_STATE_CONFLICT, '该记录没有待审核的申请，无需撤回');
      const firstReviewer = nextPosition(record, 'submit').holderOrgUnitId;
      const untouched =
        (record.status === 'PENDING' && record.holderOrgUnitId === firstReviewer) ||
        (record.status === 'RETURNED' && record.holderOrgUnitId === unitId);
      if (!untouched)
        throw new DomainError(
          RecordErrorCodes.RECORD_STATE_CONFLICT,
          '上级单位已处理该申请，不能撤回；如需撤回，请联系审核单位退回',
        );
      const kind = record.requestKind;
      await this.requests.clear(manager, id);
      await this.records.applyMoves(manager, actor, 'withdraw', `撤回${REQUEST_KIND_LABELS[kind]}申请`, [
        {
          id,
          status: 'APPROVED',
          holderOrgUnitId: record.finalReviewerOrgUnitId,
          fromStatus: record.status,
          fromHolder: record.holderOrgUnitId,
          siteCode: null,
          checkCodeEnc: null,
        },
      ]);
      await this.audit.record(manager, {
        actor,
        action: 'record.request-withdraw',
        targetType: 'record',
        targetId: id,
        details: { siteName: record.siteName, siteCode: record.siteCode, requestKind: kind },
      });
      return this.detailOf(manager, id);
    });
  }

  /**
   * Files a request on the caller's own approved record (or a 变更 returned to it, filed again)
   * and sends it to the first reviewer, as a submit does; history and audit name the request.
   */
  private async file(
    actor: Actor,
    id: string,
    kind: RequestKind,
    build: (manager: EntityManager, record: SiteRecord) => Promise<Parameters<LifecycleRepository['file']>[2]>,
  ): Promise<RecordDetail> {
    const unitId = actorUnitId(actor);
    return this.records.transaction(async (manager) => {
      const record = visible(await this.records.lockById(manager, id), actor);
      if (record.ownerOrgUnitId !== unitId)
        throw new DomainError(
          RecordErrorCodes.NOT_RECORD_OWNER,
          `只有填报该网站的单位可以申请${REQUEST_KIND_LABELS[kind]}`,
        );
      refuseDeregistered(record);
      const refiled = record.requestKind === kind && record.status === 'RETURNED' && record.holderOrgUnitId === unitId;
      if (record.requestKind && !refiled)
        throw new DomainError(
          RecordErrorCodes.RECORD_REQUEST_PENDING,
          `该网站已有待审核的${REQUEST_KIND_LABELS[record.requestKind]}申请，请等待审核完成或撤回后再申请`,
        );
      if (!record.requestKind && (record.status !== 'APPROVED' || !record.siteCode))
        throw new DomainError(
          RecordErrorCodes.RECORD_STATE_CONFLICT,
          `只有已审核（已分配网站标识码）的网站可以申请${REQUEST_KIND_LABELS[kind]}；尚未审核通过的记录请直接修改或重新导入`,
        );
      const request = await build(manager, record);
      await this.requests.file(manager, id, request);
      const to = nextPosition(record, 'submit');
      await this.records.applyMoves(manager, actor, REQUEST_HISTORY[kind], request.reason, [
        {
          id,
          status: to.status,
          holderOrgUnitId: to.holderOrgUnitId,
          fromStatus: record.status,
          fromHolder: record.holderOrgUnitId,
          siteCode: null,
          checkCodeEnc: null,
        },
      ]);
      await this.audit.record(manager, {
        actor,
        action: REQUEST_AUDIT[kind],
        targetType: 'record',
        targetId: id,
        details: {
          siteName: record.siteName,
          siteCode: record.siteCode,
          toHolder: to.holderOrgUnitId,
          ...(request.reason ? { reason: request.reason } : {}),
          ...(request.expectedReopenDate ? { expectedReopenDate: request.expectedReopenDate } : {}),
        },
      });
      return this.detailOf(manager, id);
    });
  }

  private async detailOf(manager: EntityManager, id: string): Promise<RecordDetail> {
    const record = (await manager.findOne(SiteRecord, { where: { id } })) as SiteRecord;
    const [row]: Array<{ content: Record<string, unknown> }> = await manager.query(
      'SELECT content FROM record_version WHERE record_id = $1 AND version = $2',
      [id, record.currentVersion],
    );
    return toDetail(record, row?.content ?? {});
  }
}
