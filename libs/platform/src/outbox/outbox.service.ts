import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RequestOf, Subject } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { currentCorrelationId } from '../context/request-context';
import { WorkQueue } from '../jobs/work-queue';

export interface OutboxRow {
  subject: string;
  payload: unknown;
  correlation_id: string | null;
}

/**
 * Records a message in the SAME transaction as the change that causes it; the relay
 * delivers it afterwards and retries until the receiver acknowledges. So a change and its
 * message happen together or not at all, even when the receiver is down. Enqueuing also
 * wakes the relays (a NOTIFY delivered on commit), so nobody needs to tell them.
 * Receivers must be idempotent: a message may arrive more than once.
 */
@Injectable()
export class Outbox {
  readonly queue: WorkQueue<OutboxRow>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.queue = new WorkQueue<OutboxRow>(dataSource, {
      table: 'outbox',
      key: 'id',
      columns: ['subject', 'payload', 'correlation_id'],
      pending: 'delivered_at IS NULL',
      order: 'id',
      since: 'created_at',
      leased: false,
    });
  }

  async enqueue<S extends Subject<unknown, unknown>>(
    manager: EntityManager,
    subject: S,
    payload: RequestOf<S>,
  ): Promise<void> {
    await manager.query('INSERT INTO outbox (subject, payload, correlation_id) VALUES ($1, $2, $3)', [
      subject.name,
      JSON.stringify(payload),
      currentCorrelationId() ?? null,
    ]);
    await this.queue.wake(manager);
  }

  /** Many messages of one subject in one statement (set-based workflow actions). */
  async enqueueMany<S extends Subject<unknown, unknown>>(
    manager: EntityManager,
    subject: S,
    payloads: Array<RequestOf<S>>,
  ): Promise<void> {
    if (payloads.length === 0) return;
    await manager.query(
      // One JSON array, not a jsonb[] literal: escaping thousands of JSON texts into an array
      // literal costs more than the insert itself.
      'INSERT INTO outbox (subject, payload, correlation_id) SELECT $1, p, $3 FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(p, n) ORDER BY n',
      [subject.name, JSON.stringify(payloads), currentCorrelationId() ?? null],
    );
    await this.queue.wake(manager);
  }

  /** Messages of this subject not yet delivered (the first start's readiness waits for none). */
  async pendingCount(subject: Subject<unknown, unknown>): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      'SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL AND subject = $1',
      [subject.name],
    );
    return row.n;
  }

  /** A delivered message: its payload is not kept (it may carry a secret, such as a 校验码 mail); the row stays as the record of the delivery. */
  async markDelivered(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE outbox SET delivered_at = now(), payload = '{}'::jsonb WHERE id = $1`, [id]);
  }
}
