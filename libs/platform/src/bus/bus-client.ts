import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { EventSubject, isErrorEnvelope, PayloadOf, ReplyOf, RequestOf, Subject } from '@app/contracts';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { BusSettings } from '../config/settings';
import {
  CORRELATION_HEADER,
  currentActorAssertion,
  currentCorrelationId,
  newCorrelationId,
} from '../context/request-context';
import { DomainError, ServiceUnavailableError } from '../errors/domain-error';
import { busRequestDuration, secondsSince } from '../metrics/metrics';
import { APP_CONFIG, BUS_CLIENT_PROXY, BUS_TRANSPORT, SERVICE_NAME } from '../tokens';
import { ACTOR_ASSERTION_HEADER } from './actor-assertion';
import { BusTransport } from './transport';

export interface RequestOptions {
  timeoutMs?: number;
}

/**
 * The one way to call another service. Typed by the subject, bounded by a timeout,
 * carrying the correlation id and, for a payload with an `actor`, the actor assertion of the
 * current context; a remote ErrorEnvelope comes back as a DomainError and
 * silence (no service, no broker) as SERVICE_UNAVAILABLE.
 */
@Injectable()
export class BusClient implements OnApplicationShutdown {
  private readonly logger = new Logger(BusClient.name);

  constructor(
    @Inject(BUS_CLIENT_PROXY) private readonly proxy: ClientProxy,
    @Inject(BUS_TRANSPORT) private readonly transport: BusTransport,
    @Inject(APP_CONFIG) private readonly config: BusSettings,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  async request<S extends Subject<unknown, unknown>>(
    subject: S,
    payload: RequestOf<S>,
    options: RequestOptions = {},
  ): Promise<ReplyOf<S>> {
    const headers: Record<string, string> = { [CORRELATION_HEADER]: currentCorrelationId() ?? newCorrelationId() };
    // A request made for a user proves who that user is: the receiving service refuses an
    // `actor` that no valid assertion vouches for.
    if (payload && typeof payload === 'object' && 'actor' in payload) {
      const assertion = currentActorAssertion();
      if (assertion) headers[ACTOR_ASSERTION_HEADER] = assertion;
    }
    const wait = options.timeoutMs ?? this.config.BUS_TIMEOUT_MS;
    const started = process.hrtime.bigint();
    const observe = (outcome: 'ok' | 'error' | 'unavailable') =>
      busRequestDuration.observe({ service: this.service, subject: subject.name, outcome }, secondsSince(started));
    try {
      const reply$ = this.proxy
        .send<ReplyOf<S>>(subject.name, this.transport.wrap(payload ?? {}, headers))
        .pipe(timeout(wait));
      const reply = await firstValueFrom(reply$);
      observe('ok');
      return reply;
    } catch (err) {
      observe(isErrorEnvelope(err) ? 'error' : 'unavailable');
      if (isErrorEnvelope(err)) throw DomainError.fromEnvelope(err);
      if (err instanceof TimeoutError) throw new ServiceUnavailableError(subject.name);
      // "No responders": nobody subscribes to the subject, so nobody received the request.
      if (err instanceof EmptyResponseException) throw new ServiceUnavailableError(subject.name, false);
      // The broker is unreachable, the connection broke or nobody handles the subject:
      // to the caller all of these are the same. Kept in the log for the operator.
      this.logger.warn({
        msg: 'bus request failed',
        subject: subject.name,
        error: err instanceof Error ? err.message : String(err),
      });
      throw new ServiceUnavailableError(subject.name);
    }
  }

  /**
   * Publishes a fan-out event to every subscriber (each replica). Never throws: the caller's
   * change is committed already; a lost event is covered by the subscriber's own fallback.
   */
  async publish<E extends EventSubject<unknown>>(event: E, payload: PayloadOf<E>): Promise<void> {
    try {
      await this.transport.publishEvent(this.proxy, event.name, payload);
    } catch (err) {
      this.logger.warn({
        msg: 'bus event not published',
        subject: event.name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Hears every event of this subject (a plain subscription: each replica hears each one). */
  subscribe<E extends EventSubject<unknown>>(event: E, handler: (payload: PayloadOf<E>) => void): Promise<() => void> {
    return this.transport.subscribeEvent(this.proxy, event.name, (payload) => handler(payload as PayloadOf<E>));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
  }
}
