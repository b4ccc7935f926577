import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A login's bookkeeping in two statements instead of two transactions of a dozen: one function
 * that admits the attempt (the pair's lock, then the client's limit under its advisory lock and
 * the booking), one that ends a successful login (the booking released, the pair cleared, the
 * `auth.login` entry appended to the audit chain), each one round trip and its own transaction.
 */
export class LoginInOneTrip1764600000000 implements MigrationInterface {
  name = 'LoginInOneTrip1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Each statement of a PL/pgSQL function takes a fresh snapshot (READ COMMITTED), so the
    // count after the advisory lock sees every booking committed by the lock's previous holder.
    await queryRunner.query(`
      CREATE FUNCTION login_admit(
        p_username varchar, p_client varchar, p_limit int, p_window_minutes int,
        OUT locked_until timestamptz, OUT reservation bigint, OUT retry_after_seconds int
      ) LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        recent int;
        oldest timestamptz;
      BEGIN
        SELECT p.locked_until INTO locked_until FROM login_pair p
         WHERE p.username = p_username AND p.client_key = p_client AND p.locked_until > now();
        IF FOUND THEN RETURN; END IF;
        PERFORM pg_advisory_xact_lock(hashtext('login-client:' || p_client));
        SELECT count(*)::int, min(f.at) INTO recent, oldest FROM login_client_failure f
         WHERE f.client_key = p_client AND f.at > now() - make_interval(mins => p_window_minutes);
        IF recent >= p_limit THEN
          retry_after_seconds := greatest(1,
            coalesce(ceil(extract(epoch FROM oldest + make_interval(mins => p_window_minutes) - now()))::int, 1));
          RETURN;
        END IF;
        INSERT INTO login_client_failure (client_key) VALUES (p_client) RETURNING id INTO reservation;
      END $$`);
    // The audit entry's hash is the chain's (audit-chain.ts): SHA-256 over the previous hash, a
    // newline and the entry's canonical content, whose text the caller gives around its seq.
    // Rows in the order every identity transaction takes: login counters, then the chain's head.
    await queryRunner.query(`
      CREATE FUNCTION login_succeeded(
        p_reservation bigint, p_username varchar, p_client varchar,
        p_id uuid, p_at timestamptz, p_service varchar, p_action varchar, p_outcome varchar,
        p_actor_account_id uuid, p_actor_username varchar, p_actor_org_unit_id uuid,
        p_target_type varchar, p_target_id varchar, p_details jsonb, p_correlation_id varchar,
        p_content_before_seq text, p_content_after_seq text
      ) RETURNS bigint LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        prev_seq bigint;
        prev_hash text;
        next_hash text;
      BEGIN
        DELETE FROM login_client_failure WHERE id = p_reservation;
        DELETE FROM login_pair WHERE username = p_username AND client_key = p_client;
        SELECT c.last_seq, c.last_hash INTO prev_seq, prev_hash FROM audit_chain c WHERE c.id = 1 FOR UPDATE;
        next_hash := encode(sha256(convert_to(
          prev_hash || E'\\n' || p_content_before_seq || (prev_seq + 1)::text || p_content_after_seq, 'UTF8')), 'hex');
        INSERT INTO audit_log (id, at, service, action, outcome, actor_account_id, actor_username, actor_org_unit_id,
                               target_type, target_id, details, correlation_id, seq, prev_hash, hash)
        VALUES (p_id, p_at, p_service, p_action, p_outcome, p_actor_account_id, p_actor_username, p_actor_org_unit_id,
                p_target_type, p_target_id, p_details, p_correlation_id, prev_seq + 1, prev_hash, next_hash);
        UPDATE audit_chain SET last_seq = prev_seq + 1, last_hash = next_hash WHERE id = 1;
        RETURN prev_seq + 1;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION login_succeeded(bigint, varchar, varchar, uuid, timestamptz, varchar, varchar, varchar, uuid, varchar, uuid, varchar, varchar, jsonb, varchar, text, text)`,
    );
    await queryRunner.query(`DROP FUNCTION login_admit(varchar, varchar, int, int)`);
  }
}
