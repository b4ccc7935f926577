import { MigrationInterface, QueryRunner } from 'typeorm';

/** import_job becomes a platform work queue (WorkQueue), which records each failed attempt's error. */
export class ImportJobLastError1764400000000 implements MigrationInterface {
  name = 'ImportJobLastError1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE import_job ADD COLUMN last_error text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE import_job DROP COLUMN last_error`);
  }
}
