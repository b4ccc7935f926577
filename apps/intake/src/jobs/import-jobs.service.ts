import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  CommonErrorCodes,
  IMPORT_REPORT_PAGE_MAX,
  ImportFormReport,
  ImportJobView,
  ImportPackageLocation,
  IntakeErrorCodes,
  Page,
  StartImportRequest,
} from '@app/contracts';
import { AuditTrail, currentCorrelationId, DomainError } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UploadsService } from '../uploads/uploads.service';
import { ImportJobRepository, ImportJobRow } from './import-job.repository';
import { ImportStageRepository } from './import-stage.repository';

/** Import jobs: recorded when the upload is stored, run by a worker, read by their unit. */
@Injectable()
export class ImportJobsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ImportJobRepository,
    private readonly stage: ImportStageRepository,
    private readonly audit: AuditTrail,
    private readonly uploads: UploadsService,
  ) {}

  async start(request: StartImportRequest): Promise<{ jobId: string }> {
    const { actor } = request;
    const orgUnitId = actor.orgUnitId;
    if (!orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以导入网站信息');
    const jobId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      // Past the quota now (another upload of the unit finished first): refused, and the
      // gateway deletes the stored upload.
      await this.uploads.settle(manager, actor, request.leaseId, request.size);
      await this.jobs.enqueue(manager, {
        id: jobId,
        orgUnitId,
        actor,
        dryRun: request.dryRun,
        kind: request.kind,
        fileName: request.fileName,
        size: request.size,
        objectKey: request.objectKey,
        correlationId: currentCorrelationId(),
      });
      await this.audit.record(manager, {
        actor,
        action: request.dryRun ? 'import.preview' : 'import.start',
        targetType: 'import-job',
        targetId: jobId,
        details: { fileName: request.fileName, size: request.size },
      });
    });
    return { jobId };
  }

  /** The job, its report's counts and the report's first page (the rest: `reportPage`). */
  async get(actor: Actor, id: string): Promise<ImportJobView> {
    const row = await this.ownJob(actor, id);
    const view = toView(row);
    if (row.report) {
      const first = await this.stage.reportPage(id, 0, IMPORT_REPORT_PAGE_MAX);
      view.report = { ...row.report, forms: first.items, formsTotal: first.total };
    }
    return view;
  }

  /** One page of the job's report, however many forms the package held. */
  async reportPage(actor: Actor, id: string, page: number, pageSize: number): Promise<Page<ImportFormReport>> {
    const row = await this.ownJob(actor, id);
    if (!row.report) return { items: [], total: 0 };
    return this.stage.reportPage(id, (page - 1) * pageSize, pageSize);
  }

  private async ownJob(actor: Actor, id: string): Promise<ImportJobRow> {
    const row = await this.jobs.findById(id);
    // Another unit's job looks the same as none at all.
    if (!row || row.org_unit_id !== actor.orgUnitId)
      throw new DomainError(IntakeErrorCodes.IMPORT_NOT_FOUND, '导入任务不存在');
    return row;
  }

  /** The original package of one of the unit's jobs; the download is audited. */
  async packageOf(actor: Actor, id: string): Promise<ImportPackageLocation> {
    const row = await this.jobs.findPackage(id);
    if (!row || row.org_unit_id !== actor.orgUnitId)
      throw new DomainError(IntakeErrorCodes.IMPORT_NOT_FOUND, '导入任务不存在');
    await this.audit.record(this.dataSource.manager, {
      actor,
      action: 'import.package.download',
      targetType: 'import-job',
      targetId: id,
      details: { fileName: row.file_name },
    });
    return { fileName: row.file_name, objectKey: row.object_key, size: Number(row.size), kind: row.kind };
  }

  async list(actor: Actor, page: number, pageSize: number): Promise<Page<ImportJobView>> {
    if (!actor.orgUnitId) return { items: [], total: 0 };
    const { rows, total } = await this.jobs.pageForUnit(actor.orgUnitId, (page - 1) * pageSize, pageSize);
    return { items: rows.map(toView), total };
  }
}

function toView(row: ImportJobRow): ImportJobView {
  const view: ImportJobView = {
    id: row.id,
    status: row.status,
    dryRun: row.dry_run,
    fileName: row.file_name,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    progress: { done: row.progress_done, total: row.progress_total },
    report: null,
  };
  if (row.error) view.error = row.error;
  if (row.summary) view.summary = row.summary;
  // Back in the queue after a failed attempt (a service it needs did not answer): it will be
  // retried by itself, and the unit should know it need not upload the file again.
  if (row.status === 'QUEUED' && row.attempts > 0)
    view.retry = { attempts: row.attempts, nextAttemptAt: row.next_attempt_at.toISOString() };
  return view;
}
