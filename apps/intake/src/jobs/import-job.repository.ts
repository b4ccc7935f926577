import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, ImportJobView, ImportSummary, PackageKind } from '@app/contracts';
import { WorkQueue } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

export interface ImportJobRow {
  id: string;
  org_unit_id: string;
  status: ImportJobView['status'];
  dry_run: boolean;
  file_name: string;
  created_at: Date;
  finished_at: Date | null;
  progress_done: number;
  progress_total: number;
  /** The report's counts (its rows are in import_report_form). */
  report: ImportSummary | null;
  error: ImportJobView['error'] | null;
  attempts: number;
  next_attempt_at: Date;
  /** The report without its forms (what the list shows). */
  summary: ImportJobView['summary'] | null;
}

/** What the worker needs of a claimed job. */
export interface QueuedImport {
  org_unit_id: string;
  actor: Actor;
  dry_run: boolean;
  kind: PackageKind;
  object_key: string;
  /** The upload request's correlation id (null for jobs queued before it was kept). */
  correlation_id: string | null;
}

export interface ExpiredImport {
  id: string;
  org_unit_id: string;
  object_key: string;
  file_name: string;
  size: string;
  dry_run: boolean;
  status: ImportJobView['status'];
}

export interface ImportPackageRow {
  org_unit_id: string;
  file_name: string;
  object_key: string;
  size: string;
  kind: PackageKind;
}

/**
 * The `import_job` table: a unit's import jobs, and the work queue the workers lease them
 * from (QUEUED → RUNNING → SUCCEEDED/FAILED; a RUNNING job whose lease ran out is taken over).
 */
@Injectable()
export class ImportJobRepository {
  readonly queue: WorkQueue<QueuedImport>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.queue = new WorkQueue<QueuedImport>(dataSource, {
      table: 'import_job',
      key: 'id',
      columns: ['org_unit_id', 'actor', 'dry_run', 'kind', 'object_key', 'correlation_id'],
      pending: `status IN ('QUEUED', 'RUNNING')`,
      order: 'created_at',
      since: 'created_at',
      onClaim: `status = 'RUNNING', started_at = coalesce(started_at, now())`,
      onRetry: `status = 'QUEUED'`,
      leased: true,
    });
  }

  /** Records a queued job in the caller's transaction, and wakes the workers when it commits. */
  async enqueue(
    manager: EntityManager,
    job: {
      id: string;
      orgUnitId: string;
      actor: Actor;
      dryRun: boolean;
      kind: PackageKind;
      fileName: string;
      size: number;
      objectKey: string;
      /** The upload request's, kept for every log line about the job on any replica. */
      correlationId?: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO import_job (id, org_unit_id, actor, dry_run, kind, file_name, size, object_key, correlation_id, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'QUEUED')`,
      [
        job.id,
        job.orgUnitId,
        JSON.stringify(job.actor),
        job.dryRun,
        job.kind,
        job.fileName,
        job.size,
        job.objectKey,
        job.correlationId ?? null,
      ],
    );
    await this.queue.wake(manager);
  }

  /** Jobs not finished yet, by state: the queue's depth (the metrics read it at scrape time). */
  async depth(): Promise<Record<'QUEUED' | 'RUNNING', number>> {
    const rows: Array<{ status: 'QUEUED' | 'RUNNING'; n: number }> = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM import_job WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status`,
    );
    const depth = { QUEUED: 0, RUNNING: 0 };
    for (const row of rows) depth[row.status] = row.n;
    return depth;
  }

  async findById(id: string): Promise<ImportJobRow | undefined> {
    const [row]: ImportJobRow[] = await this.dataSource.query(
      `SELECT *, report - 'forms' AS summary FROM import_job WHERE id = $1`,
      [id],
    );
    return row;
  }

  async findPackage(id: string): Promise<ImportPackageRow | undefined> {
    const [row]: ImportPackageRow[] = await this.dataSource.query(
      'SELECT org_unit_id, file_name, object_key, size, kind FROM import_job WHERE id = $1',
      [id],
    );
    return row;
  }

  /** One page of a unit's jobs, newest first, without their forms; and how many it has. */
  async pageForUnit(
    orgUnitId: string,
    offset: number,
    limit: number,
  ): Promise<{ rows: ImportJobRow[]; total: number }> {
    const rows: ImportJobRow[] = await this.dataSource.query(
      `SELECT id, org_unit_id, status, dry_run, file_name, created_at, finished_at, progress_done, progress_total, NULL AS report, report - 'forms' AS summary, error, attempts, next_attempt_at
         FROM import_job WHERE org_unit_id = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3`,
      [orgUnitId, limit, offset],
    );
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(
      'SELECT count(*)::int AS total FROM import_job WHERE org_unit_id = $1',
      [orgUnitId],
    );
    return { rows, total };
  }

  /** Bytes of packages the unit keeps in object storage (every job's package until retention removes it). */
  async storedBytes(manager: EntityManager, orgUnitId: string): Promise<number> {
    const [row]: Array<{ bytes: string }> = await manager.query(
      'SELECT coalesce(sum(size), 0)::text AS bytes FROM import_job WHERE org_unit_id = $1',
      [orgUnitId],
    );
    return Number(row.bytes);
  }

  /**
   * Refused (FAILED) and dry-run jobs that ended more than `retentionSeconds` ago, locked
   * until the transaction ends (SKIP LOCKED: replicas sweeping at once share them out).
   * Accepted imports are never among them: their packages are kept.
   */
  async lockExpired(manager: EntityManager, retentionSeconds: number, limit: number): Promise<ExpiredImport[]> {
    return manager.query(
      `SELECT id, org_unit_id, object_key, file_name, size::text AS size, dry_run, status FROM import_job
        WHERE (status = 'FAILED' OR (dry_run AND status = 'SUCCEEDED'))
          AND finished_at < now() - $1 * interval '1 second'
        ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [retentionSeconds, limit],
    );
  }

  /** The job, with its report's rows and anything still staged for it. */
  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query('DELETE FROM import_report_form WHERE job_id = $1', [id]);
    await manager.query('DELETE FROM import_stage WHERE job_id = $1', [id]);
    await manager.query('DELETE FROM import_job WHERE id = $1', [id]);
  }

  async recordProgress(manager: EntityManager, id: string, done: number, total?: number): Promise<void> {
    await manager.query(
      `UPDATE import_job SET progress_done = $2, progress_total = coalesce($3, progress_total) WHERE id = $1`,
      [id, done, total ?? null],
    );
  }

  async markSucceeded(manager: EntityManager, id: string, report: unknown): Promise<void> {
    await manager.query(
      `UPDATE import_job SET status = 'SUCCEEDED', report = $2, error = NULL, finished_at = now() WHERE id = $1`,
      [id, JSON.stringify(report)],
    );
  }

  async markFailed(
    manager: EntityManager,
    id: string,
    error: { code: string; message: string; details?: unknown },
  ): Promise<void> {
    await manager.query(
      `UPDATE import_job SET status = 'FAILED', report = NULL, error = $2, finished_at = now() WHERE id = $1`,
      [id, JSON.stringify(error)],
    );
  }
}
