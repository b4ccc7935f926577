import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@app/contracts';
import { DataSource } from 'typeorm';
import { BusClient } from '../bus/bus-client';
import { runWithContext, newCorrelationId } from '../context/request-context';
import { PollingLoop } from '../worker/polling-loop';
import { Outbox } from './outbox.service';

export interface OutboxRelayOptions {
  /** How often to look for due messages when nobody pokes. */
  pollMs: number;
  /** Messages taken per round. */
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

interface PendingRow {
  id: string;
  subject: string;
  payload: unknown;
  correlation_id: string | null;
  attempts: number;
}

/**
 * Delivers the outbox: takes due rows with FOR UPDATE SKIP LOCKED (replicas never take the
 * same row), sends each as a bus request, marks it delivered on a reply, and on failure
 * schedules a retry with exponential backoff. A row is delivered at least once.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly loop: PollingLoop;
  private unsubscribe?: () => void;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: BusClient,
    private readonly outbox: Outbox,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: OutboxRelayOptions,
  ) {
    this.loop = new PollingLoop(
      'outbox',
      options.pollMs,
      async () => (await this.deliverRound()) === options.batchSize,
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.outbox.onPoke(() => this.loop.trigger());
    this.loop.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  /** One round in one transaction: the taken rows stay locked until their outcome is written. */
  async deliverRound(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: PendingRow[] = await manager.query(
        `SELECT id, subject, payload, correlation_id, attempts FROM outbox
          WHERE delivered_at IS NULL AND next_attempt_at <= now()
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      const outcomes = await Promise.all(rows.map((row) => this.deliver(row)));
      for (const [index, row] of rows.entries()) {
        const error = outcomes[index];
        if (error === undefined) {
          // The receiver has the message now: its payload is not kept (it may carry a secret,
          // such as a 校验码 mail); the row stays as the record of the delivery.
          await manager.query(
            `UPDATE outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL, payload = '{}'::jsonb WHERE id = $1`,
            [row.id],
          );
        } else {
          const backoff = Math.min(this.options.maxBackoffMs, 500 * 2 ** Math.min(row.attempts, 16));
          await manager.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1`,
            [row.id, error, String(backoff)],
          );
        }
      }
      return rows.length;
    });
  }

  /** Resolves to undefined on success, or to the error text. */
  private deliver(row: PendingRow): Promise<string | undefined> {
    return runWithContext({ correlationId: row.correlation_id ?? newCorrelationId() }, async () => {
      try {
        await this.bus.request(subject<unknown, unknown>(row.subject), row.payload, {
          timeoutMs: this.options.deliveryTimeoutMs,
        });
        return undefined;
      } catch (err) {
        const message =
          err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
        this.logger.warn({
          msg: 'outbox delivery failed, will retry',
          outboxId: row.id,
          subject: row.subject,
          attempts: row.attempts + 1,
          error: message,
        });
        return message;
      }
    });
  }
}
