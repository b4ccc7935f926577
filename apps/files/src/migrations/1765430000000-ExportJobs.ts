import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * export_job: background exports (后台导出), a leased work queue (QUEUED → RUNNING → DONE/FAILED;
 * a RUNNING job whose lease ran out is taken over). The workbook lands in `file` (folder 导出)
 * under the job's id.
 */
export class ExportJobs1765430000000 implements MigrationInterface {
  name = 'ExportJobs1765430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS export_job (
        id uuid PRIMARY KEY,
        org_unit_id uuid NOT NULL,
        requester jsonb NOT NULL,
        kind varchar(16) NOT NULL,
        filters jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'QUEUED',
        rows int NULL,
        file_id uuid NULL,
        file_name varchar(200) NULL,
        error text NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text NULL,
        lease_owner varchar(64) NULL,
        lease_until timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        started_at timestamptz NULL,
        finished_at timestamptz NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS export_job_pending ON export_job (created_at) WHERE status IN ('QUEUED', 'RUNNING')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS export_job`);
  }
}
