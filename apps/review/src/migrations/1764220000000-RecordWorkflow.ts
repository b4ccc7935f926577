import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workflow's read and recovery needs: the newest-first list over the whole table (the
 * root's subtree is everything), exact site look-ups for 标识码找回, and the per-record log of
 * recovery mails that rate-limits them.
 */
export class RecordWorkflow1764220000000 implements MigrationInterface {
  name = 'RecordWorkflow1764220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX record_updated_idx ON record (updated_at DESC, id)`);
    await queryRunner.query(`CREATE INDEX record_homepage_idx ON record (homepage_url)`);
    await queryRunner.query(`
      CREATE TABLE site_code_recovery (
        id bigserial PRIMARY KEY,
        record_id uuid NOT NULL REFERENCES record (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        client_key varchar(100) NULL
      )`);
    await queryRunner.query(`CREATE INDEX site_code_recovery_record_idx ON site_code_recovery (record_id, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE site_code_recovery`);
    await queryRunner.query(`DROP INDEX record_homepage_idx`);
    await queryRunner.query(`DROP INDEX record_updated_idx`);
  }
}
