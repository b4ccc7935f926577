import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each account's token version: access tokens carry the version they were issued under, and a
 * password change, support reset, lockout or logout raises it, so every older token is refused.
 */
export class AccountTokenVersion1764310000000 implements MigrationInterface {
  name = 'AccountTokenVersion1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE account ADD COLUMN token_version int NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE account DROP COLUMN token_version`);
  }
}
