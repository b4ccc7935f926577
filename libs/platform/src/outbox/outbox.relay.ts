import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@app/contracts';
import { DataSource } from 'typeorm';
import { BusClient } from '../bus/bus-client';
import { runWithContext, newCorrelationId } from '../context/request-context';
import { JobRunner } from '../jobs/job-runner';
import { Job } from '../jobs/work-queue';
import { Outbox, OutboxRow } from './outbox.service';

export interface OutboxRelayOptions {
  /** How often to look for due messages when no wake-up comes. */
  pollMs: number;
  /** Messages taken (and delivered at once) per round. */
  batchSize: number;
  /** Bus timeout per delivery. */
  deliveryTimeoutMs: number;
  /** Longest wait between two attempts of one message. */
  maxBackoffMs: number;
}

export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

export const DEFAULT_RELAY_OPTIONS: OutboxRelayOptions = {
  pollMs: 1000,
  batchSize: 50,
  deliveryTimeoutMs: 30_000,
  maxBackoffMs: 60_000,
};

/**
 * Delivers the outbox, a work queue (JobRunner): due rows are taken with FOR UPDATE SKIP
 * LOCKED in a transaction that stays open while they are sent (replicas never take the
 * same row; a crash frees them at once), each is sent as a bus request, marked delivered on
 * a reply, and on failure retried with exponential backoff. A row is delivered at least once.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runner: JobRunner<OutboxRow>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly bus: BusClient,
    outbox: Outbox,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: OutboxRelayOptions,
  ) {
    this.runner = new JobRunner(
      dataSource,
      outbox.queue,
      {
        perform: (job) => this.deliver(job),
        succeeded: (manager, job) => outbox.markDelivered(manager, job.id),
      },
      {
        name: 'outbox',
        pollMs: options.pollMs,
        batchSize: options.batchSize,
        concurrency: options.batchSize,
        backoff: { baseMs: 500, maxMs: options.maxBackoffMs },
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /** One round now; answers the number of messages taken. */
  deliverRound(): Promise<number> {
    return this.runner.runRound();
  }

  private deliver(job: Job<OutboxRow>): Promise<void> {
    const { row } = job;
    return runWithContext({ correlationId: row.correlation_id ?? newCorrelationId() }, async () => {
      await this.bus.request(subject<unknown, unknown>(row.subject), row.payload, {
        timeoutMs: this.options.deliveryTimeoutMs,
      });
    });
  }
}
