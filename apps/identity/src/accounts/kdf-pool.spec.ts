import { randomBytes, scryptSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { KdfPool } from './kdf-pool';

const OPTIONS = { N: 2 ** 10, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** A thread's nice value (Linux: field 19 of /proc/self/task/<tid>/stat). */
function niceOf(tid: string | number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** The nice value of each thread of this process. */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map(niceOf);
}

describe('KdfPool', () => {
  const pool = new KdfPool(2);
  afterAll(() => pool.close());

  it('answers what scrypt answers, for many hashes at once, each its own', async () => {
    const tasks = Array.from({ length: 12 }, (_, i) => ({ password: `口令-${i}`, salt: randomBytes(16) }));
    const keys = await Promise.all(tasks.map((task) => pool.scrypt({ ...task, keyLength: 32, options: OPTIONS })));
    keys.forEach((key, i) => expect(key).toEqual(scryptSync(tasks[i].password, tasks[i].salt, 32, OPTIONS)));
  });

  it('fails a hash with impossible parameters and goes on hashing', async () => {
    await expect(
      pool.scrypt({ password: 'x', salt: randomBytes(16), keyLength: 32, options: { ...OPTIONS, N: 1000 } }),
    ).rejects.toThrow();
    const salt = randomBytes(16);
    expect(await pool.scrypt({ password: 'y', salt, keyLength: 32, options: OPTIONS })).toEqual(
      scryptSync('y', salt, 32, OPTIONS),
    );
  });

  it('hashes on threads niced below the event loop, and no more threads than its size', async () => {
    const niced = () => threadNiceValues().filter((nice) => nice === 10).length;
    const fresh = new KdfPool(3);
    try {
      const before = niced();
      await Promise.all(
        Array.from({ length: 9 }, () =>
          fresh.scrypt({ password: 'z', salt: randomBytes(16), keyLength: 32, options: OPTIONS }),
        ),
      );
      expect(niced() - before).toBe(3);
      // The calling thread (the event loop: the main thread, whose id is the process id) keeps
      // its normal priority.
      expect(niceOf(process.pid)).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});

describe('KdfPool when a thread dies', () => {
  it('fails only the hash being computed; the one queued behind it is hashed on a new thread', async () => {
    const pool = new KdfPool(1);
    try {
      const slow = { ...OPTIONS, N: 2 ** 15 };
      const salt = randomBytes(16);
      const first = pool.scrypt({ password: 'a', salt, keyLength: 32, options: slow });
      const second = pool.scrypt({ password: 'b', salt, keyLength: 32, options: OPTIONS });
      // The one thread holds both: the first hashing, the second waiting in its queue.
      const threads = (pool as unknown as { threads: Array<{ worker: { terminate(): Promise<number> } }> }).threads;
      expect(threads).toHaveLength(1);
      await threads[0].worker.terminate();
      await expect(first).rejects.toThrow('scrypt thread exited');
      expect(await second).toEqual(scryptSync('b', salt, 32, OPTIONS));
    } finally {
      await pool.close();
    }
  });
});
