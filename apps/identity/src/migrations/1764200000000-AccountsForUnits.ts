import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountsForUnits1764200000000 implements MigrationInterface {
  name = 'AccountsForUnits1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE account
        ADD COLUMN initial_password_enc text NULL,
        ADD COLUMN failed_logins int NOT NULL DEFAULT 0,
        ADD COLUMN locked_until timestamptz NULL,
        ADD COLUMN password_changed_at timestamptz NULL`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX account_org_unit_unique_idx ON account (org_unit_id) WHERE org_unit_id IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX account_org_unit_idx`);
    await queryRunner.query(`CREATE INDEX account_username_prefix_idx ON account (username text_pattern_ops)`);
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        service varchar(32) NOT NULL,
        action varchar(100) NOT NULL,
        outcome varchar(16) NOT NULL,
        actor_account_id uuid NULL,
        actor_username varchar(64) NULL,
        actor_org_unit_id uuid NULL,
        target_type varchar(64) NULL,
        target_id varchar(200) NULL,
        details jsonb NULL,
        correlation_id varchar(100) NULL,
        stored_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_username, at DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP INDEX account_username_prefix_idx`);
    await queryRunner.query(`DROP INDEX account_org_unit_unique_idx`);
    await queryRunner.query(`CREATE INDEX account_org_unit_idx ON account (org_unit_id)`);
    await queryRunner.query(
      `ALTER TABLE account DROP COLUMN initial_password_enc, DROP COLUMN failed_logins, DROP COLUMN locked_until, DROP COLUMN password_changed_at`,
    );
  }
}
