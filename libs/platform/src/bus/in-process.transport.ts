import {
  ClientProxy,
  CustomTransportStrategy,
  MessageHandler,
  NatsContext,
  NatsRecord,
  ReadPacket,
  Server,
  WritePacket,
} from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { InProcessHeaders } from './bus-headers';
import { InProcessBroker, Reply } from './in-process-broker';

export const IN_PROCESS_TRANSPORT = Symbol('IN_PROCESS_TRANSPORT');

function prefixed(prefix: string | undefined, subject: string): string {
  return prefix ? `${prefix}.${subject}` : subject;
}

/** Server side of the in-process transport: a Nest transport strategy over the broker. */
export class InProcessServer extends Server implements CustomTransportStrategy {
  override readonly transportId = IN_PROCESS_TRANSPORT;
  private unsubscribers: Array<() => void> = [];

  constructor(
    private readonly broker: InProcessBroker,
    private readonly queue: string,
    private readonly prefix?: string,
  ) {
    super();
  }

  listen(callback: () => void): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = (handler.extras?.queue as string | undefined) ?? this.queue;
      this.unsubscribers.push(
        this.broker.subscribe(
          prefixed(this.prefix, pattern),
          queue,
          (raw, headers, reply, subject) => void this.handleMessage(pattern, raw, headers, reply, subject),
        ),
      );
    }
    callback();
  }

  close(): void {
    this.unsubscribers.forEach((unsubscribe) => unsubscribe());
    this.unsubscribers = [];
  }

  on(): void {
    // No connection events: the broker lives in this process.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  /**
   * Handlers are registered under their plain string patterns: the subject is looked up
   * directly. Nest's lookup (the fallback) first parses it as JSON, which for a plain subject
   * throws and catches a SyntaxError on every message.
   */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }

  private async handleMessage(
    pattern: string,
    raw: string,
    headers: Record<string, string>,
    reply: Reply | undefined,
    subject: string,
  ): Promise<void> {
    const packet = JSON.parse(raw) as ReadPacket & { id?: string };
    const context = new NatsContext([subject, new InProcessHeaders(headers)]);
    if (packet.id === undefined) {
      await this.handleEvent(pattern, packet, context);
      return;
    }
    const publish = (response: WritePacket & { id?: string }) => {
      if (reply) reply(JSON.stringify({ ...response, id: packet.id }));
    };
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      publish({ err: NO_MESSAGE_HANDLER, isDisposed: true });
      return;
    }
    this.onProcessingStartHook(this.transportId, context, async () => {
      const response$ = this.transformToObservable(await handler(packet.data, context));
      if (response$) this.send(response$, publish);
    });
  }
}

/** Client side of the in-process transport. */
export class InProcessClient extends ClientProxy {
  constructor(
    private readonly broker: InProcessBroker,
    private readonly prefix?: string,
  ) {
    super();
  }

  async connect(): Promise<void> {
    // Nothing to connect to.
  }

  close(): void {
    // Nothing to close.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  protected publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const packet = this.assignPacketId(partialPacket);
    const { data, headers } = unwrapRecord(packet.data);
    let disposed = false;
    const reply: Reply = (raw) => {
      if (disposed) return;
      const message = JSON.parse(raw) as WritePacket & { id?: string };
      if (message.id !== packet.id) return;
      if (message.isDisposed || message.err) disposed = true;
      callback({ err: message.err, response: message.response, isDisposed: message.isDisposed || !!message.err });
    };
    const raw = JSON.stringify({ pattern: packet.pattern, data, id: packet.id });
    const subject = prefixed(this.prefix, this.normalizePattern(packet.pattern));
    if (this.broker.publish(subject, raw, headers, reply) === 0) {
      // NATS answers a request nobody subscribes to with an empty "no responders" reply.
      setImmediate(() => callback({ err: new EmptyResponseException(subject), isDisposed: true }));
    }
    return () => {
      disposed = true;
    };
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const { data, headers } = unwrapRecord(packet.data);
    const raw = JSON.stringify({ pattern: packet.pattern, data });
    this.broker.publish(prefixed(this.prefix, this.normalizePattern(packet.pattern)), raw, headers);
    return undefined as T;
  }
}

function unwrapRecord(data: unknown): { data: unknown; headers: Record<string, string> } {
  if (data instanceof NatsRecord) {
    const headers = data.headers instanceof InProcessHeaders ? data.headers.toRecord() : {};
    return { data: data.data, headers };
  }
  return { data, headers: {} };
}
