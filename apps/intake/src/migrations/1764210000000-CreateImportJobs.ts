import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateImportJobs1764210000000 implements MigrationInterface {
  name = 'CreateImportJobs1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE import_job (
        id uuid PRIMARY KEY,
        org_unit_id uuid NOT NULL,
        actor jsonb NOT NULL,
        dry_run boolean NOT NULL,
        kind varchar(8) NOT NULL CHECK (kind IN ('zip', 'xlsx')),
        file_name varchar(255) NOT NULL,
        size bigint NOT NULL,
        object_key varchar(300) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
        progress_done int NOT NULL DEFAULT 0,
        progress_total int NOT NULL DEFAULT 0,
        report jsonb NULL,
        error jsonb NULL,
        -- Who works on it until when; an expired lease lets another replica take it over.
        lease_owner varchar(64) NULL,
        lease_until timestamptz NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        finished_at timestamptz NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX import_job_due_idx ON import_job (next_attempt_at) WHERE status IN ('QUEUED', 'RUNNING')`,
    );
    await queryRunner.query(`CREATE INDEX import_job_unit_idx ON import_job (org_unit_id, created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE import_job`);
  }
}
