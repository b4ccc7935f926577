import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ImportReport } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { StagedForm } from './import-plan';

const JOB_LOCK = 0x67737203;

/** The staging area of imports and the stored report of each committed job. */
@Injectable()
export class ImportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stage(jobId: string, chunk: number, forms: unknown[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO import_stage (job_id, chunk, forms) VALUES ($1, $2, $3)
       ON CONFLICT (job_id, chunk) DO UPDATE SET forms = EXCLUDED.forms, created_at = now()`,
      [jobId, chunk, JSON.stringify(forms)],
    );
  }

  /** One commit per job at a time, until the caller's transaction ends. */
  async lockJob(manager: EntityManager, jobId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [JOB_LOCK, jobId]);
  }

  /** Takes the job's commit lock if free (until the caller's transaction ends): false while a commit runs. */
  async tryLockJob(manager: EntityManager, jobId: string): Promise<boolean> {
    const [row]: Array<{ locked: boolean }> = await manager.query(
      'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
      [JOB_LOCK, jobId],
    );
    return row.locked;
  }

  async committedReport(manager: EntityManager, jobId: string): Promise<ImportReport | null> {
    const [done]: Array<{ report: ImportReport }> = await manager.query(
      'SELECT report FROM import_commit WHERE job_id = $1',
      [jobId],
    );
    return done?.report ?? null;
  }

  async saveReport(manager: EntityManager, jobId: string, report: ImportReport): Promise<void> {
    await manager.query('INSERT INTO import_commit (job_id, report) VALUES ($1, $2)', [jobId, JSON.stringify(report)]);
  }

  stagedChunks(manager: EntityManager, jobId: string): Promise<Array<{ chunk: number; forms: StagedForm[] }>> {
    return manager.query('SELECT chunk, forms FROM import_stage WHERE job_id = $1 ORDER BY chunk', [jobId]);
  }

  async clearStage(manager: EntityManager, jobId: string): Promise<void> {
    await manager.query('DELETE FROM import_stage WHERE job_id = $1', [jobId]);
  }
}
