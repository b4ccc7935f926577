import { Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';

/** What the probes say of the bus of this process. */
export interface BusState {
  /** Every connection of this process to the bus is open and connected. */
  reachable: boolean;
  /** Since when (epoch ms) the bus has been unreachable without a break; absent while reachable. */
  downSince?: number;
  /** A connection closed for good (not by us): it will never reconnect; only a restart helps. */
  closedForGood: boolean;
  /** For the operator: which connection is down and why. */
  detail?: string;
}

interface Watched {
  name: string;
  /** Set while not connected (connecting for the first time, or reconnecting). */
  downSince?: number;
  lastError?: string;
  connection?: NatsConnection;
  /** Closed by us (shutdown): not a failure. */
  released: boolean;
  closedForGood: boolean;
}

/**
 * Watches the NATS connections of one process (a service's server connection and its client
 * connection; every service of a test system on one transport). The connections themselves
 * reconnect for ever; this only keeps score, for `/readyz` (is the bus reachable now?) and
 * `/livez` (has it been gone too long, or closed for good?).
 */
export class BusConnectionMonitor {
  private readonly logger = new Logger('Bus');
  private readonly watched = new Set<Watched>();

  /**
   * Follows a connection from its first attempt: down until it connects, then as its status
   * events say. Answers the same promise, so callers go on using it.
   */
  track(name: string, connecting: Promise<NatsConnection>): Promise<NatsConnection> {
    const entry: Watched = { name, downSince: Date.now(), released: false, closedForGood: false };
    this.watched.add(entry);
    connecting.then(
      (connection) => this.follow(entry, connection),
      // A refused first connection (bad credentials…): the caller gets the error and retries
      // or stops; this attempt is no longer a connection of the process.
      () => this.watched.delete(entry),
    );
    return connecting;
  }

  /** Our own close (shutdown): the connection leaves the score without counting as a failure. */
  release(connection: NatsConnection | null | undefined): void {
    for (const entry of this.watched)
      if (entry.connection === connection) {
        entry.released = true;
        this.watched.delete(entry);
      }
  }

  state(): BusState {
    const entries = [...this.watched];
    const closed = entries.find((entry) => entry.closedForGood);
    if (closed)
      return {
        reachable: false,
        closedForGood: true,
        downSince: closed.downSince,
        detail: `${closed.name}: 连接已关闭${closed.lastError ? `（${closed.lastError}）` : ''}`,
      };
    const down = entries.filter((entry) => entry.downSince !== undefined);
    if (down.length === 0) return { reachable: true, closedForGood: false };
    return {
      reachable: false,
      closedForGood: false,
      downSince: Math.min(...down.map((entry) => entry.downSince!)),
      detail: down
        .map((entry) => `${entry.name}: 正在重连${entry.lastError ? `（${entry.lastError}）` : ''}`)
        .join('；'),
    };
  }

  /** Round trip to the server on every open connection (PING/PONG), within the time given. */
  async ping(timeoutMs: number): Promise<void> {
    const open = [...this.watched].filter((entry) => entry.connection && entry.downSince === undefined);
    await Promise.all(open.map((entry) => withTimeout(entry.connection!.flush(), timeoutMs)));
  }

  private follow(entry: Watched, connection: NatsConnection): void {
    entry.connection = connection;
    entry.downSince = undefined;
    void (async () => {
      for await (const status of connection.status()) {
        switch (status.type) {
          case 'disconnect':
          case 'reconnecting':
            entry.downSince ??= Date.now();
            if (status.type === 'disconnect') this.logger.warn({ msg: 'bus disconnected', connection: entry.name });
            break;
          case 'reconnect':
            if (entry.downSince !== undefined)
              this.logger.log({
                msg: 'bus reconnected',
                connection: entry.name,
                downSeconds: Math.round((Date.now() - entry.downSince) / 1000),
              });
            entry.downSince = undefined;
            entry.lastError = undefined;
            break;
          case 'error':
            entry.lastError = String(status.data);
            break;
        }
      }
    })().catch(() => undefined);
    void connection.closed().then((err) => {
      if (entry.released) return;
      entry.closedForGood = true;
      entry.downSince ??= Date.now();
      if (err instanceof Error) entry.lastError = err.message;
      this.logger.error({ msg: 'bus connection closed for good', connection: entry.name, error: entry.lastError });
    });
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('总线无响应')), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
