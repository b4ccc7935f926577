import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, BusClient, PollingLoop } from '@app/platform';
import { DataSource } from 'typeorm';
import { AssessmentConfig } from '../assessment.settings';
import { MonitorRegistry } from './monitor-registry';
import { MonitorRepository } from './monitor.repository';
import { MonitorWorker } from './monitor-worker';

/** How often a replica looks for due probes, and maintains the probe partitions. */
const WORK_POLL_MS = 1000;
const MAINTENANCE_EVERY_MS = 3_600_000;
/** A failed registry sync is tried again after this long. */
const SYNC_RETRY_MS = 10_000;

/**
 * Monitoring in this replica (MONITOR_ENABLED): the registry sync every
 * MONITOR_SYNC_INTERVAL_SECONDS (and at start), and one probe worker running what is due every
 * second; partitions are kept ahead and old ones dropped hourly. With MONITOR_ENABLED=false
 * none of this runs; the stored results are still read and 立即探测 still works.
 */
@Injectable()
export class MonitorRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly repository: MonitorRepository;
  readonly registry: MonitorRegistry;
  readonly worker: MonitorWorker;
  private readonly loops: PollingLoop[] = [];
  private maintainedAt = 0;
  private readonly logger = new Logger('Monitoring');

  constructor(
    @InjectDataSource() dataSource: DataSource,
    bus: BusClient,
    @Inject(APP_CONFIG) private readonly config: AssessmentConfig,
  ) {
    this.repository = new MonitorRepository(dataSource);
    this.registry = new MonitorRegistry(bus, this.repository, config.MONITOR_HOMEPAGE_PROBES_PER_DAY);
    this.worker = new MonitorWorker(this.repository, {
      perDay: config.MONITOR_HOMEPAGE_PROBES_PER_DAY,
      concurrency: config.MONITOR_WORKER_CONCURRENCY,
      leaseMs: config.MONITOR_LEASE_SECONDS * 1000,
      linksPerDay: config.MONITOR_LINKS_PER_DAY,
      allowPrivateTargets: config.MONITOR_ALLOW_PRIVATE_TARGETS,
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.MONITOR_ENABLED) return;
    const sync = new PollingLoop('monitor-sync', this.config.MONITOR_SYNC_INTERVAL_SECONDS * 1000, async () => {
      try {
        const outcome = await this.registry.sync();
        this.logger.log({ msg: 'monitored sites synced', ...outcome });
      } catch (err) {
        // Review not answering yet (the first start boots every service at once) or for a
        // while: try again soon, not a whole sync interval later.
        this.logger.warn({ msg: 'monitored sites not synced, retrying', error: String(err), retryInMs: SYNC_RETRY_MS });
        setTimeout(() => sync.trigger(), SYNC_RETRY_MS).unref();
      }
      return false;
    });
    const work = new PollingLoop('monitor-work', WORK_POLL_MS, async () => {
      if (Date.now() - this.maintainedAt >= MAINTENANCE_EVERY_MS) {
        const { dropped } = await this.repository.maintain(Date.now());
        this.maintainedAt = Date.now();
        if (dropped.length) this.logger.log({ msg: 'old probe partitions dropped', dropped });
      }
      await this.worker.runDue();
      return false;
    });
    this.loops.push(sync, work);
    sync.trigger();
    work.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }
}
