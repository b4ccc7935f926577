import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext, runWithContext } from '../context/request-context';
import { jobDuration, queueBacklog, queueOldestAge, registerScrapeCollector, secondsSince } from '../metrics/metrics';
import { PollingLoop } from '../worker/polling-loop';
import { subscribeToWakeups } from './wakeups';
import { Backoff, Job, Lease, WorkQueue } from './work-queue';

/** What a queue's jobs do. The runner claims, retries and records; the handler does the work. */
export interface JobHandler<Row, Result = void> {
  /** The work. Throwing means "try again later" (with backoff), unless `isFinal` says otherwise. */
  perform(job: Job<Row>, context: JobContext<Row>): Promise<Result>;
  /** Writes the success, in the transaction that holds the job. */
  succeeded(manager: EntityManager, job: Job<Row>, result: Result): Promise<void>;
  /** Writes a final failure (an error `isFinal` accepts, or attempts used up). Required with either. */
  failed?(manager: EntityManager, job: Job<Row>, error: unknown): Promise<void>;
  /** An error retrying cannot help (e.g. a refused package). */
  isFinal?(error: unknown): boolean;
  /**
   * The context a job runs in (its correlation id, e.g. the request that queued it): every log
   * line about the job, the runner's included, and every bus call it makes carry it.
   */
  context?(job: Job<Row>): RequestContext;
}

export interface JobContext<Row> {
  /**
   * Runs `fn` in a transaction holding the job, if it is still this worker's (a leased job
   * can be taken over): throws LeaseLostError otherwise, which ends the attempt quietly.
   */
  whileHeld<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T>;
  readonly job: Job<Row>;
}

export interface JobRunnerOptions {
  /** For logs. */
  name: string;
  /** How often to look for due jobs when no wake-up comes (and for retries that came due). */
  pollMs: number;
  /** Jobs claimed per round. */
  batchSize: number;
  /** Jobs of a round worked on at once (1: one after the other). */
  concurrency: number;
  backoff: Backoff;
  /**
   * Long jobs: claimed with a lease of this length, renewed every third of it while the job
   * runs (the heartbeat); a worker that stops renewing (it died) loses the job to another when
   * the lease runs out. Unset: the job is held by the claiming transaction's row lock until it
   * ends.
   */
  leaseMs?: number;
  /**
   * Long jobs: how long `stop` lets the jobs in progress finish; those still running then are
   * handed back (lease released, due at once) for another worker to take. Unset: `stop` waits
   * for them however long they take.
   */
  stopMs?: number;
  /** After this many attempts a failing job is given up (`failed`). Unset: retried forever. */
  maxAttempts?: number;
}

/** The job was taken over by another worker (its lease ran out): this attempt must stop. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease of job ${jobId} was lost`);
    this.name = 'LeaseLostError';
  }
}

/** This process, in lease owners (kept short: lease_owner is varchar(64)) and job log lines. */
export const INSTANCE = `${hostname().slice(0, 24)}:${process.pid}`;

/** The service a data source belongs to, from its application name (`gsr-<service>`). */
export function serviceOfDataSource(dataSource: DataSource): string {
  const name = (dataSource.options as { applicationName?: string }).applicationName;
  return name?.startsWith('gsr-') ? name.slice(4) : (name ?? 'unknown');
}

/**
 * Runs one queue's jobs in this process: a round claims due jobs (WorkQueue), works on
 * them, and records each outcome: success, retry after backoff, or final failure. Rounds
 * run when a committed enqueue wakes the process (NOTIFY, see wakeups), at once again while
 * a round found a full batch, and otherwise every `pollMs`, which also covers a missed
 * wake-up (e.g. LISTEN through PgBouncer in transaction mode does not work). `stop` waits
 * for the round in progress, and hands back leased jobs that do not finish within `stopMs`.
 */
export class JobRunner<Row, Result = void> {
  private readonly logger: Logger;
  private readonly loop: PollingLoop;
  private readonly service: string;
  private unsubscribe?: () => Promise<void>;
  private stopCollecting?: () => void;
  /** The leased round in progress: its lease and the jobs not settled yet. */
  private active?: { lease: Lease; running: Set<Job<Row>>; handedBack: boolean };

  constructor(
    private readonly dataSource: DataSource,
    readonly queue: WorkQueue<Row>,
    private readonly handler: JobHandler<Row, Result>,
    private readonly options: JobRunnerOptions,
  ) {
    if ((handler.isFinal || options.maxAttempts) && !handler.failed)
      throw new Error(`${options.name}: a queue that gives up needs a failed() handler`);
    this.logger = new Logger(options.name);
    this.service = serviceOfDataSource(dataSource);
    this.loop = new PollingLoop(
      options.name,
      options.pollMs,
      async () => (await this.runRound()) === options.batchSize,
      this.logger,
    );
  }

  /** Listens for wake-ups, then runs a first round (jobs may be waiting from before). */
  async start(): Promise<void> {
    // The backlog and its oldest age, read when Prometheus scrapes (gsr_queue_backlog).
    const labels = { service: this.service, queue: this.options.name };
    this.stopCollecting?.();
    this.stopCollecting = registerScrapeCollector(`${this.service}:${this.options.name}`, async () => {
      const { backlog, oldestAgeSeconds } = await this.queue.backlog();
      queueBacklog.set(labels, backlog);
      queueOldestAge.set(labels, oldestAgeSeconds);
    });
    const topic = await this.queue.topic();
    this.unsubscribe = await subscribeToWakeups(this.dataSource, topic, () => this.loop.trigger());
    this.loop.trigger();
  }

  /**
   * Stops taking jobs and waits for the round in progress. Leased jobs get `stopMs` to
   * finish; any still running then are handed back (their lease released, due at once, the
   * queue woken) so another worker takes them without waiting for the lease to run out. The
   * attempt cut short writes nothing more: its holder no longer holds the job.
   */
  async stop(): Promise<void> {
    this.stopCollecting?.();
    this.stopCollecting = undefined;
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
    const round = this.loop.stop();
    const { stopMs } = this.options;
    if (this.active?.running.size)
      this.logger.log({
        msg: 'stopping: no more jobs taken, finishing those in progress',
        jobs: this.active.running.size,
        stopMs,
      });
    if (stopMs === undefined || this.options.leaseMs === undefined) return round;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), stopMs)));
    const first = await Promise.race([round.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (first === 'done') return;
    await this.handBack();
  }

  /** Releases the leases of the jobs still running in this process (see `stop`). */
  private async handBack(): Promise<void> {
    const active = this.active;
    if (!active || active.running.size === 0) return;
    active.handedBack = true;
    const jobs = [...active.running];
    active.running.clear();
    try {
      const released = await this.queue.release(jobs, active.lease.owner);
      if (released.length)
        this.logger.warn({ msg: 'stopping: unfinished jobs handed back to the queue', jobIds: released });
    } catch (err) {
      // The leases run out by themselves: another worker takes the jobs over then.
      this.logger.warn({ msg: 'stopping: jobs not handed back', error: describe(err) });
    }
  }

  /** One round; answers the number of jobs claimed. */
  runRound(): Promise<number> {
    return this.options.leaseMs === undefined ? this.lockedRound() : this.leasedRound(this.options.leaseMs);
  }

  /**
   * Short jobs: claimed, worked on and settled in one transaction holding their rows. The
   * outcomes are written one after the other (one connection runs one statement at a time).
   */
  private lockedRound(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const jobs = await this.queue.claim(this.options.batchSize, { manager });
      const outcomes = new Map<Job<Row>, Outcome<Result>>();
      await eachAtMost(this.options.concurrency, jobs, async (job) => {
        outcomes.set(job, await this.attempt(job, { job, whileHeld: (fn) => fn(manager) }));
      });
      for (const job of jobs) await this.settle(manager, job, outcomes.get(job)!);
      return jobs.length;
    });
  }

  /** Long jobs: claimed with a lease renewed while they run; each outcome written only if still held. */
  private async leasedRound(ms: number): Promise<number> {
    const lease: Lease = { owner: `${INSTANCE}:${randomBytes(4).toString('hex')}`, ms };
    const jobs = await this.queue.claim(this.options.batchSize, { lease });
    if (jobs.length === 0) return 0;
    const running = new Set(jobs);
    const active = (this.active = { lease, running, handedBack: false });
    const heartbeat = setInterval(
      () =>
        void this.queue
          .renew([...running], lease)
          .then((lost) => {
            if (lost.length) this.logger.warn({ msg: 'job lease lost to another worker', jobIds: lost });
          })
          .catch((err: unknown) => this.logger.warn({ msg: 'lease renewal failed', error: describe(err) })),
      Math.max(250, Math.floor(ms / 3)),
    );
    try {
      await eachAtMost(this.options.concurrency, jobs, (job) =>
        this.inContext(job, async () => {
          if (active.handedBack) return; // stopping: not started, handed back with the rest
          const context: JobContext<Row> = {
            job,
            whileHeld: async (fn) => {
              const outcome = await this.queue.whileHeld(job, fn);
              if (!outcome.held) throw new LeaseLostError(job.id);
              return outcome.value;
            },
          };
          try {
            const outcome = await this.attempt(job, context);
            if (active.handedBack || (!outcome.ok && outcome.error instanceof LeaseLostError)) return;
            if (!outcome.ok && !this.isFinal(job, outcome.error)) {
              await this.retry(job, outcome.error);
              return;
            }
            const settled = await this.queue.whileHeld(job, (manager) => this.settle(manager, job, outcome));
            if (!settled.held)
              this.logger.warn({
                msg: 'job taken over meanwhile, outcome not recorded',
                jobId: job.id,
                replica: INSTANCE,
              });
          } catch (err) {
            // Not recorded: the lease runs out and the job is tried again.
            this.logger.warn({
              msg: 'job outcome not recorded',
              jobId: job.id,
              replica: INSTANCE,
              error: describe(err),
            });
          } finally {
            running.delete(job);
          }
        }),
      );
    } finally {
      clearInterval(heartbeat);
      if (this.active === active) this.active = undefined;
    }
    return jobs.length;
  }

  /** Runs `fn` in the job's own context (its correlation id), if the handler names one. */
  private inContext<T>(job: Job<Row>, fn: () => Promise<T>): Promise<T> {
    const context = this.handler.context?.(job);
    return context ? runWithContext(context, fn) : fn();
  }

  private async attempt(job: Job<Row>, context: JobContext<Row>): Promise<Outcome<Result>> {
    const started = process.hrtime.bigint();
    // Leased jobs are long (imports): which replica ran which attempt, on a line of its own.
    const leased = job.owner !== null;
    if (leased) this.logger.log({ msg: 'job started', jobId: job.id, attempt: job.attempts, replica: INSTANCE });
    const outcome: Outcome<Result> = await this.inContext(job, () => this.handler.perform(job, context)).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const seconds = secondsSince(started);
    const result = outcome.ok
      ? 'succeeded'
      : outcome.error instanceof LeaseLostError
        ? 'lost'
        : this.isFinal(job, outcome.error)
          ? 'failed'
          : 'retry';
    jobDuration.observe({ service: this.service, queue: this.options.name, outcome: result }, seconds);
    if (leased)
      this.logger.log({
        msg: 'job attempt ended',
        jobId: job.id,
        attempt: job.attempts,
        outcome: result,
        ms: Math.round(seconds * 1000),
        replica: INSTANCE,
      });
    return outcome;
  }

  private isFinal(job: Job<Row>, error: unknown): boolean {
    return (
      this.handler.isFinal?.(error) === true ||
      (this.options.maxAttempts !== undefined && job.attempts >= this.options.maxAttempts)
    );
  }

  private async settle(manager: EntityManager, job: Job<Row>, outcome: Outcome<Result>): Promise<void> {
    if (outcome.ok) {
      await this.handler.succeeded(manager, job, outcome.value);
      await this.queue.finish(manager, job);
    } else if (this.isFinal(job, outcome.error)) {
      if (!this.handler.isFinal?.(outcome.error))
        this.logger.error({
          msg: 'job gave up',
          jobId: job.id,
          replica: INSTANCE,
          attempts: job.attempts,
          error: describe(outcome.error),
        });
      await this.handler.failed!(manager, job, outcome.error);
      await this.queue.finish(manager, job);
    } else {
      await this.retry(job, outcome.error, manager);
    }
  }

  private async retry(job: Job<Row>, error: unknown, manager?: EntityManager): Promise<void> {
    const retry = await this.queue.retryLater(job, describe(error), this.options.backoff, manager);
    if (retry)
      this.logger.warn({
        msg: 'job failed, will retry',
        jobId: job.id,
        replica: INSTANCE,
        attempts: retry.attempts,
        retryInMs: retry.delayMs,
        error: describe(error),
      });
  }
}

type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${typeof code === 'string' ? code : err.name}: ${err.message}`;
  }
  return String(err);
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects (with the first error) only once all are done. */
async function eachAtMost<T>(limit: number, items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lanes = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length && failures.length === 0) {
      try {
        await fn(items[next++]);
      } catch (err) {
        failures.push(err);
      }
    }
  });
  await Promise.all(lanes);
  if (failures.length) throw failures[0];
}
