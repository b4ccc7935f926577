import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What finds a record but never moves with it — its owner chain, site name and homepage — gets
 * its own narrow table, `record_site`, with the indexes that only those columns need: the GIN of
 * the owner chain (a subtree below the ordered chain positions, "is this unit below that one"),
 * the two pg_trgm GINs of the search and the homepage's btree (the duplicate-homepage check).
 *
 * Why: every move of a record (submit, approve, return, 全部审核) changes indexed columns
 * (status, holder, updated_at, and at the final approval the 标识码), so PostgreSQL writes a new
 * entry into EVERY index of `record` for each row moved, whether that index's key changed or not.
 * The three GINs cost most of it (~30 trigram entries per row per search index): a province's
 * 全部审核 of 10,000 records spent ~40 % of its UPDATE on them. In `record_site` they are written
 * when a record is created and when its name, homepage or chain really change, never on a move.
 *
 * `record` keeps the columns (the list and every read take them from there); `record_site` is
 * kept equal by two triggers in the same statement, so no code path can forget it:
 * - after INSERT, one statement trigger copies the new rows (an import inserts thousands at once);
 * - after UPDATE OF those columns, a row trigger — fired only when the UPDATE names one of them
 *   and it really changed, so a move never fires it — updates the copy.
 * A DELETE of a record removes its copy (ON DELETE CASCADE).
 */
export class RecordSite1765600000000 implements MigrationInterface {
  name = 'RecordSite1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE record_site (
        id uuid PRIMARY KEY REFERENCES record (id) ON DELETE CASCADE,
        owner_chain uuid[] NOT NULL,
        site_name varchar(100) NOT NULL,
        homepage_url varchar(500) NOT NULL
      )`);
    await queryRunner.query(
      `INSERT INTO record_site (id, owner_chain, site_name, homepage_url)
       SELECT id, owner_chain, site_name, homepage_url FROM record`,
    );
    await queryRunner.query(`DROP INDEX record_owner_chain_idx`);
    await queryRunner.query(`DROP INDEX record_site_name_trgm_idx`);
    await queryRunner.query(`DROP INDEX record_homepage_trgm_idx`);
    await queryRunner.query(`DROP INDEX record_homepage_idx`);
    await queryRunner.query(`CREATE INDEX record_site_chain_idx ON record_site USING gin (owner_chain)`);
    await queryRunner.query(
      `CREATE INDEX record_site_name_trgm_idx ON record_site USING gin (site_name public.gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX record_site_homepage_trgm_idx ON record_site USING gin (homepage_url public.gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX record_site_homepage_idx ON record_site (homepage_url)`);
    await queryRunner.query(`
      CREATE FUNCTION record_site_insert() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO record_site (id, owner_chain, site_name, homepage_url)
        SELECT id, owner_chain, site_name, homepage_url FROM new_rows;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER record_site_insert AFTER INSERT ON record
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_site_insert()`);
    await queryRunner.query(`
      CREATE FUNCTION record_site_update() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        UPDATE record_site SET owner_chain = NEW.owner_chain, site_name = NEW.site_name, homepage_url = NEW.homepage_url
         WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER record_site_update AFTER UPDATE OF owner_chain, site_name, homepage_url ON record FOR EACH ROW
        WHEN (OLD.owner_chain IS DISTINCT FROM NEW.owner_chain OR OLD.site_name IS DISTINCT FROM NEW.site_name
              OR OLD.homepage_url IS DISTINCT FROM NEW.homepage_url)
        EXECUTE FUNCTION record_site_update()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER record_site_update ON record`);
    await queryRunner.query(`DROP TRIGGER record_site_insert ON record`);
    await queryRunner.query(`DROP FUNCTION record_site_update()`);
    await queryRunner.query(`DROP FUNCTION record_site_insert()`);
    await queryRunner.query(`DROP TABLE record_site`);
    await queryRunner.query(`CREATE INDEX record_owner_chain_idx ON record USING gin (owner_chain)`);
    await queryRunner.query(
      `CREATE INDEX record_site_name_trgm_idx ON record USING gin (site_name public.gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX record_homepage_trgm_idx ON record USING gin (homepage_url public.gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX record_homepage_idx ON record (homepage_url)`);
  }
}
