import { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH, linkEntries } from '../audit/audit-chain';
import { toChained } from '../audit/audit-log.repository';

const BATCH = 1000;

/**
 * The audit log becomes a hash chain (seq, prev_hash, hash), the existing entries chained in
 * the order they were stored, with a head row that appends lock and a trigger that refuses
 * UPDATE and DELETE except the retention purge of the oldest entries.
 */
export class AuditLogHashChain1764500000000 implements MigrationInterface {
  name = 'AuditLogHashChain1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE audit_log ADD COLUMN seq bigint NULL, ADD COLUMN prev_hash char(64) NULL, ADD COLUMN hash char(64) NULL`,
    );
    await queryRunner.query(`
      UPDATE audit_log SET seq = ordered.n
      FROM (SELECT id, row_number() OVER (ORDER BY stored_at, at, id) AS n FROM audit_log) ordered
      WHERE audit_log.id = ordered.id`);
    let head = { seq: 0, hash: GENESIS_HASH };
    for (;;) {
      const rows: Array<Record<string, unknown>> = await queryRunner.query(
        `SELECT id, at, service, action, outcome, actor_account_id, actor_username, actor_org_unit_id, target_type, target_id, details, correlation_id, seq
         FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT ${BATCH}`,
        [head.seq],
      );
      if (rows.length === 0) break;
      const { linked, head: next } = linkEntries(
        head,
        rows.map((row) => toChained({ ...row, prev_hash: '', hash: '' })),
      );
      await queryRunner.query(
        `UPDATE audit_log SET prev_hash = v.prev_hash, hash = v.hash
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(seq, prev_hash, hash)
         WHERE audit_log.seq = v.seq`,
        [linked.map((e) => e.seq), linked.map((e) => e.prevHash), linked.map((e) => e.hash)],
      );
      head = next;
    }
    await queryRunner.query(
      `ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX audit_log_seq_idx ON audit_log (seq)`);
    await queryRunner.query(`
      CREATE TABLE audit_chain (
        id smallint PRIMARY KEY CHECK (id = 1),
        last_seq bigint NOT NULL,
        last_hash char(64) NOT NULL,
        anchor_seq bigint NOT NULL,
        anchor_hash char(64) NOT NULL,
        CHECK (anchor_seq <= last_seq)
      )`);
    await queryRunner.query(`INSERT INTO audit_chain VALUES (1, $1, $2, 0, $3)`, [head.seq, head.hash, GENESIS_HASH]);

    // Append-only: no UPDATE; DELETE only by the retention purge (a transaction that sets
    // gsr.audit_purge, of entries up to the chain's anchor, which it has just moved past them:
    // a prefix of the chain, so the rest still verifies from the anchor); no TRUNCATE.
    await queryRunner.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           AND current_setting('gsr.audit_purge', true) = 'on'
           AND OLD.seq <= (SELECT anchor_seq FROM audit_chain WHERE id = 1) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '审计日志只能追加，不能修改或删除（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // The head only moves forward: the last position grows, the anchor grows, the row stays.
    await queryRunner.query(`
      CREATE FUNCTION audit_chain_forward_only() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.last_seq >= OLD.last_seq AND NEW.anchor_seq >= OLD.anchor_seq
           AND (NEW.last_seq > OLD.last_seq OR NEW.last_hash = OLD.last_hash)
           AND (NEW.anchor_seq > OLD.anchor_seq OR NEW.anchor_hash = OLD.anchor_hash) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '审计日志链头只能前进（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_chain_forward_only BEFORE UPDATE OR DELETE ON audit_chain
      FOR EACH ROW EXECUTE FUNCTION audit_chain_forward_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_forward_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_chain`);
    await queryRunner.query(`DROP TRIGGER audit_log_no_truncate ON audit_log`);
    await queryRunner.query(`DROP TRIGGER audit_log_append_only ON audit_log`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(`DROP FUNCTION audit_chain_forward_only()`);
    await queryRunner.query(`DROP INDEX audit_log_seq_idx`);
    await queryRunner.query(`ALTER TABLE audit_log DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash`);
  }
}
