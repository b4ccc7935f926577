import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 检查打分: an inspection of one unit's subtree, the sites drawn for it (with the seed that
 * draws them again), and the inspectors' scoring of each sampled site on the score sheet. A
 * submitted inspection result becomes the site's official verdict (source INSPECTION) in
 * `verdict`; the site's self-assessment stays in `self_assessment`.
 *
 * `org_unit_id` is the unit whose subtree is inspected; `inspecting_unit_id` the unit that
 * inspects (its own unit or one above it), and `unit_chain` the inspecting unit and every unit
 * above it, root first: those may see and score the inspection, and a unit's list is
 * `unit_chain @> ARRAY[unit]`. The inspected units do not score themselves.
 */
export class Inspections1765490000001 implements MigrationInterface {
  name = 'Inspections1765490000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS inspection (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        org_unit_id uuid NOT NULL,
        org_unit_name text NOT NULL,
        inspecting_unit_id uuid NOT NULL,
        inspecting_unit_name text NOT NULL,
        unit_chain uuid[] NOT NULL,
        sample_mode varchar(8) NOT NULL CHECK (sample_mode IN ('all', 'percent', 'count')),
        sample_value numeric NULL,
        seed varchar(64) NOT NULL,
        population int NOT NULL,
        status varchar(8) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
        created_by text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS inspection_unit_chain_idx ON inspection USING gin (unit_chain)`,
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS inspection_site (
        inspection_id uuid NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
        site_code varchar(10) NOT NULL,
        record_id uuid NOT NULL,
        owner_org_unit_id uuid NOT NULL,
        owner_chain uuid[] NOT NULL,
        site_name text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'NOT_STARTED' CHECK (status IN ('NOT_STARTED', 'DRAFT', 'SUBMITTED')),
        sheet_id varchar(64) NULL,
        sheet_version varchar(32) NULL,
        answers jsonb NOT NULL DEFAULT '{"vetoes": {}, "items": {}}'::jsonb,
        result jsonb NULL,
        submitted_at timestamptz NULL,
        updated_at timestamptz NULL,
        PRIMARY KEY (inspection_id, site_code)
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS inspection_site_code_idx ON inspection_site (site_code)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS inspection_site`);
    await queryRunner.query(`DROP TABLE IF EXISTS inspection`);
  }
}
