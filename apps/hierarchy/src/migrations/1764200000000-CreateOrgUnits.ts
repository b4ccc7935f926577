import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrgUnits1764200000000 implements MigrationInterface {
  name = 'CreateOrgUnits1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE org_unit (
        id uuid PRIMARY KEY,
        code varchar(16) NOT NULL UNIQUE,
        name varchar(100) NOT NULL,
        level smallint NOT NULL CHECK (level >= 0),
        kind varchar(16) NOT NULL,
        parent_id uuid NULL REFERENCES org_unit (id),
        path text NOT NULL UNIQUE,
        contact_name varchar(50) NULL,
        contact_office_phone varchar(40) NULL,
        contact_mobile varchar(20) NULL,
        contact_email varchar(100) NULL,
        contact_department varchar(100) NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX org_unit_parent_idx ON org_unit (parent_id, code)`);
    // Prefix scans for "everything under this unit": path LIKE 'bm0100.130000.%'.
    await queryRunner.query(`CREATE INDEX org_unit_path_prefix_idx ON org_unit (path text_pattern_ops)`);
    await queryRunner.query(`
      CREATE TABLE node_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        code varchar(16) NOT NULL,
        reason varchar(500) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
        parent_id uuid NOT NULL REFERENCES org_unit (id),
        requested_by varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz NULL,
        decided_by varchar(64) NULL,
        decision_reason varchar(500) NULL,
        org_unit_id uuid NULL REFERENCES org_unit (id)
      )`);
    // One open request per code at a time.
    await queryRunner.query(
      `CREATE UNIQUE INDEX node_request_pending_code_idx ON node_request (code) WHERE status = 'PENDING'`,
    );
    await queryRunner.query(`CREATE INDEX node_request_status_idx ON node_request (status, created_at)`);
    await queryRunner.query(`CREATE INDEX node_request_parent_idx ON node_request (parent_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE node_request`);
    await queryRunner.query(`DROP TABLE org_unit`);
  }
}
