import { ClientNats, ClientProxy, MessageHandler, ServerNats } from '@nestjs/microservices';
import type { NatsConnection as NatsClientConnection } from 'nats';
import { BusConnectionMonitor } from './bus-connection-monitor';

type NatsServerOptions = ConstructorParameters<typeof ServerNats>[0];
type NatsClientOptions = ConstructorParameters<typeof ClientNats>[0];
type NatsConnection = Parameters<ServerNats['bindEvents']>[0];
type NatsSubscription = ReturnType<NatsConnection['subscribe']>;

function prefixed(prefix: string | undefined, subject: string): string {
  return prefix ? `${prefix}.${subject}` : subject;
}

/**
 * How every connection of ours to NATS behaves when the server goes away: it retries for ever
 * (every 2 s plus up to 1 s of jitter, so a hundred replicas do not knock at once), and a
 * first connection made while NATS is down waits for it instead of failing the boot. While
 * disconnected, requests fail at once (503) and `/readyz` says the bus is down.
 */
export const NATS_RECONNECT_OPTIONS = {
  maxReconnectAttempts: -1,
  reconnectTimeWait: 2000,
  reconnectJitter: 1000,
  waitOnFirstConnect: true,
} as const;

/**
 * Nest's NATS server with an optional subject prefix. Every handler subscribes in the
 * service's queue group, so replicas of a service share its messages. On close it first
 * unsubscribes and lets in-flight requests finish, so a stopping replica loses nothing.
 */
export class PrefixedNatsServer extends ServerNats {
  private readonly ownSubscriptions: NatsSubscription[] = [];

  constructor(
    private readonly natsOptions: NatsServerOptions & { queue: string },
    private readonly prefix?: string,
    private readonly monitor?: BusConnectionMonitor,
    private readonly drainMs = 500,
  ) {
    super({ ...NATS_RECONNECT_OPTIONS, ...natsOptions });
  }

  override createNatsClient(): ReturnType<ServerNats['createNatsClient']> {
    const connecting = super.createNatsClient();
    return this.monitor
      ? (this.monitor.track(`${this.natsOptions.queue} server`, connecting as Promise<NatsClientConnection>) as never)
      : connecting;
  }

  /**
   * Handlers are registered under their plain string patterns: the subject is looked up
   * directly. Nest's lookup (the fallback) first parses it as JSON, which for a plain subject
   * throws and catches a SyntaxError on every message.
   */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }

  override bindEvents(client: NatsConnection): void {
    for (const [channel, handlerRef] of this.messageHandlers) {
      const queue = (handlerRef.extras?.queue as string | undefined) ?? this.natsOptions.queue;
      const subscription = client.subscribe(prefixed(this.prefix, channel), {
        queue,
        callback: this.getMessageHandler(channel).bind(this),
      });
      this.ownSubscriptions.push(subscription);
    }
  }

  override async close(): Promise<void> {
    if (this.ownSubscriptions.length > 0) {
      this.ownSubscriptions.splice(0).forEach((subscription) => subscription.unsubscribe());
      await new Promise((resolve) => setTimeout(resolve, this.drainMs));
    }
    this.monitor?.release((this as unknown as { natsClient?: NatsClientConnection | null }).natsClient);
    await super.close();
  }
}

/** Nest's NATS client with the same optional subject prefix. */
export class PrefixedNatsClient extends ClientNats {
  constructor(
    options: NatsClientOptions,
    private readonly prefix?: string,
    private readonly monitor?: BusConnectionMonitor,
  ) {
    super({ ...NATS_RECONNECT_OPTIONS, ...options });
  }

  override createClient(): ReturnType<ClientNats['createClient']> {
    const connecting = super.createClient();
    return this.monitor
      ? (this.monitor.track('client', connecting as Promise<NatsClientConnection>) as never)
      : connecting;
  }

  override async close(): Promise<void> {
    this.monitor?.release(this.natsClient as NatsClientConnection | null);
    await super.close();
  }

  protected override normalizePattern(pattern: Parameters<ClientProxy['send']>[0]): string {
    return prefixed(this.prefix, super.normalizePattern(pattern));
  }
}
