import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ClaimedTask, Completion, MonitorRepository, nextDue, ProbeOutcome } from './monitor.repository';
import { analyzePage, beijingDay, HostLimiter, probe, ProbeResult, sampleLinks } from './probe';

/** The most completions stored in one transaction. */
const MAX_BATCH = 200;

export interface MonitorWorkerOptions {
  /** Homepage visits per site and day (MONITOR_HOMEPAGE_PROBES_PER_DAY). */
  perDay: number;
  /** Probes in flight at once (MONITOR_WORKER_CONCURRENCY). */
  concurrency: number;
  /** A claim's lease (MONITOR_LEASE_SECONDS × 1000). */
  leaseMs: number;
  /** Homepage links checked per site and day (MONITOR_LINKS_PER_DAY). */
  linksPerDay: number;
  allowPrivateTargets: boolean;
  /** The clock: what is due, leases, the fetch day of publish dates. Default Date.now. */
  now?: () => number;
  /** Per-probe timeout (default the probe's 15 s). */
  timeoutMs?: number;
}

/**
 * A probe worker: claims due tasks from the queue in PostgreSQL (FOR UPDATE SKIP LOCKED, under
 * a lease), probes them — one request at a time per host — and stores each result with the
 * task's next slot in one transaction fenced by the claim. Workers in any number of replicas
 * share the queue: a task is held by one claim at a time, and a worker that dies holding
 * claims loses them when the lease runs out; the next worker probes them, once.
 */
export class MonitorWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly limiter = new HostLimiter();
  private readonly partitions = new Set<string>();
  private readonly now: () => number;
  private readonly logger = new Logger('MonitorWorker');
  /** Completions waiting for the next group commit, and whether one is running. */
  private readonly waiting: Array<{
    completion: Completion;
    done: (stored: boolean) => void;
    fail: (err: unknown) => void;
  }> = [];
  private flushing = false;

  constructor(
    readonly repository: MonitorRepository,
    private readonly options: MonitorWorkerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Claims up to `limit` due tasks (a claim's owner is unique to it). */
  claim(limit: number): Promise<ClaimedTask[]> {
    return this.repository.claim(`${this.id}:${randomUUID().slice(0, 8)}`, this.now(), this.options.leaseMs, limit);
  }

  /**
   * Probes everything due now, `concurrency` at a time, claiming more as probes finish, until
   * nothing is due; resolves with the probes stored.
   */
  async runDue(): Promise<number> {
    const concurrency = this.options.concurrency;
    const running = new Set<Promise<void>>();
    let stored = 0;
    let exhausted = false;
    for (;;) {
      if (!exhausted && running.size < concurrency) {
        const wanted = concurrency - running.size;
        const tasks = await this.claim(wanted);
        if (tasks.length < wanted) exhausted = true;
        for (const task of tasks) {
          const run: Promise<void> = this.perform(task)
            .then((done) => void (done && stored++))
            .catch((err: unknown) =>
              this.logger.warn({
                msg: 'monitor probe not stored',
                siteCode: task.siteCode,
                kind: task.kind,
                error: err instanceof Error ? err.message : String(err),
              }),
            )
            .finally(() => running.delete(run));
          running.add(run);
        }
        if (!exhausted && running.size < concurrency) continue;
      }
      if (running.size === 0) return stored;
      await Promise.race(running);
    }
  }

  /** Probes one claimed task and stores it; false when the claim was lost meanwhile (nothing stored). */
  async perform(task: ClaimedTask): Promise<boolean> {
    const started = this.now();
    const outcome = task.kind === 'LINKS' ? await this.checkLinks(task, started) : await this.probePage(task.target);
    const day = beijingDay(task.dueAt);
    if (!this.partitions.has(day)) {
      await this.repository.ensurePartition(day);
      this.partitions.add(day);
    }
    const next = nextDue(
      task.siteCode,
      task.kind,
      task.target,
      this.options.perDay,
      Math.max(task.dueAt.getTime(), this.now()),
    );
    return this.store({ task, outcome, nextDueAt: next });
  }

  /**
   * Group commit: a completion is stored with those that finished while the previous commit
   * ran, in one transaction (at most MAX_BATCH), so the store costs a fraction of a round trip
   * per probe when many run at once and nothing waits when few do.
   */
  private store(completion: Completion): Promise<boolean> {
    return new Promise<boolean>((done, fail) => {
      this.waiting.push({ completion, done, fail });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const stored = await this.repository.completeMany(
            batch.map((entry) => entry.completion),
            this.id,
          );
          batch.forEach((entry, i) => entry.done(stored[i]));
        } catch (err) {
          batch.forEach((entry) => entry.fail(err));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private fetch(url: string): Promise<ProbeResult> {
    return probe(url, {
      allowPrivateTargets: this.options.allowPrivateTargets,
      limiter: this.limiter,
      ...(this.options.timeoutMs && { timeoutMs: this.options.timeoutMs }),
    });
  }

  /** The homepage or a column page: reachable, why not, its newest date and whether it is blank. */
  private async probePage(url: string): Promise<ProbeOutcome> {
    const result = await this.fetch(url);
    const probedAt = new Date(this.now());
    const page = result.reachable && result.html ? analyzePage(result.html, result.finalUrl, probedAt) : null;
    return {
      ok: result.reachable,
      cause: result.failure ?? null,
      status: result.status ?? null,
      elapsedMs: result.elapsedMs,
      probedAt,
      newest: page?.newestDate ?? null,
      blank: page ? page.blank : null,
    };
  }

  /**
   * The homepage's same-site links, a seeded sample of MONITOR_LINKS_PER_DAY (the same for the
   * site and day wherever it runs), each fetched; checks stop at half the lease so the result is
   * stored while the claim holds.
   */
  private async checkLinks(task: ClaimedTask, started: number): Promise<ProbeOutcome> {
    const home = await this.fetch(task.target);
    const probedAt = new Date(this.now());
    const outcome: ProbeOutcome = {
      ok: home.reachable,
      cause: home.failure ?? null,
      status: home.status ?? null,
      elapsedMs: home.elapsedMs,
      probedAt,
      newest: null,
      blank: null,
    };
    if (!home.reachable || !home.html) return outcome;
    const page = analyzePage(home.html, home.finalUrl, probedAt);
    const sample = sampleLinks(page.links, this.options.linksPerDay, `${task.siteCode}\n${beijingDay(task.dueAt)}`);
    const broken: Array<{ url: string; cause: string; status: number | null }> = [];
    let checked = 0;
    const deadline = started + this.options.leaseMs / 2;
    for (const url of sample) {
      if (this.now() > deadline) break;
      const result = await this.fetch(url);
      checked++;
      if (!result.reachable)
        broken.push({ url, cause: result.failure ?? 'http-status', status: result.status ?? null });
    }
    outcome.newest = page.newestDate;
    outcome.links = { checked, broken };
    return outcome;
  }
}
