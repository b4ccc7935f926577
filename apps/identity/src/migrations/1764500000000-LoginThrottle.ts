import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login protection moves off the account row: failures are counted per (username, client)
 * pair — unknown usernames included, so a lock tells nothing — and per client across
 * accounts. The account's own counter and lock go.
 */
export class LoginThrottle1764500000000 implements MigrationInterface {
  name = 'LoginThrottle1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_pair (
        username varchar(64) NOT NULL,
        client_key varchar(100) NOT NULL,
        failures int NOT NULL DEFAULT 0,
        locked_until timestamptz NULL,
        last_failure_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (username, client_key)
      )`);
    await queryRunner.query(`CREATE INDEX login_pair_last_failure_idx ON login_pair (last_failure_at)`);
    await queryRunner.query(`
      CREATE TABLE login_client_failure (
        id bigserial PRIMARY KEY,
        client_key varchar(100) NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX login_client_failure_client_idx ON login_client_failure (client_key, at)`);
    await queryRunner.query(`CREATE INDEX login_client_failure_at_idx ON login_client_failure (at)`);
    await queryRunner.query(`ALTER TABLE account DROP COLUMN failed_logins, DROP COLUMN locked_until`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE account ADD COLUMN failed_logins int NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz NULL`,
    );
    await queryRunner.query(`DROP TABLE login_client_failure`);
    await queryRunner.query(`DROP TABLE login_pair`);
  }
}
