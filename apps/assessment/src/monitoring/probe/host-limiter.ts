/**
 * A keyed limiter: at most `perKey` tasks run at once for one key (a host name), the rest wait
 * in arrival order. The probes of one worker share one, so a site is fetched one request at a
 * time however many of its columns are due.
 */
export class HostLimiter {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(readonly perKey = 1) {
    if (!Number.isInteger(perKey) || perKey < 1) throw new Error('perKey must be a positive integer');
  }

  /** Runs `task` when a slot for `key` is free; the slot is released when it settles. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await task();
    } finally {
      this.release(key);
    }
  }

  /** Tasks running or waiting for `key` (0 when idle; idle keys are forgotten). */
  pending(key: string): number {
    return (this.running.get(key) ?? 0) + (this.waiting.get(key)?.length ?? 0);
  }

  private acquire(key: string): Promise<void> {
    const running = this.running.get(key) ?? 0;
    if (running < this.perKey) {
      this.running.set(key, running + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push(resolve);
      this.waiting.set(key, queue);
    });
  }

  private release(key: string): void {
    const queue = this.waiting.get(key);
    const next = queue?.shift();
    if (queue && !queue.length) this.waiting.delete(key);
    if (next) return next(); // the slot passes straight to the next waiter
    const running = (this.running.get(key) ?? 1) - 1;
    if (running > 0) this.running.set(key, running);
    else this.running.delete(key);
  }
}
