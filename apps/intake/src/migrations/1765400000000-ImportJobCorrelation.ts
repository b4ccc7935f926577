import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The correlation id of the upload request that queued a job: whichever replica runs the job
 * (or takes it over) logs under the same id as the request, so one search finds both.
 */
export class ImportJobCorrelation1765400000000 implements MigrationInterface {
  name = 'ImportJobCorrelation1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE import_job ADD COLUMN IF NOT EXISTS correlation_id varchar(100) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE import_job DROP COLUMN IF EXISTS correlation_id`);
  }
}
