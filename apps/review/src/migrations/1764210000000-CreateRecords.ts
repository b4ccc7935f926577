import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The records (one per website form), their content versions and history, the 标识码
 * counters, and the staging area of imports.
 */
export class CreateRecords1764210000000 implements MigrationInterface {
  name = 'CreateRecords1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await queryRunner.query(`
      CREATE TABLE record (
        id uuid PRIMARY KEY,
        owner_org_unit_id uuid NOT NULL,
        owner_code varchar(16) NOT NULL,
        -- The owner's units from the root down (ids): "owned within Y's subtree" is
        -- owner_chain @> {Y} (GIN), and the workflow walks it up and down without asking hierarchy.
        owner_chain uuid[] NOT NULL,
        holder_org_unit_id uuid NOT NULL,
        final_reviewer_org_unit_id uuid NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('DRAFT', 'PENDING', 'APPROVED', 'RETURNED')),
        site_name varchar(100) NOT NULL,
        homepage_url varchar(500) NOT NULL,
        region_code varchar(16) NOT NULL,
        region_name varchar(200) NOT NULL,
        current_version int NOT NULL,
        site_code varchar(10) NULL UNIQUE,
        check_code_enc text NULL,
        coded_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX record_owner_chain_idx ON record USING gin (owner_chain)`);
    await queryRunner.query(`CREATE INDEX record_status_updated_idx ON record (status, updated_at DESC)`);
    await queryRunner.query(`CREATE INDEX record_holder_idx ON record (holder_org_unit_id, status, updated_at DESC)`);
    await queryRunner.query(`CREATE INDEX record_owner_idx ON record (owner_org_unit_id, status)`);
    await queryRunner.query(
      `CREATE INDEX record_site_name_trgm_idx ON record USING gin (site_name public.gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX record_homepage_trgm_idx ON record USING gin (homepage_url public.gin_trgm_ops)`,
    );
    await queryRunner.query(`
      CREATE TABLE record_version (
        record_id uuid NOT NULL REFERENCES record (id) ON DELETE CASCADE,
        version int NOT NULL,
        content jsonb NOT NULL,
        content_hash char(64) NOT NULL,
        imported_by varchar(64) NOT NULL,
        imported_by_org_unit_id uuid NOT NULL,
        import_job_id uuid NULL,
        package_key varchar(300) NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (record_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE record_history (
        id bigserial PRIMARY KEY,
        record_id uuid NOT NULL REFERENCES record (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        action varchar(16) NOT NULL,
        actor_account_id uuid NULL,
        actor_username varchar(64) NULL,
        actor_org_unit_id uuid NULL,
        from_status varchar(16) NULL,
        to_status varchar(16) NULL,
        from_holder_org_unit_id uuid NULL,
        to_holder_org_unit_id uuid NULL,
        reason varchar(500) NULL
      )`);
    await queryRunner.query(`CREATE INDEX record_history_record_idx ON record_history (record_id, id)`);
    await queryRunner.query(`
      CREATE TABLE site_code_counter (
        owner_code varchar(16) PRIMARY KEY,
        last_sequence int NOT NULL CHECK (last_sequence BETWEEN 0 AND 9999)
      )`);
    await queryRunner.query(`
      CREATE TABLE import_stage (
        job_id uuid NOT NULL,
        chunk int NOT NULL,
        forms jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, chunk)
      )`);
    await queryRunner.query(`
      CREATE TABLE import_commit (
        job_id uuid PRIMARY KEY,
        report jsonb NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'import_commit',
      'import_stage',
      'site_code_counter',
      'record_history',
      'record_version',
      'record',
    ])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
