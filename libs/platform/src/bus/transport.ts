import { ClientNats, ClientProxy, CustomTransportStrategy, NatsRecord, NatsRecordBuilder } from '@nestjs/microservices';
import { Msg, NatsConnection, NatsError, headers as natsHeaders } from 'nats';
import { BusSettings } from '../config/settings';
import { BusConnectionMonitor, BusState } from './bus-connection-monitor';
import { InProcessHeaders } from './bus-headers';
import { InProcessBroker } from './in-process-broker';
import { InProcessClient, InProcessServer } from './in-process.transport';
import { PrefixedNatsClient, PrefixedNatsServer } from './nats.transport';

/**
 * How messages move: over NATS, or inside one process. Everything above this (handlers,
 * pipes, filters, the bus client) is the same on both.
 */
export interface BusTransport {
  readonly kind: 'nats' | 'in-process';
  createServer(queue: string): CustomTransportStrategy;
  createClient(): ClientProxy;
  /** Wraps a payload with headers in the form this transport's client sends. */
  wrap(payload: unknown, headers: Record<string, string>): NatsRecord;
  /**
   * Fan-out events, on the connection of a client this transport made: every subscriber gets
   * every event (a plain subscription, no queue group), so each replica of an app hears it.
   * Fire and forget: nothing is stored for a subscriber that is not there.
   */
  publishEvent(client: ClientProxy, subject: string, payload: unknown): Promise<void>;
  /** Subscribes to a fan-out event; answers the unsubscribe. */
  subscribeEvent(client: ClientProxy, subject: string, handler: (payload: unknown) => void): Promise<() => void>;
  /** The bus as this process's connections see it now (no round trip). */
  busState(): BusState;
  /**
   * Readiness: the bus carries messages now. Connects the client if it has not yet, then a
   * round trip to the server on every connection; resolves to the state, never throws.
   */
  checkBus(client: ClientProxy, timeoutMs: number): Promise<BusState>;
}

function prefixedSubject(prefix: string | undefined, subject: string): string {
  return prefix ? `${prefix}.${subject}` : subject;
}

/** A fan-out event as it travels: JSON, never shared by reference. */
function decodeEvent(raw: string, handler: (payload: unknown) => void): void {
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    return;
  }
  handler(payload);
}

/** This app's own NATS user (deploy/nats/nats-server.conf limits what each may publish and subscribe). */
export interface NatsCredentials {
  user: string;
  pass: string;
}

export class NatsTransport implements BusTransport {
  readonly kind = 'nats' as const;
  /** Every connection this transport makes, for the probes. */
  readonly monitor = new BusConnectionMonitor();

  constructor(
    private readonly servers: string[],
    private readonly prefix?: string,
    private readonly credentials?: NatsCredentials,
  ) {}

  createServer(queue: string): CustomTransportStrategy {
    return new PrefixedNatsServer(
      { servers: this.servers, queue, name: queue, ...this.auth() },
      this.prefix,
      this.monitor,
    );
  }

  createClient(): ClientProxy {
    return new PrefixedNatsClient(
      { servers: this.servers, ...this.auth() },
      this.prefix,
      this.monitor,
    ) as unknown as ClientProxy;
  }

  /** As its own user, an app reads replies on an inbox of its own (`_INBOX.<user>.…`), the only one it may read. */
  private auth() {
    return this.credentials ? { ...this.credentials, inboxPrefix: `_INBOX.${this.credentials.user}` } : {};
  }

  wrap(payload: unknown, headers: Record<string, string>): NatsRecord {
    const h = natsHeaders();
    for (const [key, value] of Object.entries(headers)) h.set(key, value);
    return new NatsRecordBuilder(payload).setHeaders(h).build();
  }

  async publishEvent(client: ClientProxy, subject: string, payload: unknown): Promise<void> {
    const connection: NatsConnection = await (client as unknown as ClientNats).connect();
    connection.publish(prefixedSubject(this.prefix, subject), JSON.stringify(payload));
  }

  async subscribeEvent(client: ClientProxy, subject: string, handler: (payload: unknown) => void): Promise<() => void> {
    const connection: NatsConnection = await (client as unknown as ClientNats).connect();
    // No `queue`: every connection subscribed receives each event.
    const subscription = connection.subscribe(prefixedSubject(this.prefix, subject), {
      callback: (err: NatsError | null, message: Msg) => {
        if (!err) decodeEvent(message.string(), handler);
      },
    });
    // Answered once the server has the subscription: no event published after this is missed.
    await connection.flush();
    return () => subscription.unsubscribe();
  }

  busState(): BusState {
    return this.monitor.state();
  }

  async checkBus(client: ClientProxy, timeoutMs: number): Promise<BusState> {
    // The client connects lazily (the gateway's on its first request): start it, but wait no
    // longer than the probe may.
    const connected = await Promise.race([
      (client as unknown as ClientNats).connect().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
    const state = this.monitor.state();
    if (!connected || !state.reachable)
      return state.reachable ? { reachable: false, closedForGood: false, detail: '无法连接 NATS' } : state;
    try {
      await this.monitor.ping(timeoutMs);
      return state;
    } catch (err) {
      return { reachable: false, closedForGood: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }
}

export class InProcessTransport implements BusTransport {
  readonly kind = 'in-process' as const;

  constructor(
    readonly broker: InProcessBroker = new InProcessBroker(),
    private readonly prefix?: string,
  ) {}

  createServer(queue: string): CustomTransportStrategy {
    return new InProcessServer(this.broker, queue, this.prefix);
  }

  createClient(): ClientProxy {
    return new InProcessClient(this.broker, this.prefix);
  }

  wrap(payload: unknown, headers: Record<string, string>): NatsRecord {
    return new NatsRecord(payload, new InProcessHeaders(headers));
  }

  async publishEvent(_client: ClientProxy, subject: string, payload: unknown): Promise<void> {
    this.broker.publish(prefixedSubject(this.prefix, subject), JSON.stringify(payload), {});
  }

  async subscribeEvent(
    _client: ClientProxy,
    subject: string,
    handler: (payload: unknown) => void,
  ): Promise<() => void> {
    // No queue group: the broker gives each plain subscriber its own group, so each gets every event.
    return this.broker.subscribe(prefixedSubject(this.prefix, subject), undefined, (raw) => decodeEvent(raw, handler));
  }

  /** The broker lives in this process: it is there as long as the process is. */
  busState(): BusState {
    return { reachable: true, closedForGood: false };
  }

  async checkBus(): Promise<BusState> {
    return this.busState();
  }
}

/** NATS when NATS_URL is set (as NATS_USER when given), else the in-process transport on the given broker. */
export function transportFromConfig(config: BusSettings, broker?: InProcessBroker): BusTransport {
  if (config.NATS_URL)
    return new NatsTransport(
      config.NATS_URL.split(','),
      config.BUS_SUBJECT_PREFIX,
      config.NATS_USER ? { user: config.NATS_USER, pass: config.NATS_PASSWORD ?? '' } : undefined,
    );
  return new InProcessTransport(broker, config.BUS_SUBJECT_PREFIX);
}
