import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What one statement changed, as deltas per (unit, status, lifecycle): every unit of each
 * record's owner chain (the owner and its ancestors) gets the record's +1 / -1, so a unit's
 * rows count its whole subtree. `last_at` is the latest update time among the new rows.
 */
function deltas(rows: Array<{ table: string; sign: 1 | -1 }>): string {
  const parts = rows.map(
    ({ table, sign }) =>
      `SELECT c.unit_id, t.status, t.lifecycle, ${sign} AS n, ${sign === 1 ? 't.updated_at' : 'NULL::timestamptz'} AS last_at
         FROM ${table} t, unnest(t.owner_chain) AS c(unit_id)`,
  );
  return `
    INSERT INTO unit_stats (unit_id, status, lifecycle, n, last_at)
    SELECT unit_id, status, lifecycle, sum(n), max(last_at) FROM (${parts.join(' UNION ALL ')}) d
     GROUP BY unit_id, status, lifecycle HAVING sum(n) <> 0 OR max(last_at) IS NOT NULL`;
}

/** The advisory lock class of 零报送, and the bucket (of 64) of a unit: see StatsRepository.declareZeroReport. */
export const ZERO_REPORT_LOCK = 1765420;
export function zeroReportBucket(unitId: string): string {
  return `(hashtext(${unitId}::text) & 63)`;
}

/**
 * 统计分析 at 1,000,000 records: how many records each unit's subtree holds per status and
 * lifecycle, and when they last changed, kept by statement-level triggers in the transaction
 * that changes the records (set-based: 全部审核 of 10,000 rows writes one aggregate, not
 * 10,000 row triggers). The table takes append-only deltas (no two writers ever wait for each
 * other); reading a unit sums its rows and folds them into one per key when they grow.
 *
 * Also: `record.lifecycle` (运行中/已关停/已注销; the life-after-approval work owns what changes
 * it, this only makes sure the column exists so the counts include it), `zero_report` (零报送
 * declarations, cleared by the first record the unit owns) and `reminder` (催报, at most one
 * per unit and day: the primary key enforces it).
 */
export class UnitStats1765420000000 implements MigrationInterface {
  name = 'UnitStats1765420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE record ADD COLUMN IF NOT EXISTS lifecycle text NOT NULL DEFAULT 'ACTIVE'`);
    await queryRunner.query(`
      CREATE TABLE unit_stats (
        unit_id uuid NOT NULL,
        status varchar(16) NOT NULL,
        lifecycle text NOT NULL,
        n bigint NOT NULL,
        last_at timestamptz NULL
      )`);
    await queryRunner.query(`CREATE INDEX unit_stats_unit_idx ON unit_stats (unit_id)`);
    for (const op of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      const body =
        op === 'INSERT'
          ? deltas([{ table: 'new_rows', sign: 1 }])
          : op === 'DELETE'
            ? deltas([{ table: 'old_rows', sign: -1 }])
            : deltas([
                { table: 'new_rows', sign: 1 },
                { table: 'old_rows', sign: -1 },
              ]);
      const name = `unit_stats_${op.toLowerCase()}`;
      // The first record a unit owns withdraws its 零报送 (see docs/DOMAIN.md). The owners'
      // lock buckets, shared (inserts never wait for each other), are what a declaration takes
      // exclusively: a declaration and a unit's first records never miss each other.
      const clearZero =
        op === 'INSERT'
          ? `PERFORM pg_advisory_xact_lock_shared(${ZERO_REPORT_LOCK}, b)
               FROM (SELECT DISTINCT ${zeroReportBucket('owner_org_unit_id')} AS b FROM new_rows ORDER BY 1) owners;
             DELETE FROM zero_report z USING (SELECT DISTINCT owner_org_unit_id FROM new_rows) o WHERE z.org_unit_id = o.owner_org_unit_id;`
          : '';
      await queryRunner.query(`
        CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
          ${body};
          ${clearZero}
          RETURN NULL;
        END $$`);
      const referencing =
        op === 'INSERT'
          ? 'NEW TABLE AS new_rows'
          : op === 'DELETE'
            ? 'OLD TABLE AS old_rows'
            : 'NEW TABLE AS new_rows OLD TABLE AS old_rows';
      await queryRunner.query(
        `CREATE TRIGGER ${name} AFTER ${op} ON record REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
      );
    }
    await queryRunner.query(`
      INSERT INTO unit_stats (unit_id, status, lifecycle, n, last_at)
      SELECT c.unit_id, r.status, r.lifecycle, count(*), max(r.updated_at)
        FROM record r, unnest(r.owner_chain) AS c(unit_id)
       GROUP BY c.unit_id, r.status, r.lifecycle`);
    await queryRunner.query(`
      CREATE TABLE zero_report (
        org_unit_id uuid PRIMARY KEY,
        declared_at timestamptz NOT NULL DEFAULT now(),
        declared_by varchar(64) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE reminder (
        org_unit_id uuid NOT NULL,
        day date NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        sender_org_unit_id uuid NOT NULL,
        sender_username varchar(64) NOT NULL,
        PRIMARY KEY (org_unit_id, day)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reminder`);
    await queryRunner.query(`DROP TABLE zero_report`);
    for (const op of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER unit_stats_${op} ON record`);
      await queryRunner.query(`DROP FUNCTION unit_stats_${op}()`);
    }
    await queryRunner.query(`DROP TABLE unit_stats`);
    // record.lifecycle stays: the life-after-approval migration may own it too.
  }
}
