import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditEntry } from '@app/contracts';
import { returningRows } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';
import { contentAroundSeq, normalizeEntry } from '../audit/audit-chain';

/** What is known about one (username, client) pair: failures in a row and a lock or delay. */
export interface PairState {
  failures: number;
  lockedUntil: Date | null;
}

/**
 * The bookkeeping of failed logins, shared by every identity replica: failures per
 * (username, client) pair (unknown usernames included) and per client across accounts.
 * Counters nobody touched for a day are forgotten.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Admits an attempt in one statement (login_admit): a pair locked now answers its lock and
   * books nothing. Otherwise the attempt is counted against the client's limit BEFORE it is
   * checked, so concurrent attempts cannot slip past it: under a per-client transaction lock,
   * the failures within the window are counted and, when under the limit, this attempt is booked
   * as one (its id, released again if the password is right). At the limit it books nothing and
   * answers when the oldest leaves the window.
   */
  async admit(
    username: string,
    clientKey: string,
    limit: number,
    windowMinutes: number,
  ): Promise<{ id: string } | { lockedUntil: Date } | { retryAfterSeconds: number }> {
    const [row]: Array<{ locked_until: Date | null; reservation: string | null; retry_after_seconds: number | null }> =
      await this.dataSource.query('SELECT * FROM login_admit($1, $2, $3, $4)', [
        username,
        clientKey,
        limit,
        windowMinutes,
      ]);
    if (row.locked_until) return { lockedUntil: row.locked_until };
    if (row.reservation === null) return { retryAfterSeconds: row.retry_after_seconds ?? 1 };
    return { id: row.reservation };
  }

  /**
   * A login with the right password, in one statement (login_succeeded): the booking released,
   * the pair starting afresh, and `entry` appended to the audit chain (the link computed in the
   * database under the head's lock, as linkEntries would). Answers the entry's seq.
   */
  async loginSucceeded(reservation: string, username: string, clientKey: string, raw: AuditEntry): Promise<number> {
    const entry = normalizeEntry(raw);
    const { before, after } = contentAroundSeq(entry);
    const [{ seq }]: Array<{ seq: string }> = await this.dataSource.query(
      'SELECT login_succeeded($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) AS seq',
      [
        reservation,
        username,
        clientKey,
        entry.id,
        entry.at,
        entry.service,
        entry.action,
        entry.outcome,
        entry.actorAccountId,
        entry.actorUsername,
        entry.actorOrgUnitId,
        entry.targetType,
        entry.targetId,
        entry.details === null ? null : JSON.stringify(entry.details),
        entry.correlationId,
        before,
        after,
      ],
    );
    return Number(seq);
  }

  /** The attempt succeeded: it is not a failure after all. */
  async releaseClientAttempt(manager: EntityManager, id: string): Promise<void> {
    await manager.query('DELETE FROM login_client_failure WHERE id = $1', [id]);
  }

  /**
   * Counts one failure of the pair in one statement (concurrent failures all count; the row
   * stays locked until the caller's transaction ends) and answers the count in a row.
   */
  async countPairFailure(manager: EntityManager, username: string, clientKey: string): Promise<number> {
    const [row] = await returningRows<{ failures: number }>(
      manager,
      `INSERT INTO login_pair AS p (username, client_key, failures) VALUES ($1, $2, 1)
       ON CONFLICT (username, client_key) DO UPDATE SET failures = p.failures + 1, last_failure_at = now()
       RETURNING failures`,
      [username, clientKey],
    );
    return row.failures;
  }

  /** Locks (or delays) the pair for `seconds`; `restartCount` starts the failures in a row again. */
  async lockPair(
    manager: EntityManager,
    username: string,
    clientKey: string,
    seconds: number,
    restartCount: boolean,
  ): Promise<Date> {
    const [row] = await returningRows<{ locked_until: Date }>(
      manager,
      `UPDATE login_pair SET locked_until = now() + make_interval(secs => $3),
              failures = CASE WHEN $4 THEN 0 ELSE failures END
        WHERE username = $1 AND client_key = $2 RETURNING locked_until`,
      [username, clientKey, seconds, restartCount],
    );
    return row.locked_until;
  }

  /** A right password: the pair starts afresh. */
  async clearPair(manager: EntityManager, username: string, clientKey: string): Promise<void> {
    await manager.query('DELETE FROM login_pair WHERE username = $1 AND client_key = $2', [username, clientKey]);
  }

  /** Unlock (support, root) or reset: every client of this username starts afresh. */
  async clearUsername(manager: EntityManager, username: string): Promise<void> {
    await manager.query('DELETE FROM login_pair WHERE username = $1', [username]);
  }

  /** The latest lock or delay still running per username (for the support desk's list). */
  async lockedUntil(usernames: string[]): Promise<Map<string, Date>> {
    if (usernames.length === 0) return new Map();
    const rows: Array<{ username: string; until: Date }> = await this.dataSource.query(
      `SELECT username, max(locked_until) AS until FROM login_pair
        WHERE username = ANY($1::varchar[]) AND locked_until > now() GROUP BY username`,
      [usernames],
    );
    return new Map(rows.map((row) => [row.username, row.until]));
  }

  /** Drops counters untouched for a day: past every window and lock. */
  async forgetStale(manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM login_client_failure WHERE at < now() - interval '1 day'`);
    await manager.query(
      `DELETE FROM login_pair WHERE last_failure_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`,
    );
  }
}
