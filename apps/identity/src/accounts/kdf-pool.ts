import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * How much less CPU a hashing thread is given than the event loop when both want it (Linux nice,
 * per thread): 10 gives the hashing threads about a ninth of the share of a normal thread while
 * the loop or PostgreSQL has work, and the whole core when nothing else runs.
 */
const HASH_THREAD_NICE = 10;

/**
 * One scrypt per message, synchronously, on a thread of its own lowered in priority. On Linux the
 * nice value is per thread, and os.setPriority() without a pid sets the calling thread's.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try { require('node:os').setPriority(${HASH_THREAD_NICE}); } catch {}
parentPort.on('message', ({ id, password, salt, keyLength, options }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keyLength, options);
    parentPort.postMessage({ id, key: new Uint8Array(key) });
  } catch (err) {
    parentPort.postMessage({ id, error: err && err.message ? err.message : String(err) });
  }
});
`;

export interface ScryptTask {
  password: string;
  salt: Buffer;
  keyLength: number;
  options: { N: number; r: number; p: number; maxmem: number };
}

interface Pending extends ScryptTask {
  id: number;
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

interface PoolThread {
  worker: Worker;
  task?: Pending;
}

/**
 * scrypt on a pool of one thread per core, each niced, so a burst of logins uses every core
 * and yet never takes the CPU from the event loop: in libuv's pool (4 threads on 2 cores) the
 * hashes ran at the same priority as the loop, which then waited up to ~70 ms for a core while
 * 8 logins hashed. At most one hash per thread; the rest wait their turn in order. A thread that
 * dies fails its one hash and is replaced on the next.
 */
export class KdfPool {
  private readonly threads: PoolThread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  scrypt(task: ScryptTask): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ ...task, id: this.nextId++, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends every thread (tests, shutdown); hashes in progress fail. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((candidate) => !candidate.task);
      if (!thread && this.threads.length < this.size) thread = this.spawn();
      if (!thread) return;
      const task = this.queue.shift()!;
      thread.task = task;
      thread.worker.ref();
      thread.worker.postMessage({
        id: task.id,
        password: task.password,
        salt: new Uint8Array(task.salt),
        keyLength: task.keyLength,
        options: task.options,
      });
    }
  }

  private spawn(): PoolThread {
    const thread: PoolThread = { worker: new Worker(WORKER_SOURCE, { eval: true }) };
    thread.worker.on('message', (message: { id: number; key?: Uint8Array; error?: string }) => {
      const task = thread.task;
      if (!task || task.id !== message.id) return;
      thread.task = undefined;
      thread.worker.unref();
      if (message.key) task.resolve(Buffer.from(message.key));
      else task.reject(new Error(message.error ?? 'scrypt failed'));
      this.dispatch();
    });
    const lost = (err: Error) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      const task = thread.task;
      thread.task = undefined;
      task?.reject(err);
      this.dispatch();
    };
    thread.worker.on('error', lost);
    thread.worker.on('exit', (code) => lost(new Error(`scrypt thread exited (${code})`)));
    thread.worker.unref();
    this.threads.push(thread);
    return thread;
  }
}
