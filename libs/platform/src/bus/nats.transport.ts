import { ClientNats, ClientProxy, ServerNats } from '@nestjs/microservices';

type NatsServerOptions = ConstructorParameters<typeof ServerNats>[0];
type NatsClientOptions = ConstructorParameters<typeof ClientNats>[0];
type NatsConnection = Parameters<ServerNats['bindEvents']>[0];
type NatsSubscription = ReturnType<NatsConnection['subscribe']>;

function prefixed(prefix: string | undefined, subject: string): string {
  return prefix ? `${prefix}.${subject}` : subject;
}

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
    private readonly drainMs = 500,
  ) {
    super(natsOptions);
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
    await super.close();
  }
}

/** Nest's NATS client with the same optional subject prefix. */
export class PrefixedNatsClient extends ClientNats {
  constructor(
    options: NatsClientOptions,
    private readonly prefix?: string,
  ) {
    super(options);
  }

  protected override normalizePattern(pattern: Parameters<ClientProxy['send']>[0]): string {
    return prefixed(this.prefix, super.normalizePattern(pattern));
  }
}
