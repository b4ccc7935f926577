import { Injectable } from '@nestjs/common';
import { IMPORT_REPORT_TABLE, IMPORT_STAGE_TABLE, ImportSummary } from '@app/contracts';
import { EntityManager } from 'typeorm';
import { StagedForm } from './import-plan';

const JOB_LOCK = 0x67737203;

/** A staged row as the commit reads it: everything but the content, which stays in PostgreSQL. */
export interface StagedRow extends StagedForm {
  /** Invalid in the package (its errors stay staged and go straight into the report). */
  invalid: boolean;
  hasContent: boolean;
}

/** One row of the report, as the commit decided it (an invalid form's errors are taken from its staged row). */
export interface ReportRow {
  seq: number;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  errors: unknown[] | null;
  warnings: string[];
}

/**
 * A job's staged forms (read by reference, see IMPORT_STAGE_TABLE), the report's rows, and
 * the stored summary of each committed job (what a repeated commit answers).
 */
@Injectable()
export class ImportRepository {
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

  async committedSummary(manager: EntityManager, jobId: string): Promise<ImportSummary | null> {
    const [done]: Array<{ report: ImportSummary }> = await manager.query(
      'SELECT report FROM import_commit WHERE job_id = $1',
      [jobId],
    );
    return done?.report ?? null;
  }

  async saveSummary(manager: EntityManager, jobId: string, summary: ImportSummary): Promise<void> {
    await manager.query('INSERT INTO import_commit (job_id, report) VALUES ($1, $2)', [jobId, JSON.stringify(summary)]);
  }

  /** The job's staged rows in package order, without their content. */
  stagedRows(manager: EntityManager, jobId: string): Promise<StagedRow[]> {
    return manager.query(
      `SELECT seq, form_id AS id, site_name AS "siteName", homepage_url AS "homepageUrl", content_hash AS hash,
              errors IS NOT NULL AS invalid, content IS NOT NULL AS "hasContent"
         FROM ${IMPORT_STAGE_TABLE} WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );
  }

  /**
   * The new content versions, straight from the staged rows (the content never passes through
   * this process): the version is the record's current one, already advanced or inserted.
   */
  async insertVersionsFromStage(
    manager: EntityManager,
    jobId: string,
    seqs: number[],
    by: { username: string; orgUnitId: string; packageKey: string | null; region: { code: string; name: string } },
  ): Promise<void> {
    if (seqs.length === 0) return;
    await manager.query(
      `INSERT INTO record_version (record_id, version, content, content_hash, imported_by, imported_by_org_unit_id, import_job_id, package_key)
       SELECT r.id, r.current_version, s.content || jsonb_build_object('region', $3::jsonb), s.content_hash, $4, $5, $1, $6
         FROM ${IMPORT_STAGE_TABLE} s JOIN record r ON r.id = s.form_id::uuid
        WHERE s.job_id = $1 AND s.seq = ANY($2::int[])`,
      [jobId, seqs, JSON.stringify(by.region), by.username, by.orgUnitId, by.packageKey],
    );
  }

  /** The report's rows (rank: rejected 0, with warnings 1, the rest 2), names and ids from the staged rows. */
  async writeReport(manager: EntityManager, jobId: string, rows: ReportRow[]): Promise<void> {
    await manager.query(
      `INSERT INTO ${IMPORT_REPORT_TABLE} (job_id, rank, seq, form_id, site_name, outcome, errors, warnings)
       SELECT s.job_id,
              CASE WHEN x.outcome = 'rejected' THEN 0 WHEN jsonb_array_length(x.warnings) > 0 THEN 1 ELSE 2 END,
              s.seq, s.form_id, s.site_name, x.outcome, coalesce(x.errors, s.errors, '[]'), x.warnings
         FROM ${IMPORT_STAGE_TABLE} s
         JOIN jsonb_to_recordset($2::jsonb) AS x(seq int, outcome text, errors jsonb, warnings jsonb) ON x.seq = s.seq
        WHERE s.job_id = $1`,
      [jobId, JSON.stringify(rows)],
    );
  }

  async clearStage(manager: EntityManager, jobId: string): Promise<void> {
    await manager.query(`DELETE FROM ${IMPORT_STAGE_TABLE} WHERE job_id = $1`, [jobId]);
  }
}
