import { MigrationInterface, QueryRunner } from 'typeorm';

/** The owner-chain positions that get an ordered index: levels 0–3 (root, province, city, county). */
export const INDEXED_CHAIN_POSITIONS = [1, 2, 3, 4] as const;

/** What one statement changed, as deltas per (unit, kind, status); `rows` names the transition table(s). */
function deltas(rows: Array<{ table: string; sign: 1 | -1 }>): string {
  const parts = rows.flatMap(({ table, sign }) => [
    `SELECT holder_org_unit_id AS unit_id, 'h' AS kind, status, NULL::smallint AS depth, ${sign} AS n FROM ${table}`,
    `SELECT c.unit_id, 's', t.status, c.depth::smallint, ${sign} FROM ${table} t, unnest(t.owner_chain) WITH ORDINALITY AS c(unit_id, depth)`,
  ]);
  return `
    INSERT INTO record_tally (unit_id, kind, status, depth, n)
    SELECT unit_id, kind, status, max(depth), sum(n) FROM (${parts.join(' UNION ALL ')}) d
     GROUP BY unit_id, kind, status HAVING sum(n) <> 0`;
}

/**
 * The list at 1,000,000 records: counts kept per (unit, status) instead of count(*) on every
 * page, and an index per query shape so a page is an index scan of its 50 rows.
 *
 * - `record_tally`: append-only deltas of how many records each unit holds ('h') and has
 *   owned within its subtree ('s'), per status, written by statement-level triggers in the
 *   transaction that changes the records (so they are exact and never lock each other: every
 *   statement only inserts); the list sums a unit's rows and folds them into one per status
 *   when they grow. 's' rows carry the unit's position in the owner chain.
 * - `(owner_chain[k], updated_at DESC, id)` for the first chain positions: a unit's subtree,
 *   newest first, at whatever size; deeper units use the GIN on owner_chain.
 * - `(holder_org_unit_id, updated_at DESC, id)`: what a unit holds, newest first, any status.
 */
export class RecordListScale1764700000000 implements MigrationInterface {
  name = 'RecordListScale1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE record_tally (
        unit_id uuid NOT NULL,
        kind char(1) NOT NULL CHECK (kind IN ('h', 's')),
        status varchar(16) NOT NULL,
        depth smallint NULL,
        n bigint NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX record_tally_unit_idx ON record_tally (unit_id, kind)`);
    const trigger = async (op: 'INSERT' | 'UPDATE' | 'DELETE') => {
      const body =
        op === 'INSERT'
          ? deltas([{ table: 'new_rows', sign: 1 }])
          : op === 'DELETE'
            ? deltas([{ table: 'old_rows', sign: -1 }])
            : deltas([
                { table: 'new_rows', sign: 1 },
                { table: 'old_rows', sign: -1 },
              ]);
      const name = `record_tally_${op.toLowerCase()}`;
      // search_path FROM CURRENT: the function finds record_tally whoever's session fires it.
      await queryRunner.query(`
        CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        BEGIN
          ${body};
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
    };
    for (const op of ['INSERT', 'UPDATE', 'DELETE'] as const) await trigger(op);
    await queryRunner.query(`
      INSERT INTO record_tally (unit_id, kind, status, depth, n)
      SELECT unit_id, kind, status, max(depth), sum(n) FROM (
        SELECT holder_org_unit_id AS unit_id, 'h' AS kind, status, NULL::smallint AS depth, 1 AS n FROM record
        UNION ALL
        SELECT c.unit_id, 's', r.status, c.depth::smallint, 1 FROM record r, unnest(r.owner_chain) WITH ORDINALITY AS c(unit_id, depth)
      ) d GROUP BY unit_id, kind, status`);
    for (const k of INDEXED_CHAIN_POSITIONS)
      await queryRunner.query(`CREATE INDEX record_chain${k}_idx ON record ((owner_chain[${k}]), updated_at DESC, id)`);
    await queryRunner.query(`CREATE INDEX record_held_idx ON record (holder_org_unit_id, updated_at DESC, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX record_held_idx`);
    for (const k of INDEXED_CHAIN_POSITIONS) await queryRunner.query(`DROP INDEX record_chain${k}_idx`);
    for (const op of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER record_tally_${op} ON record`);
      await queryRunner.query(`DROP FUNCTION record_tally_${op}()`);
    }
    await queryRunner.query(`DROP TABLE record_tally`);
  }
}
