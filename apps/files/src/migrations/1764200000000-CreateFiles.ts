import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFiles1764200000000 implements MigrationInterface {
  name = 'CreateFiles1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_org_unit_id uuid NOT NULL,
        folder varchar(50) NOT NULL,
        kind varchar(32) NOT NULL,
        name varchar(200) NOT NULL,
        bucket varchar(100) NOT NULL,
        object_key varchar(300) NOT NULL,
        size bigint NOT NULL,
        content_type varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX file_owner_idx ON file (owner_org_unit_id, folder, created_at DESC)`);
    // One account workbook per parent unit: a refresh replaces it.
    await queryRunner.query(
      `CREATE UNIQUE INDEX file_workbook_idx ON file (owner_org_unit_id) WHERE kind = 'credential-workbook'`,
    );
    await queryRunner.query(`
      CREATE TABLE workbook_refresh (
        parent_org_unit_id uuid PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- Bumped by every request; a finished build removes the row only if no newer request came.
        version bigint NOT NULL DEFAULT 1,
        claimed_until timestamptz NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE workbook_refresh`);
    await queryRunner.query(`DROP TABLE file`);
  }
}
