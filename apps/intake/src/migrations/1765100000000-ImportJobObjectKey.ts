import { MigrationInterface, QueryRunner } from 'typeorm';

/** The orphan sweep asks which stored uploads a job names: an index on the job's object key. */
export class ImportJobObjectKey1765100000000 implements MigrationInterface {
  name = 'ImportJobObjectKey1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX import_job_object_key_idx ON import_job (object_key)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX import_job_object_key_idx`);
  }
}
