import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, RecordDetail, RecordErrorCodes } from '@app/contracts';
import { validateForm } from '@app/forms';
import { AuditTrail, DomainError } from '@app/platform';
import { DataSource } from 'typeorm';
import { contentHash } from '../imports/content-hash';
import { actorUnitId, visibleRecord } from '../workflow/record-access';
import { checkOwnerChange } from '../workflow/workflow-rules';
import { toDetail } from './record.mapper';

/**
 * The owner's own changes: edit (a new content version, checked by the same form rules as
 * every import) and delete, allowed only while the record is back with the owner (未提交 or
 * 已退回 at the owner: the FAQ, item 21).
 */
@Injectable()
export class RecordEditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const form = checked.value;
    if (form.id !== id)
      throw new DomainError(RecordErrorCodes.RECORD_FORM_INVALID, '表单编号与要修改的记录不一致', [
        { field: 'id', label: '表单编号', message: '表单编号与要修改的记录不一致' },
      ]);
    const detail = await this.dataSource.transaction(async (manager) => {
      const record = await visibleRecord(manager, actor, id, true);
      checkOwnerChange(record, unitId, '修改');
      const hash = contentHash(form as unknown as Record<string, unknown>);
      const [current]: Array<{ content_hash: string }> = await manager.query(
        'SELECT content_hash FROM record_version WHERE record_id = $1 AND version = $2',
        [id, record.currentVersion],
      );
      if (current?.content_hash === hash) return toDetail(record, form as unknown as Record<string, unknown>);
      const version = record.currentVersion + 1;
      await manager.query(
        `INSERT INTO record_version (record_id, version, content, content_hash, imported_by, imported_by_org_unit_id) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, version, JSON.stringify(form), hash, actor.username, unitId],
      );
      Object.assign(record, {
        currentVersion: version,
        siteName: form.site.siteName,
        homepageUrl: form.site.homepageUrl,
        updatedAt: new Date(),
      });
      await manager.query(
        `UPDATE record SET current_version = $2, site_name = $3, homepage_url = $4, updated_at = $5 WHERE id = $1`,
        [id, version, record.siteName, record.homepageUrl, record.updatedAt],
      );
      await manager.query(
        `INSERT INTO record_history (record_id, action, actor_account_id, actor_username, actor_org_unit_id, from_status, to_status, from_holder_org_unit_id, to_holder_org_unit_id)
         VALUES ($1, 'edit', $2, $3, $4, $5, $5, $6, $6)`,
        [id, actor.accountId, actor.username, unitId, record.status, record.holderOrgUnitId],
      );
      await this.audit.record(manager, {
        actor,
        action: 'record.edit',
        targetType: 'record',
        targetId: id,
        details: { siteName: record.siteName, version },
      });
      return toDetail(record, form as unknown as Record<string, unknown>);
    });
    return detail;
  }

  async remove(actor: Actor, id: string): Promise<{ deleted: true }> {
    const unitId = actorUnitId(actor);
    await this.dataSource.transaction(async (manager) => {
      const record = await visibleRecord(manager, actor, id, true);
      checkOwnerChange(record, unitId, '删除');
      await manager.query('DELETE FROM record WHERE id = $1', [id]);
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
