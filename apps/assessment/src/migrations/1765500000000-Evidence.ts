import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 评分证据: one row per file uploaded as evidence for a veto or item — of a site's
 * self-assessment (scope `self`) or of an inspection's scoring of a site (scope `inspection`,
 * with its inspection). The bytes are in object storage under `object_key` (bucket
 * `evidence`). A row is UPLOADING from the moment its place is reserved until the gateway has
 * stored the bytes (then STORED); DELETED once removed, until its object is gone too. The
 * sweep removes the objects of DELETED rows and of UPLOADING rows left by an upload that died.
 */
export class Evidence1765500000000 implements MigrationInterface {
  name = 'Evidence1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS evidence_file (
        id uuid PRIMARY KEY,
        scope varchar(10) NOT NULL CHECK (scope IN ('self', 'inspection')),
        site_code varchar(10) NOT NULL,
        inspection_id uuid NULL REFERENCES inspection (id) ON DELETE CASCADE,
        item_key varchar(64) NOT NULL,
        object_key text NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size bigint NULL,
        status varchar(10) NOT NULL DEFAULT 'UPLOADING' CHECK (status IN ('UPLOADING', 'STORED', 'DELETED')),
        uploaded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((scope = 'inspection') = (inspection_id IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS evidence_file_sheet_idx ON evidence_file (site_code, scope, inspection_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS evidence_file_unfinished_idx ON evidence_file (created_at) WHERE status <> 'STORED'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS evidence_file`);
  }
}
