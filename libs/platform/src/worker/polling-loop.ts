import { Logger } from '@nestjs/common';

/**
 * A background worker's heartbeat: runs `round` now when triggered (or right after the
 * current round), again at once while a round reports more work, and otherwise every
 * `pollMs`. Rounds never overlap; a failing round is logged and retried at the next poll.
 * `stop` waits for the round in progress, so nothing is cut off mid-write at shutdown.
 */
export class PollingLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly pollMs: number,
    /** Resolves to true when there may be more work right away (e.g. a full batch). */
    private readonly round: () => Promise<boolean>,
    private readonly logger = new Logger(name),
  ) {}

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) return this.trigger();
      this.timer = setTimeout(() => this.trigger(), this.pollMs);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      const more = await this.round().catch((err: unknown) => {
        this.logger.warn({ msg: `${this.name} round failed`, error: err instanceof Error ? err.message : String(err) });
        return false;
      });
      if (more) this.again = true;
    } while (this.again && !this.stopped);
  }
}
