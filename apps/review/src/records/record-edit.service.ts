import { Injectable } from '@nestjs/common';
import { Actor, REQUEST_KIND_LABELS, RecordDetail, RecordErrorCodes } from '@app/contracts';
import { validateForm } from '@app/forms';
import { AuditTrail, DomainError } from '@app/platform';
import { contentHash } from '@app/package/content-hash';
import { refuseDeregistered } from '../lifecycle/lifecycle.service';
import { actorUnitId, visible } from '../workflow/record-access';
import { checkAction } from '../workflow/workflow-rules';
import { SiteRecord } from './record.entity';
import { toDetail } from './record.mapper';
import { RecordRepository } from './record.repository';

/**
 * An approved site is changed only through a request (变更), never edited or deleted in place:
 * a 注销 record is read-only, and one with a request (even returned to its owner) is changed
 * by filing the request again or withdrawing it.
 */
function refuseRequestRecord(record: SiteRecord, verb: string): void {
  refuseDeregistered(record);
  if (record.requestKind)
    throw new DomainError(
      RecordErrorCodes.RECORD_REQUEST_PENDING,
      `该网站已审核通过，有待审核的${REQUEST_KIND_LABELS[record.requestKind]}申请，不能直接${verb}；请通过“申请变更”重新提交或撤回申请`,
    );
}

/**
 * The owner's own changes: edit (a new content version, checked by the same form rules as
 * every import) and delete, allowed only while the record is back with the owner (未提交 or
 * 已退回 at the owner: the FAQ, item 21). Re-import is the other way to change content, and
 * is allowed while the record waits at a reviewer (@app/workflow, `reimport`).
 */
@Injectable()
export class RecordEditService {
  constructor(
    private readonly records: RecordRepository,
    private readonly audit: AuditTrail,
  ) {}

  async update(actor: Actor, id: string, content: Record<string, unknown>): Promise<RecordDetail> {
    const unitId = actorUnitId(actor);
    const checked = validateForm(content);
    if (!checked.ok)
      throw new DomainError(
        RecordErrorCodes.RECORD_FORM_INVALID,
        `表单有 ${checked.errors.length} 处不符合填报要求，请修改后再保存`,
        checked.errors,
      );
    const form = checked.value as unknown as Record<string, unknown> & typeof checked.value;
    if (form.id !== id)
      throw new DomainError(RecordErrorCodes.RECORD_FORM_INVALID, '表单编号与要修改的记录不一致', [
        { field: 'id', label: '表单编号', message: '表单编号与要修改的记录不一致' },
      ]);
    const detail = await this.records.transaction(async (manager) => {
      const record = visible(await this.records.lockById(manager, id), actor);
      refuseRequestRecord(record, '修改');
      checkAction(record, unitId, 'edit');
      const hash = contentHash(form);
      if ((await this.records.contentHash(manager, id, record.currentVersion)) === hash) return toDetail(record, form);
      const version = record.currentVersion + 1;
      await this.records.appendVersions(manager, { username: actor.username, orgUnitId: unitId }, [
        { recordId: id, version, content: form, contentHash: hash },
      ]);
      Object.assign(record, {
        currentVersion: version,
        siteName: form.site.siteName,
        homepageUrl: form.site.homepageUrl,
        updatedAt: new Date(),
      });
      await this.records.setCurrentVersion(manager, id, {
        version,
        siteName: record.siteName,
        homepageUrl: record.homepageUrl,
        updatedAt: record.updatedAt,
      });
      await this.records.appendHistory(manager, actor, [
        {
          recordId: id,
          action: 'edit',
          fromStatus: record.status,
          toStatus: record.status,
          fromHolder: record.holderOrgUnitId,
          toHolder: record.holderOrgUnitId,
        },
      ]);
      await this.audit.record(manager, {
        actor,
        action: 'record.edit',
        targetType: 'record',
        targetId: id,
        details: { siteName: record.siteName, version },
      });
      return toDetail(record, form);
    });
    return detail;
  }

  async remove(actor: Actor, id: string): Promise<{ deleted: true }> {
    const unitId = actorUnitId(actor);
    await this.records.transaction(async (manager) => {
      const record = visible(await this.records.lockById(manager, id), actor);
      refuseRequestRecord(record, '删除');
      checkAction(record, unitId, 'delete');
      await this.records.remove(manager, id);
      await this.audit.record(manager, {
        actor,
        action: 'record.delete',
        targetType: 'record',
        targetId: id,
        details: {
          siteName: record.siteName,
          homepageUrl: record.homepageUrl,
          status: record.status,
          siteCode: record.siteCode,
        },
      });
    });
    return { deleted: true };
  }
}
