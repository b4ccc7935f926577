import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '../database/query';

/**
 * A table that is a work queue. Each queue keeps its own domain table (written in the same
 * transaction as the change that causes the work); this says which of its columns the
 * shared claim, backoff and lease SQL below works on. Every queue table has
 * `attempts int`, `next_attempt_at timestamptz` and `last_error text`; a leased one also
 * `lease_owner varchar(64)` and `lease_until timestamptz`.
 */
export interface QueueTable {
  /** Unqualified: resolves in the service's own schema. */
  table: string;
  /** Primary key column. */
  key: string;
  /** Columns a claimed job carries. */
  columns: readonly string[];
  /** SQL condition of a row whose work is not done yet, e.g. `delivered_at IS NULL`. */
  pending: string;
  /** Claim order, e.g. `id` or `created_at`. */
  order: string;
  /** Extra assignments when a job is claimed, e.g. `status = 'RUNNING'`. */
  onClaim?: string;
  /** Extra assignments when a job goes back to wait for its retry, e.g. `status = 'QUEUED'`. */
  onRetry?: string;
  /** The table has lease_owner and lease_until (long jobs). */
  leased: boolean;
  /** When the work was asked for (a timestamptz column), for the backlog's oldest age in the metrics. */
  since?: string;
}

/** A queue's work not done yet (the metrics read it at scrape time). */
export interface QueueBacklog {
  backlog: number;
  /** Seconds since the oldest pending work was asked for; 0 when none is pending or `since` is unset. */
  oldestAgeSeconds: number;
}

/** Exponential backoff with a cap: the n-th failed attempt waits min(maxMs, baseMs · 2^(n-1)). */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** A claim held by a lease rather than by the claiming transaction's row lock. */
export interface Lease {
  /** Unique per claim (see JobRunner): who holds the job. */
  owner: string;
  ms: number;
}

export interface Job<Row> {
  /** The primary key, as text. */
  id: string;
  /** Attempts begun so far, this one included. */
  attempts: number;
  /** The lease holder, or null when the job is held by the claiming transaction. */
  owner: string | null;
  row: Row;
}

/** The one NOTIFY channel of job wake-ups; the payload names the queue (`<schema>.<table>`). */
export const JOBS_CHANNEL = 'gsr_jobs';

/**
 * The claim, lease, backoff and wake-up SQL of every work queue, written once.
 *
 * Claiming takes due rows with FOR UPDATE SKIP LOCKED, so concurrent workers (replicas)
 * never take the same row, and counts the attempt. A short job is claimed inside a
 * transaction that stays open while it runs (the row lock is its claim: a crashed worker's
 * connection drops and the row is free again at once). A long job is claimed with a lease
 * the worker renews; when the lease runs out (the worker died), another worker takes it
 * over, and the old holder can no longer write its outcome (`whileHeld`).
 */
export class WorkQueue<Row> {
  private topicOnce?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    readonly spec: QueueTable,
  ) {}

  get name(): string {
    return this.spec.table;
  }

  /**
   * Wakes the workers of this queue: a NOTIFY in the caller's transaction, so it is delivered
   * only if that transaction commits, right after the commit. Call it where jobs are enqueued.
   */
  async wake(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_notify($1, current_schema() || '.' || $2)`, [JOBS_CHANNEL, this.spec.table]);
  }

  /** What `wake` sends for this queue (the schema is the service's, from its search_path). */
  topic(): Promise<string> {
    this.topicOnce ??= this.dataSource
      .query(`SELECT current_schema() || '.' || $1 AS topic`, [this.spec.table])
      .then((rows: Array<{ topic: string }>) => rows[0].topic);
    return this.topicOnce;
  }

  /** How much work waits, and for how long the oldest has (one indexed count per scrape). */
  async backlog(): Promise<QueueBacklog> {
    const { table, pending, since } = this.spec;
    const age = since ? `coalesce(extract(epoch FROM now() - min(${since})), 0)::float8` : '0::float8';
    const [row]: Array<{ backlog: number; age: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS backlog, ${age} AS age FROM ${table} WHERE ${pending}`,
    );
    return { backlog: row.backlog, oldestAgeSeconds: Math.max(0, row.age) };
  }

  /**
   * Takes up to `limit` due jobs. With a lease, the claim is committed at once; without one,
   * `manager` must be a transaction, which holds the jobs until it ends.
   */
  async claim(limit: number, options: { lease?: Lease; manager?: EntityManager } = {}): Promise<Array<Job<Row>>> {
    const { table, key, columns, pending, order, onClaim, leased } = this.spec;
    const { lease, manager } = options;
    if (lease && !leased) throw new Error(`${table} has no lease columns`);
    if (!lease && !manager) throw new Error(`claiming from ${table} without a lease needs a transaction`);
    const assignments = ['attempts = attempts + 1'];
    if (lease) assignments.push(`lease_owner = $2, lease_until = now() + make_interval(secs => $3::float / 1000)`);
    if (onClaim) assignments.push(onClaim);
    const free = leased ? 'AND (lease_until IS NULL OR lease_until < now())' : '';
    const rows = await returningRows<Record<string, unknown>>(
      manager ?? this.dataSource,
      `UPDATE ${table} SET ${assignments.join(', ')}
        WHERE ${key} IN (SELECT ${key} FROM ${table}
                          WHERE (${pending}) AND next_attempt_at <= now() ${free}
                          ORDER BY ${order} LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING ${key}::text AS job_id, attempts AS job_attempts, ${columns.join(', ')}`,
      lease ? [limit, lease.owner, lease.ms] : [limit],
    );
    return rows.map(({ job_id, job_attempts, ...row }) => ({
      id: job_id as string,
      attempts: job_attempts as number,
      owner: lease?.owner ?? null,
      row: row as Row,
    }));
  }

  /** The heartbeat: extends the leases still held; answers the ids whose lease was lost. */
  async renew(jobs: Array<Job<Row>>, lease: Lease): Promise<string[]> {
    if (jobs.length === 0) return [];
    const { table, key } = this.spec;
    const held = await returningRows<{ id: string }>(
      this.dataSource,
      `UPDATE ${table} SET lease_until = now() + make_interval(secs => $3::float / 1000)
        WHERE ${key} = ANY($1) AND lease_owner = $2 RETURNING ${key}::text AS id`,
      [jobs.map((job) => job.id), lease.owner, lease.ms],
    );
    const kept = new Set(held.map((row) => row.id));
    return jobs.filter((job) => !kept.has(job.id)).map((job) => job.id);
  }

  /**
   * Hands leased jobs back (a worker shutting down that cannot finish them in time): clears
   * the lease, uncounts the attempt (it did not fail, it was cut short) and makes the jobs due
   * at once, then wakes the queue's workers so another replica takes them right away. Only
   * jobs still held by `owner` are released; answers their ids.
   */
  async release(jobs: Array<Job<Row>>, owner: string): Promise<string[]> {
    if (jobs.length === 0) return [];
    const { table, key, leased, onRetry } = this.spec;
    if (!leased) throw new Error(`${table} has no lease columns`);
    return this.dataSource.transaction(async (manager) => {
      const released = await returningRows<{ id: string }>(
        manager,
        `UPDATE ${table} SET lease_owner = NULL, lease_until = NULL, attempts = greatest(attempts - 1, 0),
                next_attempt_at = now()${onRetry ? `, ${onRetry}` : ''}
          WHERE ${key} = ANY($1) AND lease_owner = $2 RETURNING ${key}::text AS id`,
        [jobs.map((job) => job.id), owner],
      );
      if (released.length) await this.wake(manager);
      return released.map((row) => row.id);
    });
  }

  /**
   * Runs `fn` in a transaction that holds the job's row, if the job is still this holder's:
   * how a leased job's outcome (or progress) is written, so a holder whose lease was taken
   * over writes nothing. `held: false` when it was.
   */
  async whileHeld<T>(
    job: Job<Row>,
    fn: (manager: EntityManager) => Promise<T>,
  ): Promise<{ held: true; value: T } | { held: false }> {
    const { table, key } = this.spec;
    return this.dataSource.transaction(async (manager) => {
      const rows: unknown[] = await manager.query(
        `SELECT 1 FROM ${table} WHERE ${key} = $1 AND lease_owner = $2 FOR UPDATE`,
        [job.id, job.owner],
      );
      if (rows.length === 0) return { held: false };
      return { held: true, value: await fn(manager) };
    });
  }

  /** The job is done (its outcome written by the caller in `manager`): clears its error and lease. */
  async finish(manager: EntityManager, job: Job<Row>): Promise<void> {
    const { table, key, leased } = this.spec;
    await manager.query(
      `UPDATE ${table} SET last_error = NULL${leased ? ', lease_owner = NULL, lease_until = NULL' : ''} WHERE ${key} = $1`,
      [job.id],
    );
  }

  /**
   * The attempt failed: records the error and schedules the next attempt after the backoff
   * for the attempts made so far (the lease, if any, is given up). Answers the delay, or
   * undefined when a leased job is no longer this holder's.
   */
  async retryLater(
    job: Job<Row>,
    error: string,
    backoff: Backoff,
    manager: Pick<EntityManager, 'query'> = this.dataSource,
  ): Promise<{ attempts: number; delayMs: number } | undefined> {
    const { table, key, leased, onRetry } = this.spec;
    const assignments = [
      'last_error = $2',
      'next_attempt_at = now() + make_interval(secs => least($4::float, $3::float * power(2, least(greatest(attempts - 1, 0), 40))) / 1000)',
    ];
    if (leased) assignments.push('lease_owner = NULL, lease_until = NULL');
    if (onRetry) assignments.push(onRetry);
    const [row] = await returningRows<{ attempts: number; delay_ms: number }>(
      manager,
      `UPDATE ${table} SET ${assignments.join(', ')}
        WHERE ${key} = $1 ${job.owner === null ? '' : 'AND lease_owner = $5'}
        RETURNING attempts, round(extract(epoch FROM next_attempt_at - now()) * 1000)::int AS delay_ms`,
      [job.id, error, backoff.baseMs, backoff.maxMs, ...(job.owner === null ? [] : [job.owner])],
    );
    return row ? { attempts: row.attempts, delayMs: row.delay_ms } : undefined;
  }
}
