import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * workbook_refresh becomes a platform work queue (WorkQueue): a lease with its holder
 * (`lease_owner`, `lease_until`, the old `claimed_until`) and its own retry time
 * (`next_attempt_at`). Pending requests become due at once.
 */
export class WorkbookRefreshQueue1764400000000 implements MigrationInterface {
  name = 'WorkbookRefreshQueue1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE workbook_refresh RENAME COLUMN claimed_until TO lease_until`);
    await queryRunner.query(`UPDATE workbook_refresh SET lease_until = NULL`);
    await queryRunner.query(
      `ALTER TABLE workbook_refresh ADD COLUMN lease_owner varchar(64) NULL, ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE workbook_refresh DROP COLUMN lease_owner, DROP COLUMN next_attempt_at`);
    await queryRunner.query(`ALTER TABLE workbook_refresh RENAME COLUMN lease_until TO claimed_until`);
  }
}
