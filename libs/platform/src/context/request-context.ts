import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What follows a request from the HTTP edge through every bus hop. */
export interface RequestContext {
  correlationId: string;
  /** The service handling the message (several share one process in the embedded default). */
  service?: string;
  /**
   * The actor assertion bus requests made in this context carry (for payloads with an `actor`):
   * at the gateway a fresh one signed per call for the verified caller, in a service the one the
   * message being handled came with (forwarded for the same actor). Unset: none is sent.
   */
  actorAssertion?: () => string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const CORRELATION_HEADER = 'x-correlation-id';

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentService(): string | undefined {
  return storage.getStore()?.service;
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function newCorrelationId(): string {
  return randomUUID();
}

/** Accepts a caller's id only if it is short and plain, so logs cannot be forged through it. */
export function sanitizeCorrelationId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(value) ? value : undefined;
}

export function currentActorAssertion(): string | undefined {
  return storage.getStore()?.actorAssertion?.();
}
