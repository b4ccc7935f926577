import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, AuditExportFilters, ExportKind, ExportStatus, RecordExportFilters } from '@app/contracts';
import { WorkQueue } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

/** What a claimed export carries. */
export interface QueuedExport {
  org_unit_id: string | null;
  account_id: string | null;
  requester: Actor;
  kind: ExportKind;
  filters: RecordExportFilters | AuditExportFilters;
}

export interface ExportJobRow {
  id: string;
  orgUnitId: string | null;
  accountId: string | null;
  kind: ExportKind;
  status: ExportStatus;
  filters: RecordExportFilters | AuditExportFilters;
  rows: number | null;
  fileId: string | null;
  fileName: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The `export_job` table: background exports and the work queue the workers lease them from. */
@Injectable()
export class ExportJobRepository {
  readonly queue: WorkQueue<QueuedExport>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.queue = new WorkQueue<QueuedExport>(dataSource, {
      table: 'export_job',
      key: 'id',
      columns: ['org_unit_id', 'account_id', 'requester', 'kind', 'filters'],
      pending: `status IN ('QUEUED', 'RUNNING')`,
      order: 'created_at',
      onClaim: `status = 'RUNNING', started_at = coalesce(started_at, now())`,
      onRetry: `status = 'QUEUED'`,
      leased: true,
    });
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Records a queued export in the caller's transaction, and wakes the workers when it commits. */
  async enqueue(
    manager: EntityManager,
    job: {
      id: string;
      orgUnitId: string | null;
      requester: Actor;
      kind: ExportKind;
      filters: RecordExportFilters | AuditExportFilters;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO export_job (id, org_unit_id, account_id, requester, kind, filters) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        job.id,
        job.orgUnitId,
        job.requester.accountId,
        JSON.stringify(job.requester),
        job.kind,
        JSON.stringify(job.filters),
      ],
    );
    await this.queue.wake(manager);
  }

  async findById(id: string): Promise<ExportJobRow | undefined> {
    const [row]: ExportJobRow[] = await this.dataSource.query(
      `SELECT id, org_unit_id AS "orgUnitId", account_id AS "accountId", kind, status, filters, rows, file_id AS "fileId", file_name AS "fileName",
              error, created_at AS "createdAt", finished_at AS "finishedAt"
         FROM export_job WHERE id = $1`,
      [id],
    );
    return row;
  }

  async markDone(
    manager: EntityManager,
    id: string,
    outcome: { rows: number; fileId: string; fileName: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE export_job SET status = 'DONE', rows = $2, file_id = $3, file_name = $4, error = NULL, finished_at = now()
        WHERE id = $1`,
      [id, outcome.rows, outcome.fileId, outcome.fileName],
    );
  }

  async markFailed(manager: EntityManager, id: string, error: string): Promise<void> {
    await manager.query(`UPDATE export_job SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1`, [
      id,
      error,
    ]);
  }
}
