import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Life after approval. `lifecycle` is the site's state (a data contract other parts read:
 * 'ACTIVE' | 'CLOSED' | 'DEREGISTERED'); the request_* columns hold the one request an approved
 * record may have travelling the review chain (its status and holder carry the travel);
 * closed_reason / expected_reopen_date describe a 关停 in force. Idempotent: the lifecycle
 * column and its CHECK may already exist (another branch adds the same column).
 */
export class RecordLifecycle1765410000000 implements MigrationInterface {
  name = 'RecordLifecycle1765410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE record ADD COLUMN IF NOT EXISTS lifecycle text NOT NULL DEFAULT 'ACTIVE'`);
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'record'::regclass AND conname = 'record_lifecycle_check') THEN
          ALTER TABLE record ADD CONSTRAINT record_lifecycle_check CHECK (lifecycle IN ('ACTIVE', 'CLOSED', 'DEREGISTERED'));
        END IF;
      END $$`);
    await queryRunner.query(`
      ALTER TABLE record
        ADD COLUMN IF NOT EXISTS request_kind text NULL CHECK (request_kind IN ('CHANGE', 'CLOSE', 'REOPEN', 'DEREGISTER')),
        ADD COLUMN IF NOT EXISTS request_payload jsonb NULL,
        ADD COLUMN IF NOT EXISTS request_payload_hash text NULL,
        ADD COLUMN IF NOT EXISTS request_reason text NULL,
        ADD COLUMN IF NOT EXISTS request_expected_reopen date NULL,
        ADD COLUMN IF NOT EXISTS requested_at timestamptz NULL,
        ADD COLUMN IF NOT EXISTS requested_by varchar(64) NULL,
        ADD COLUMN IF NOT EXISTS closed_reason text NULL,
        ADD COLUMN IF NOT EXISTS expected_reopen_date date NULL`);
    // History actions such as request-deregister are longer than the 16 characters first allowed.
    await queryRunner.query(`ALTER TABLE record_history ALTER COLUMN action TYPE varchar(32)`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS record_request_kind_idx ON record (request_kind) WHERE request_kind IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS record_lifecycle_idx ON record (lifecycle) WHERE lifecycle <> 'ACTIVE'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS record_lifecycle_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS record_request_kind_idx`);
    await queryRunner.query(`
      ALTER TABLE record
        DROP COLUMN IF EXISTS request_kind, DROP COLUMN IF EXISTS request_payload, DROP COLUMN IF EXISTS request_payload_hash,
        DROP COLUMN IF EXISTS request_reason, DROP COLUMN IF EXISTS request_expected_reopen, DROP COLUMN IF EXISTS requested_at,
        DROP COLUMN IF EXISTS requested_by, DROP COLUMN IF EXISTS closed_reason, DROP COLUMN IF EXISTS expected_reopen_date`);
    await queryRunner.query(`ALTER TABLE record DROP CONSTRAINT IF EXISTS record_lifecycle_check`);
    await queryRunner.query(`ALTER TABLE record DROP COLUMN IF EXISTS lifecycle`);
  }
}
