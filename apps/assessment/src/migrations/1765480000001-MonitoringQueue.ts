import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring (监测): the registry of the sites monitored, their probe schedule as a leased work
 * queue, and the raw probes.
 *
 * - `monitor_site`: every coded, running (ACTIVE) site as review lists it (`review.site.list`),
 *   synced periodically; a site review no longer lists as running is deleted, and its tasks
 *   with it. `first_seen_at` is when monitoring of it began.
 * - `monitor_task`: one row per site and thing probed — the homepage (HOMEPAGE, many times a
 *   day), each registered 栏目 (COLUMN, daily) and the homepage's links (LINKS, daily) — with the
 *   slot it is next due at. Workers claim due rows with FOR UPDATE SKIP LOCKED and a lease
 *   (`lease_owner` unique per claim, `lease_until`); a lease that runs out is claimed again, and
 *   a completion names its claim, so the old holder can no longer store its result.
 * - `monitor_probe`: each probe done, partitioned by the Beijing day of the slot it was due at
 *   (partitions created ahead and dropped after 30 days by the service). A scheduled slot is
 *   stored at most once (primary key with the slot). Manual probes (立即探测) are kept here too
 *   (kind MANUAL) and are not counted in `monitor_daily`.
 * - `monitor_manual`: the last 立即探测 per site, for its rate limit across replicas.
 */
export class MonitoringQueue1765480000001 implements MigrationInterface {
  name = 'MonitoringQueue1765480000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS monitor_site (
        site_code varchar(10) PRIMARY KEY,
        record_id uuid NOT NULL,
        site_name text NOT NULL,
        owner_org_unit_id uuid NOT NULL,
        owner_chain uuid[] NOT NULL,
        homepage_url text NOT NULL,
        -- The registered 栏目: [{name, url, category}].
        columns jsonb NOT NULL DEFAULT '[]'::jsonb,
        first_seen_at timestamptz NOT NULL,
        synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS monitor_task (
        site_code varchar(10) NOT NULL REFERENCES monitor_site (site_code) ON DELETE CASCADE,
        kind varchar(8) NOT NULL CHECK (kind IN ('HOMEPAGE', 'COLUMN', 'LINKS')),
        target text NOT NULL,
        due_at timestamptz NOT NULL,
        lease_owner varchar(64) NULL,
        lease_until timestamptz NULL,
        PRIMARY KEY (site_code, kind, target)
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS monitor_task_due_idx ON monitor_task (due_at)`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS monitor_probe (
        site_code varchar(10) NOT NULL,
        kind varchar(8) NOT NULL CHECK (kind IN ('HOMEPAGE', 'COLUMN', 'LINKS', 'MANUAL')),
        target text NOT NULL,
        due_at timestamptz NOT NULL,
        probed_at timestamptz NOT NULL,
        worker varchar(64) NOT NULL,
        ok boolean NOT NULL,
        cause varchar(32) NULL,
        status int NULL,
        elapsed_ms int NOT NULL,
        newest date NULL,
        blank boolean NULL,
        -- LINKS: {checked, broken: [{url, cause, status}]}; MANUAL: {actor, linksFound}.
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (site_code, kind, target, due_at)
      ) PARTITION BY RANGE (due_at)`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS monitor_manual (
        site_code varchar(10) PRIMARY KEY,
        last_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS monitor_manual`);
    await queryRunner.query(`DROP TABLE IF EXISTS monitor_probe`);
    await queryRunner.query(`DROP TABLE IF EXISTS monitor_task`);
    await queryRunner.query(`DROP TABLE IF EXISTS monitor_site`);
  }
}
