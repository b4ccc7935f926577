import { Logger } from '@nestjs/common';
import { PollingLoop } from './polling-loop';

const quiet = { warn: () => undefined } as unknown as Logger;

describe('PollingLoop', () => {
  it('runs again at once while rounds report more work, and never overlaps rounds', async () => {
    let active = 0;
    let maxActive = 0;
    let work = 5;
    const rounds: number[] = [];
    const loop = new PollingLoop(
      'test',
      60_000,
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 5));
        rounds.push(work);
        active--;
        return --work > 0;
      },
      quiet,
    );
    loop.trigger();
    loop.trigger();
    loop.trigger();
    await new Promise((r) => setTimeout(r, 100));
    await loop.stop();
    expect(rounds).toEqual([5, 4, 3, 2, 1]);
    expect(maxActive).toBe(1);
  });

  it('keeps going after a failing round and stops cleanly', async () => {
    let calls = 0;
    const loop = new PollingLoop(
      'test',
      10,
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return false;
      },
      quiet,
    );
    loop.trigger();
    await new Promise((r) => setTimeout(r, 60));
    await loop.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 40));
    expect(after).toBeGreaterThan(1);
    expect(calls).toBe(after);
  });
});
