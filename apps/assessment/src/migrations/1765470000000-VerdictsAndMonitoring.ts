import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two tables the assessment statistics read:
 *
 * - `verdict`: the official verdict of each site (网站标识码). It comes from the submitted
 *   自查评分 (source SELF) until an inspection scores the site (source INSPECTION), which then
 *   overrides it; the self-assessment itself is kept in `self_assessment` either way.
 * - `monitor_daily`: one row per site and Beijing day, summed from that day's probes
 *   (homepage reachability, the newest publish dates, blank columns, broken links). Kept a
 *   year; the raw probes behind it are kept 30 days.
 *
 * The owner chain is copied into both at each write, so a unit's subtree is `owner_chain @>
 * ARRAY[unit]` without asking review.
 */
export class VerdictsAndMonitoring1765470000000 implements MigrationInterface {
  name = 'VerdictsAndMonitoring1765470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS verdict (
        site_code varchar(10) PRIMARY KEY,
        record_id uuid NOT NULL,
        owner_org_unit_id uuid NOT NULL,
        owner_chain uuid[] NOT NULL,
        site_name text NOT NULL,
        source varchar(16) NOT NULL CHECK (source IN ('SELF', 'INSPECTION')),
        inspection_id uuid NULL,
        verdict varchar(8) NOT NULL CHECK (verdict IN ('PASS', 'FAIL')),
        score numeric(5, 1) NULL,
        vetoes text[] NOT NULL DEFAULT '{}',
        result jsonb NOT NULL,
        sheet_id varchar(64) NOT NULL,
        sheet_version varchar(32) NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((source = 'INSPECTION') = (inspection_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS verdict_owner_chain_idx ON verdict USING gin (owner_chain)`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS monitor_daily (
        site_code varchar(10) NOT NULL,
        day date NOT NULL,
        owner_chain uuid[] NOT NULL,
        homepage_probes int NOT NULL DEFAULT 0,
        -- Homepage fetches that did not open within 15 s, in all and by cause
        -- (dns, connect, tls, http-status, timeout, too-large, too-many-redirects, refused-target).
        homepage_failures int NOT NULL DEFAULT 0,
        failures_by_cause jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- The newest publish date seen on the homepage that day (Beijing date), if any.
        homepage_newest date NULL,
        column_probes int NOT NULL DEFAULT 0,
        column_failures int NOT NULL DEFAULT 0,
        -- One entry per registered 栏目 probed that day:
        -- {name, url, category, ok, cause?, newest: 'YYYY-MM-DD' | null, blank: boolean}.
        columns jsonb NOT NULL DEFAULT '[]'::jsonb,
        blank_columns int NOT NULL DEFAULT 0,
        links_checked int NOT NULL DEFAULT 0,
        broken_links int NOT NULL DEFAULT 0,
        -- A sample of the broken links found: [{url, cause, status?}].
        broken jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site_code, day)
      )`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS monitor_daily_day_idx ON monitor_daily (day)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS monitor_daily`);
    await queryRunner.query(`DROP TABLE IF EXISTS verdict`);
  }
}
