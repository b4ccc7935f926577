import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 自查评分: one row per site (网站标识码). The answers are kept as the site typed them; a
 * submitted row also keeps the result the engine computed and the score sheet version it used,
 * so a later sheet version never changes a verdict already given.
 */
export class CreateAssessment1765460000000 implements MigrationInterface {
  name = 'CreateAssessment1765460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS self_assessment (
        site_code varchar(10) PRIMARY KEY,
        record_id uuid NOT NULL,
        owner_org_unit_id uuid NOT NULL,
        owner_chain uuid[] NOT NULL,
        site_name text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SUBMITTED')),
        sheet_id varchar(64) NOT NULL,
        sheet_version varchar(32) NOT NULL,
        answers jsonb NOT NULL DEFAULT '{}'::jsonb,
        result jsonb NULL,
        submitted_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS self_assessment_owner_chain_idx ON self_assessment USING gin (owner_chain)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS self_assessment`);
  }
}
