import { XLSX_TYPE } from '@app/contracts';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  Actor,
  AuditExportFilters,
  CommonErrorCodes,
  FileDownload,
  hasRole,
  Roles,
  EXPORT_STATUS_LABELS,
  EXPORT_WRITE_TIMEOUT_MS,
  ExportErrorCodes,
  ExportJobView,
  ExportKind,
  ExportSubjects,
  ExportWritten,
  FOLDERS,
  NotificationSubjects,
  RecordExportFilters,
} from '@app/contracts';
import {
  APP_CONFIG,
  AuditTrail,
  BusClient,
  DomainError,
  ExportJobSettings,
  JobRunner,
  Outbox,
  StorageSettings,
} from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FileRepository } from '../files/file.repository';
import { ExportJobRepository, ExportJobRow, QueuedExport } from './export-job.repository';

/** Attempts before a background export is given up (each one writes the whole workbook again). */
const MAX_ATTEMPTS = 5;

/** 报送记录-20261202-0840.xlsx (审计日志-… for the audit log), in Beijing time. */
export function exportFileName(kind: ExportKind, at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${kind === 'audit' ? '审计日志' : '报送记录'}-${local.slice(0, 10).replace(/-/g, '')}-${local.slice(11, 16).replace(':', '')}.xlsx`;
}

function toView(row: ExportJobRow): ExportJobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    statusLabel: EXPORT_STATUS_LABELS[row.status],
    filters: row.filters,
    rows: row.rows,
    fileId: row.fileId,
    fileName: row.fileName,
    folder: FOLDERS.exports,
    error: row.error,
    createdAt: new Date(row.createdAt).toISOString(),
    finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
  };
}

/**
 * 后台导出. A request is stored at once (202) with its audit entry; a leased work queue
 * (JobRunner, like imports) runs it: review writes the workbook into the files bucket
 * (`review.export.recordsJob`), then, in one transaction holding the job, the workbook is
 * registered in 文件中心 (folder 导出) of the requesting unit, the job is marked done, and an
 * in-app notice and the audit entry go out through the outbox. A files replica that dies
 * mid-export loses its lease and another takes the job over (the workbook is written again
 * under the same key; registering is idempotent per job).
 */
@Injectable()
export class ExportsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runner: JobRunner<QueuedExport, ExportWritten>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly jobs: ExportJobRepository,
    private readonly files: FileRepository,
    private readonly bus: BusClient,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: StorageSettings & ExportJobSettings,
  ) {
    this.runner = new JobRunner<QueuedExport, ExportWritten>(
      dataSource,
      jobs.queue,
      {
        perform: (job) => this.write(job.id, job.row),
        succeeded: (manager, job, written) => this.finished(manager, job.id, job.row, written),
        failed: (manager, job, error) => this.givenUp(manager, job.id, job.row, error),
      },
      {
        name: 'exports',
        pollMs: 1000,
        batchSize: 2,
        concurrency: 2,
        backoff: { baseMs: 2000, maxMs: 60_000 },
        leaseMs: config.EXPORT_LEASE_MS,
        stopMs: 5000,
        maxAttempts: MAX_ATTEMPTS,
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /**
   * kind records: a unit account, the list's filters; kind audit: an auditor, the audit
   * log's filters. The other combinations are refused before anything is stored.
   */
  async create(
    actor: Actor,
    kind: ExportKind,
    filters: RecordExportFilters | undefined,
    auditFilters: AuditExportFilters | undefined,
  ): Promise<ExportJobView> {
    let kept: RecordExportFilters | AuditExportFilters;
    if (kind === 'records') {
      if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以导出报送记录');
      if (!filters) throw new DomainError(CommonErrorCodes.VALIDATION_FAILED, '请给出导出的筛选条件 filters');
      kept = {
        scope: filters.scope,
        status: filters.status,
        q: filters.q?.trim() || undefined,
        lifecycle: filters.lifecycle,
        requestKind: filters.requestKind,
        orgUnitId: filters.orgUnitId,
      };
    } else {
      if (!hasRole(actor, Roles.AUDITOR))
        throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有审计员可以导出审计日志');
      kept = { ...(auditFilters ?? {}) };
    }
    const id = randomUUID();
    await this.jobs.transaction(async (manager) => {
      await this.jobs.enqueue(manager, { id, orgUnitId: actor.orgUnitId, requester: actor, kind, filters: kept });
      await this.audit.record(manager, {
        actor,
        action: 'export.request',
        targetType: 'export',
        targetId: id,
        details: { kind, filters: { ...kept } },
      });
    });
    return toView((await this.jobs.findById(id))!);
  }

  /** A unit sees its unit's exports, an auditor its own; anyone else's are "not found". */
  async get(actor: Actor, id: string): Promise<ExportJobView> {
    const row = await this.jobs.findById(id);
    const mine = row && (row.orgUnitId ? row.orgUnitId === actor.orgUnitId : row.accountId === actor.accountId);
    if (!row || !mine)
      throw new DomainError(ExportErrorCodes.EXPORT_NOT_FOUND, '导出任务不存在，或不是本单位（本账号）申请的');
    return toView(row);
  }

  /** The finished export's file (how an auditor, who has no 文件中心, downloads it). Audited. */
  async download(actor: Actor, id: string): Promise<FileDownload> {
    const job = await this.get(actor, id);
    if (job.status !== 'DONE' || !job.fileId)
      throw new DomainError(ExportErrorCodes.EXPORT_NOT_FOUND, `导出尚未完成（${job.statusLabel}），完成后才能下载`);
    const file = await this.files.findById(job.fileId);
    if (!file) throw new DomainError(ExportErrorCodes.EXPORT_NOT_FOUND, '导出的文件已不存在');
    const url = await this.storage.client.presignedGetObject(file.bucket, file.objectKey, 120);
    await this.audit.record(this.jobs.manager, {
      actor,
      action: 'file.download',
      targetType: 'file',
      targetId: file.id,
      details: { name: file.name },
    });
    return { name: file.name, contentType: file.contentType, size: file.size, url };
  }

  /** One attempt: the service that owns the data writes the workbook under the job's key. */
  private write(id: string, row: QueuedExport): Promise<ExportWritten> {
    const key = this.objectKey(row, id);
    const options = { timeoutMs: EXPORT_WRITE_TIMEOUT_MS };
    return row.kind === 'audit'
      ? this.bus.request(
          ExportSubjects.auditJob,
          { jobId: id, requester: row.requester, filters: row.filters as AuditExportFilters, key },
          options,
        )
      : this.bus.request(
          ExportSubjects.recordsJob,
          { jobId: id, requester: row.requester, filters: row.filters as RecordExportFilters, key },
          options,
        );
  }

  private objectKey(row: QueuedExport, id: string): string {
    return `exports/${row.org_unit_id ?? row.account_id}/${id}.xlsx`;
  }

  private async finished(manager: EntityManager, id: string, row: QueuedExport, written: ExportWritten): Promise<void> {
    const job = await this.jobs.findById(id);
    const fileName = exportFileName(row.kind, job ? new Date(job.createdAt) : new Date());
    await this.files.insertExport(manager, {
      id,
      ownerOrgUnitId: row.org_unit_id,
      ownerAccountId: row.requester.accountId,
      folder: FOLDERS.exports,
      name: fileName,
      bucket: bucketName(this.config, 'files'),
      objectKey: this.objectKey(row, id),
      size: written.size,
      contentType: XLSX_TYPE,
    });
    await this.jobs.markDone(manager, id, { rows: written.rows, fileId: id, fileName });
    // A unit hears of it by an in-app notice; an auditor (no unit, no notices) sees it on the audit screen.
    if (row.org_unit_id)
      await this.outbox.enqueue(manager, NotificationSubjects.createNotice, {
        key: `export:${id}`,
        orgUnitId: row.org_unit_id,
        kind: 'export',
        title: `导出完成：${fileName}`,
        body: `后台导出的报送记录（${written.rows} 条）已完成，文件“${fileName}”已放入 文件中心 → 导出，请到那里下载。`,
      });
    await this.audit.record(manager, {
      actor: row.requester,
      action: 'export.complete',
      targetType: 'export',
      targetId: id,
      details: { rows: written.rows, fileName },
    });
  }

  private async givenUp(manager: EntityManager, id: string, row: QueuedExport, error: unknown): Promise<void> {
    const message = '导出没有完成（多次重试仍失败），请稍后重新导出；如仍失败请联系技术支持';
    await this.jobs.markFailed(manager, id, message);
    if (row.org_unit_id)
      await this.outbox.enqueue(manager, NotificationSubjects.createNotice, {
        key: `export:${id}:failed`,
        orgUnitId: row.org_unit_id,
        kind: 'export',
        title: '导出失败',
        body: message,
      });
    void error; // the attempts' errors are in last_error and the logs; the user reads the sentence above
  }
}
