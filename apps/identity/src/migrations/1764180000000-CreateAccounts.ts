import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccounts1764180000000 implements MigrationInterface {
  name = 'CreateAccounts1764180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL UNIQUE,
        org_unit_id uuid NULL,
        roles text[] NOT NULL,
        password_hash text NOT NULL,
        must_change_password boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX account_org_unit_idx ON account (org_unit_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE account`);
  }
}
