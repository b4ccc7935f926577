import { Logger } from '@nestjs/common';
import { Client, ClientConfig, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { JOBS_CHANNEL } from './work-queue';

type Handler = () => void;

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/**
 * The process's LISTEN connection to one database: a plain client outside the pools (a
 * pooled connection cannot keep a LISTEN), shared by every queue of every service in the
 * process. A notification for `<schema>.<table>` runs that queue's handlers. When the
 * connection breaks it is opened again, and every handler runs once then (a wake-up may
 * have been missed meanwhile); the workers' polling delivers in any case.
 */
class WakeupConnection {
  private readonly logger = new Logger('JobWakeups');
  private readonly handlers = new Map<string, Set<Handler>>();
  private client?: Client;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly onEmpty: () => void,
  ) {}

  async subscribe(topic: string, handler: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    await this.ensureConnected();
    return async () => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(topic);
      if (this.handlers.size === 0) await this.close();
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', (message: Notification) => this.dispatch(message.payload));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.logger.warn({
        msg: 'job wake-ups unavailable, workers poll meanwhile',
        error: err instanceof Error ? err.message : String(err),
      });
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) {
      this.failures = 0;
      for (const topic of this.handlers.keys()) this.dispatch(topic);
    }
  }

  private dispatch(topic: string | undefined): void {
    for (const handler of this.handlers.get(topic ?? '') ?? []) handler();
  }

  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.logger.warn({ msg: 'job wake-up connection lost, reconnecting', error: err?.message });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(this.failures++, 10));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.ensureConnected();
    }, delay);
    this.retryTimer.unref();
  }

  private async close(): Promise<void> {
    this.closed = true;
    this.onEmpty();
    clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}

const connections = new Map<string, WakeupConnection>();

/**
 * Subscribes `handler` to the wake-ups of one queue (`topic`: `<schema>.<table>`, see
 * WorkQueue.topic) in the database of `dataSource`. Resolves once listening (or once the
 * attempt failed: then it keeps retrying in the background); the returned function
 * unsubscribes, and the last one out closes the connection.
 */
export function subscribeToWakeups(
  dataSource: DataSource,
  topic: string,
  handler: Handler,
): Promise<() => Promise<void>> {
  const config = listenerConfig(dataSource.options as PostgresConnectionOptions);
  const id = JSON.stringify(config);
  let connection = connections.get(id);
  if (!connection) {
    connection = new WakeupConnection(config, () => connections.delete(id));
    connections.set(id, connection);
  }
  return connection.subscribe(topic, handler);
}

function listenerConfig(options: PostgresConnectionOptions): ClientConfig {
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    application_name: 'gsr-job-wakeups',
    keepAlive: true,
  };
}
