import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox table, the same in every service that emits messages which must not be lost.
 * Each service lists this migration among its own; it runs in that service's schema.
 */
export class CreateOutbox1764190000000 implements MigrationInterface {
  name = 'CreateOutbox1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        correlation_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz NULL,
        last_error text NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
  }
}
