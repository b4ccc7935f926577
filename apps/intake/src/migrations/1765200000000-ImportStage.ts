import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk data of imports by reference instead of through the bus. `import_stage`: a job's forms
 * as intake read and validated them (one row each, invalid ones with their errors), which
 * review's commit reads by job id and deletes in its own transaction. `import_report_form`:
 * the report's rows, one per form, written by that commit and read a page at a time (rejected
 * forms first, then those with warnings). Only the job id and counts cross the bus.
 */
export class ImportStage1765200000000 implements MigrationInterface {
  name = 'ImportStage1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE import_stage (
        job_id uuid NOT NULL,
        seq int NOT NULL,
        form_id varchar(64) NULL,
        site_name varchar(200) NOT NULL,
        homepage_url varchar(500) NULL,
        content jsonb NULL,
        content_hash char(64) NULL,
        errors jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, seq)
      )`);
    await queryRunner.query(`CREATE INDEX import_stage_created_idx ON import_stage (created_at)`);
    await queryRunner.query(`
      CREATE TABLE import_report_form (
        job_id uuid NOT NULL,
        rank smallint NOT NULL,
        seq int NOT NULL,
        form_id varchar(64) NULL,
        site_name varchar(200) NOT NULL,
        outcome varchar(16) NOT NULL,
        errors jsonb NOT NULL,
        warnings jsonb NOT NULL,
        PRIMARY KEY (job_id, rank, seq)
      )`);
    // Reports stored whole before: their rows move to the new table, the job keeps the counts.
    await queryRunner.query(`
      INSERT INTO import_report_form (job_id, rank, seq, form_id, site_name, outcome, errors, warnings)
      SELECT j.id,
             CASE WHEN f.value->>'outcome' = 'rejected' THEN 0
                  WHEN jsonb_array_length(coalesce(f.value->'warnings', '[]')) > 0 THEN 1 ELSE 2 END,
             f.ordinality - 1, left(f.value->>'formId', 64), left(coalesce(f.value->>'siteName', ''), 200),
             f.value->>'outcome', coalesce(f.value->'errors', '[]'), coalesce(f.value->'warnings', '[]')
        FROM import_job j, jsonb_array_elements(j.report->'forms') WITH ORDINALITY AS f(value, ordinality)
       WHERE jsonb_typeof(j.report->'forms') = 'array'`);
    await queryRunner.query(`UPDATE import_job SET report = report - 'forms' WHERE report ? 'forms'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE import_report_form`);
    await queryRunner.query(`DROP TABLE import_stage`);
  }
}
