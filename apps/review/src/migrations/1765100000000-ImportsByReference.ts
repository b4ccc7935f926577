import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports by reference: the forms are staged in intake's `import_stage` (no longer sent to
 * review in chunks), and a committed job keeps only its counts here (its report's rows are in
 * intake's `import_report_form`), so a repeated commit's answer does not grow with the package.
 */
export class ImportsByReference1765100000000 implements MigrationInterface {
  name = 'ImportsByReference1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE import_stage`);
    await queryRunner.query(`UPDATE import_commit SET report = report - 'forms' WHERE report ? 'forms'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE import_stage (
        job_id uuid NOT NULL,
        chunk int NOT NULL,
        forms jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, chunk)
      )`);
  }
}
