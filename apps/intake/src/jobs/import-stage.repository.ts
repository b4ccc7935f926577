import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ImportFormReport } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';

/**
 * A job's bulk data, by reference: the staged forms review's commit reads (and deletes), and
 * the report's rows it writes (see IMPORT_STAGE_TABLE in the contracts). Both are intake's.
 */
@Injectable()
export class ImportStageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Replaces the job's staged rows with `batches` (JSON arrays from prepareStage), in one
   * transaction: a re-run job (its replica died mid-way) never leaves a mix of two attempts.
   */
  async write(jobId: string, batches: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM import_stage WHERE job_id = $1', [jobId]);
      for (const batch of batches) {
        await manager.query(
          `INSERT INTO import_stage (job_id, seq, form_id, site_name, homepage_url, content, content_hash, errors)
           SELECT $1, x.seq, x.form_id, x.site_name, x.homepage_url, x.content, x.content_hash, x.errors
             FROM jsonb_to_recordset($2::jsonb) AS x(seq int, form_id text, site_name text, homepage_url text, content jsonb, content_hash text, errors jsonb)`,
          [jobId, batch],
        );
      }
    });
  }

  async clear(manager: EntityManager, jobId: string): Promise<void> {
    await manager.query('DELETE FROM import_stage WHERE job_id = $1', [jobId]);
  }

  /**
   * Staged rows left behind: their job is no longer waiting or running (it ended without its
   * commit deleting them, or was removed), or they are a day old. Answers how many went.
   */
  async sweepStale(): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM import_stage s
        WHERE s.created_at < now() - interval '1 day'
           OR NOT EXISTS (SELECT 1 FROM import_job j WHERE j.id = s.job_id AND j.status IN ('QUEUED', 'RUNNING'))`,
    );
    return deleted;
  }

  /** One page of a job's report: rejected forms first, then those with warnings, then the rest. */
  async reportPage(
    jobId: string,
    offset: number,
    limit: number,
  ): Promise<{ items: ImportFormReport[]; total: number }> {
    const [items, [{ total }]]: [ImportFormReport[], Array<{ total: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT form_id AS "formId", site_name AS "siteName", outcome, errors, warnings
           FROM import_report_form WHERE job_id = $1 ORDER BY rank, seq LIMIT $2 OFFSET $3`,
        [jobId, limit, offset],
      ),
      this.dataSource.query('SELECT count(*)::int AS total FROM import_report_form WHERE job_id = $1', [jobId]),
    ]);
    return { items, total };
  }

  async removeReport(manager: EntityManager, jobId: string): Promise<void> {
    await manager.query('DELETE FROM import_report_form WHERE job_id = $1', [jobId]);
  }
}
