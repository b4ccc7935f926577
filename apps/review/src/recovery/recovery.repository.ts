import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The 标识码找回 bookkeeping: mails sent per record, attempts per client. */
@Injectable()
export class RecoveryRepository {
  async mailsSince(manager: EntityManager, recordId: string, hours: number): Promise<number> {
    const [{ recent }]: Array<{ recent: number }> = await manager.query(
      `SELECT count(*)::int AS recent FROM site_code_recovery WHERE record_id = $1 AND at > now() - make_interval(hours => $2)`,
      [recordId, hours],
    );
    return recent;
  }

  /** Records one recovery mail; its id keys the mail, so a retried delivery is sent once. */
  async logMail(manager: EntityManager, recordId: string, clientKey: string | null): Promise<string> {
    const [{ id }]: Array<{ id: string }> = await manager.query(
      'INSERT INTO site_code_recovery (record_id, client_key) VALUES ($1, $2) RETURNING id',
      [recordId, clientKey],
    );
    return id;
  }

  /**
   * Serialises one client's attempts until the caller's transaction ends (a per-client
   * transaction lock: concurrent attempts from one client queue up, others don't), and
   * answers how many it made within the window.
   */
  async lockClientAttempts(manager: EntityManager, clientKey: string, windowMs: number): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('site-code-recovery:' || $1))`, [clientKey]);
    const [{ recent }]: Array<{ recent: number }> = await manager.query(
      `SELECT count(*)::int AS recent FROM site_code_recovery_attempt WHERE client_key = $1 AND at > now() - make_interval(secs => $2::float / 1000)`,
      [clientKey, windowMs],
    );
    return recent;
  }

  /** Records an attempt, and drops those older than a day: of no use past the window (and then some). */
  async logAttempt(manager: EntityManager, clientKey: string): Promise<void> {
    await manager.query('INSERT INTO site_code_recovery_attempt (client_key) VALUES ($1)', [clientKey]);
    await manager.query(`DELETE FROM site_code_recovery_attempt WHERE at < now() - interval '1 day'`);
  }
}
