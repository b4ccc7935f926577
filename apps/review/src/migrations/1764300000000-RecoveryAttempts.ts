import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every 标识码找回 attempt by client (IP address), so the per-client limit holds across all
 * gateway replicas, not per replica as an in-memory counter would.
 */
export class RecoveryAttempts1764300000000 implements MigrationInterface {
  name = 'RecoveryAttempts1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE site_code_recovery_attempt (
        id bigserial PRIMARY KEY,
        client_key varchar(100) NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX site_code_recovery_attempt_client_idx ON site_code_recovery_attempt (client_key, at)`,
    );
    await queryRunner.query(`CREATE INDEX site_code_recovery_attempt_at_idx ON site_code_recovery_attempt (at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE site_code_recovery_attempt`);
  }
}
