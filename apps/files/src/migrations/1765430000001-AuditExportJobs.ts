import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Background exports of the audit log: asked for by an auditor, who has no unit. A job and its
 * file then belong to the requesting account (`account_id`, `owner_account_id`) instead.
 */
export class AuditExportJobs1765430000001 implements MigrationInterface {
  name = 'AuditExportJobs1765430000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE export_job ADD COLUMN IF NOT EXISTS account_id uuid NULL`);
    await queryRunner.query(`ALTER TABLE export_job ALTER COLUMN org_unit_id DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE file ADD COLUMN IF NOT EXISTS owner_account_id uuid NULL`);
    await queryRunner.query(`ALTER TABLE file ALTER COLUMN owner_org_unit_id DROP NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM file WHERE owner_org_unit_id IS NULL`);
    await queryRunner.query(`ALTER TABLE file ALTER COLUMN owner_org_unit_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE file DROP COLUMN IF EXISTS owner_account_id`);
    await queryRunner.query(`DELETE FROM export_job WHERE org_unit_id IS NULL`);
    await queryRunner.query(`ALTER TABLE export_job ALTER COLUMN org_unit_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE export_job DROP COLUMN IF EXISTS account_id`);
  }
}
