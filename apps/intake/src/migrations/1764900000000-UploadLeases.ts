import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploads in progress, one row per upload while its bytes stream in: the per-unit limit of
 * concurrent uploads and the quota's reservations hold across gateway replicas. A row whose
 * lease ran out (its gateway died) no longer counts. Also an index for the retention sweep.
 */
export class UploadLeases1764900000000 implements MigrationInterface {
  name = 'UploadLeases1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE upload_lease (
        id uuid PRIMARY KEY,
        org_unit_id uuid NOT NULL,
        reserved_bytes bigint NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX upload_lease_unit_idx ON upload_lease (org_unit_id, expires_at)`);
    await queryRunner.query(
      `CREATE INDEX import_job_retention_idx ON import_job (finished_at) WHERE status = 'FAILED' OR dry_run`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX import_job_retention_idx`);
    await queryRunner.query(`DROP TABLE upload_lease`);
  }
}
