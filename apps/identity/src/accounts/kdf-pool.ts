import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/**
 * How much less CPU a hashing thread is given than the event loop when both want it (Linux nice,
 * per thread): 10 gives the hashing threads about a ninth of the share of a normal thread while
 * the loop or PostgreSQL has work, and the whole core when nothing else runs.
 */
export const HASH_THREAD_NICE = 10;

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
  /** Posted to the thread in order: the first is hashing, the rest wait in the thread's own queue. */
  tasks: Pending[];
  /** When the thread began its current hash (hrtime ms), to hand the next one to whichever ends first. */
  since: number;
}

/**
 * Hashes handed to a thread at once: the one it is computing and the next, so that under load a
 * thread goes from one hash straight to the next instead of idling until the event loop (busy
 * with HTTP and the database) reads its answer and posts another.
 */
const THREAD_DEPTH = 2;

/**
 * scrypt on a pool of one thread per core, each niced, so a burst of logins uses every core
 * and yet never takes the CPU from the event loop: in libuv's pool (4 threads on 2 cores) the
 * hashes ran at the same priority as the loop, which then waited up to ~70 ms for a core while
 * 8 logins hashed. A second hash is handed to a thread only while every thread is busy; the rest
 * wait their turn in order. A thread that dies fails the hash it was computing (the one queued
 * behind it goes back to the head of the queue) and is replaced on the next.
 */
export class KdfPool {
  private readonly threads: PoolThread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  scrypt(task: ScryptTask): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ ...task, id: this.nextId++, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends every thread (tests, shutdown); hashes in progress fail. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.nextThread();
      if (!thread) return;
      const task = this.queue.shift()!;
      if (thread.tasks.length === 0) thread.since = performance.now();
      thread.tasks.push(task);
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

  /** An idle thread, else a new one while under the size, else the busy thread that began first. */
  private nextThread(): PoolThread | undefined {
    const idle = this.threads.find((candidate) => candidate.tasks.length === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.spawn();
    let next: PoolThread | undefined;
    for (const candidate of this.threads) {
      if (candidate.tasks.length >= THREAD_DEPTH) continue;
      if (!next || candidate.since < next.since) next = candidate;
    }
    return next;
  }

  private spawn(): PoolThread {
    const thread: PoolThread = { worker: new Worker(WORKER_SOURCE, { eval: true }), tasks: [], since: 0 };
    thread.worker.on('message', (message: { id: number; key?: Uint8Array; error?: string }) => {
      const task = thread.tasks[0];
      if (!task || task.id !== message.id) return;
      thread.tasks.shift();
      thread.since = performance.now();
      if (thread.tasks.length === 0) thread.worker.unref();
      if (message.key) task.resolve(Buffer.from(message.key));
      else task.reject(new Error(message.error ?? 'scrypt failed'));
      this.dispatch();
    });
    const lost = (err: Error) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      const [running, ...waiting] = thread.tasks.splice(0);
      running?.reject(err);
      if (this.closed) waiting.forEach((task) => task.reject(err));
      else this.queue.unshift(...waiting);
      this.dispatch();
    };
    thread.worker.on('error', lost);
    thread.worker.on('exit', (code) => lost(new Error(`scrypt thread exited (${code})`)));
    thread.worker.unref();
    this.threads.push(thread);
    return thread;
  }
}
