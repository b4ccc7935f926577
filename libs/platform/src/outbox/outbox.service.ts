import { Injectable } from '@nestjs/common';
import { RequestOf, Subject } from '@app/contracts';
import { EntityManager } from 'typeorm';
import { currentCorrelationId } from '../context/request-context';

/**
 * Records a message in the SAME transaction as the change that causes it; the relay
 * delivers it afterwards and retries until the receiver acknowledges. So a change and its
 * message happen together or not at all, even when the receiver is down.
 * Receivers must be idempotent: a message may arrive more than once.
 */
@Injectable()
export class Outbox {
  private readonly listeners = new Set<() => void>();

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
  }

  /** Many messages of one subject in one statement (set-based workflow actions). */
  async enqueueMany<S extends Subject<unknown, unknown>>(
    manager: EntityManager,
    subject: S,
    payloads: Array<RequestOf<S>>,
  ): Promise<void> {
    if (payloads.length === 0) return;
    await manager.query(
      'INSERT INTO outbox (subject, payload, correlation_id) SELECT $1, p, $3 FROM unnest($2::jsonb[]) AS p',
      [subject.name, payloads.map((payload) => JSON.stringify(payload)), currentCorrelationId() ?? null],
    );
  }

  /** Tells the relay there is work, so it need not wait for its next poll. Call after commit. */
  poke(): void {
    for (const listener of this.listeners) listener();
  }

  onPoke(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
