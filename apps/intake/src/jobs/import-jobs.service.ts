import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  CommonErrorCodes,
  ImportJobView,
  ImportPackageLocation,
  IntakeErrorCodes,
  PackageKind,
  Page,
  StartImportRequest,
} from '@app/contracts';
import { AuditTrail, DomainError } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ImportWorker } from './import-worker';

interface JobRow {
  id: string;
  org_unit_id: string;
  status: ImportJobView['status'];
  dry_run: boolean;
  file_name: string;
  created_at: Date;
  finished_at: Date | null;
  progress_done: number;
  progress_total: number;
  report: ImportJobView['report'];
  error: ImportJobView['error'] | null;
  attempts: number;
  next_attempt_at: Date;
  /** The report without its forms (what the list shows). */
  summary: ImportJobView['summary'] | null;
}

/** Import jobs: recorded when the upload is stored, run by a worker, read by their unit. */
@Injectable()
export class ImportJobsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly worker: ImportWorker,
    private readonly audit: AuditTrail,
  ) {}

  async start(request: StartImportRequest): Promise<{ jobId: string }> {
    const { actor } = request;
    if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以导入网站信息');
    const jobId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO import_job (id, org_unit_id, actor, dry_run, kind, file_name, size, object_key, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'QUEUED')`,
        [
          jobId,
          actor.orgUnitId,
          JSON.stringify(actor),
          request.dryRun,
          request.kind,
          request.fileName,
          request.size,
          request.objectKey,
        ],
      );
      await this.audit.record(manager, {
        actor,
        action: request.dryRun ? 'import.preview' : 'import.start',
        targetType: 'import-job',
        targetId: jobId,
        details: { fileName: request.fileName, size: request.size },
      });
    });
    this.audit.flush();
    this.worker.trigger();
    return { jobId };
  }

  async get(actor: Actor, id: string): Promise<ImportJobView> {
    const [row]: JobRow[] = await this.dataSource.query(
      `SELECT *, report - 'forms' AS summary FROM import_job WHERE id = $1`,
      [id],
    );
    // Another unit's job looks the same as none at all.
    if (!row || row.org_unit_id !== actor.orgUnitId)
      throw new DomainError(IntakeErrorCodes.IMPORT_NOT_FOUND, '导入任务不存在');
    return toView(row);
  }

  /** The original package of one of the unit's jobs; the download is audited. */
  async packageOf(actor: Actor, id: string): Promise<ImportPackageLocation> {
    const [row]: Array<{
      org_unit_id: string;
      file_name: string;
      object_key: string;
      size: string;
      kind: PackageKind;
    }> = await this.dataSource.query(
      'SELECT org_unit_id, file_name, object_key, size, kind FROM import_job WHERE id = $1',
      [id],
    );
    if (!row || row.org_unit_id !== actor.orgUnitId)
      throw new DomainError(IntakeErrorCodes.IMPORT_NOT_FOUND, '导入任务不存在');
    await this.audit.record(this.dataSource.manager, {
      actor,
      action: 'import.package.download',
      targetType: 'import-job',
      targetId: id,
      details: { fileName: row.file_name },
    });
    this.audit.flush();
    return { fileName: row.file_name, objectKey: row.object_key, size: Number(row.size), kind: row.kind };
  }

  async list(actor: Actor, page: number, pageSize: number): Promise<Page<ImportJobView>> {
    if (!actor.orgUnitId) return { items: [], total: 0 };
    const rows: JobRow[] = await this.dataSource.query(
      `SELECT id, org_unit_id, status, dry_run, file_name, created_at, finished_at, progress_done, progress_total, NULL AS report, report - 'forms' AS summary, error, attempts, next_attempt_at
         FROM import_job WHERE org_unit_id = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3`,
      [actor.orgUnitId, pageSize, (page - 1) * pageSize],
    );
    const [{ total }] = await this.dataSource.query(
      'SELECT count(*)::int AS total FROM import_job WHERE org_unit_id = $1',
      [actor.orgUnitId],
    );
    return { items: rows.map(toView), total };
  }
}

function toView(row: JobRow): ImportJobView {
  const view: ImportJobView = {
    id: row.id,
    status: row.status,
    dryRun: row.dry_run,
    fileName: row.file_name,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    progress: { done: row.progress_done, total: row.progress_total },
    report: row.report,
  };
  if (row.error) view.error = row.error;
  if (row.summary) view.summary = row.summary;
  // Back in the queue after a failed attempt (a service it needs did not answer): it will be
  // retried by itself, and the unit should know it need not upload the file again.
  if (row.status === 'QUEUED' && row.attempts > 0)
    view.retry = { attempts: row.attempts, nextAttemptAt: row.next_attempt_at.toISOString() };
  return view;
}
