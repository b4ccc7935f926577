import { Logger } from '@nestjs/common';
import { Job, JobHandler, JobRunner, JobRunnerOptions, JOBS_CHANNEL, WorkQueue } from '@app/platform';
import { createTestDatabase, eventually, TestDatabase, withClient } from '@app/testing';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

const SCHEMA = 'jobs';

interface ShortRow {
  name: string;
}
interface LongRow {
  name: string;
}

/** A queue held by its claiming transaction (the outbox and mail shape). */
const SHORT = {
  table: 'short_job',
  key: 'id',
  columns: ['name'],
  pending: 'done_at IS NULL',
  order: 'id',
  leased: false,
} as const;

/** A leased queue (the import job shape). */
const LONG = {
  table: 'long_job',
  key: 'id',
  columns: ['name'],
  pending: `status IN ('QUEUED', 'RUNNING')`,
  order: 'id',
  onClaim: `status = 'RUNNING'`,
  onRetry: `status = 'QUEUED'`,
  leased: true,
} as const;

const LONG_POLL: Pick<JobRunnerOptions, 'pollMs'> = { pollMs: 10 * 60_000 };

/**
 * The platform work queue (WorkQueue + JobRunner) against real PostgreSQL, with two
 * "replicas" (two data sources, two pools): claims never overlap, a dead holder's lease is
 * taken over and the job's effect happens once, backoff grows to its cap, and wake-ups
 * follow commits (a rolled-back enqueue wakes nobody; a committed one wakes a worker whose
 * next poll is ten minutes away).
 */
describe('work queue', () => {
  let database: TestDatabase;
  let a: DataSource;
  let b: DataSource;
  const runners: Array<JobRunner<unknown, unknown>> = [];

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    database = await createTestDatabase();
    await withClient(database.url, async (client) => {
      await client.query(`CREATE SCHEMA ${SCHEMA}`);
      await client.query(`SET search_path = ${SCHEMA}`);
      await client.query(`
        CREATE TABLE short_job (
          id bigserial PRIMARY KEY, name text NOT NULL, done_at timestamptz NULL,
          attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(), last_error text NULL)`);
      await client.query(`
        CREATE TABLE long_job (
          id bigserial PRIMARY KEY, name text NOT NULL, status text NOT NULL DEFAULT 'QUEUED',
          attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(), last_error text NULL,
          lease_owner varchar(64) NULL, lease_until timestamptz NULL)`);
      // What a job's success writes, in the transaction that holds the job: its "effect".
      await client.query(`CREATE TABLE effect (job text NOT NULL, worker text NOT NULL)`);
    });
    [a, b] = await Promise.all([replica(database.url), replica(database.url)]);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await sql(`TRUNCATE short_job, long_job, effect`);
  });

  afterAll(async () => {
    for (const source of [a, b]) if (source?.isInitialized) await source.destroy();
    await database?.drop();
  });

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> =>
    withClient(database.url, async (client) => {
      await client.query(`SET search_path = ${SCHEMA}`);
      return (await client.query(text, params)).rows as T[];
    });

  /** Inserts jobs in one committed transaction that also wakes the workers. */
  const enqueue = (source: DataSource, queue: WorkQueue<unknown>, names: string[]) =>
    source.transaction(async (manager) => {
      await manager.query(`INSERT INTO ${queue.spec.table} (name) SELECT unnest($1::text[])`, [names]);
      await queue.wake(manager);
    });

  /** A runner whose work is counted per job, and whose success writes the effect. */
  function runner<Row extends { name: string }>(
    source: DataSource,
    queue: WorkQueue<Row>,
    worker: string,
    performed: string[],
    options: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'pollMs'>,
    perform: (job: Job<Row>) => Promise<void> = async () => undefined,
  ): JobRunner<Row> {
    const handler: JobHandler<Row> = {
      perform: async (job) => {
        performed.push(job.row.name);
        await perform(job);
      },
      succeeded: async (manager: EntityManager, job) => {
        await manager.query(`INSERT INTO effect (job, worker) VALUES ($1, $2)`, [job.row.name, worker]);
        if (queue.spec.table === 'short_job')
          await manager.query(`UPDATE short_job SET done_at = now() WHERE id = $1`, [job.id]);
        else await manager.query(`UPDATE long_job SET status = 'DONE' WHERE id = $1`, [job.id]);
      },
    };
    const created = new JobRunner<Row>(source, queue, handler, {
      name: `${queue.spec.table} ${worker}`,
      batchSize: 5,
      concurrency: 5,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      ...options,
    });
    runners.push(created as JobRunner<unknown, unknown>);
    return created;
  }

  it('never gives one job to two workers, holding it by transaction or by lease', async () => {
    const names = Array.from({ length: 30 }, (_, n) => `job-${n}`);
    const shortA = new WorkQueue<ShortRow>(a, SHORT);
    const shortB = new WorkQueue<ShortRow>(b, SHORT);
    await enqueue(a, shortA, names);
    // While A's transaction holds its claim, B takes only the others.
    const claims = await a.transaction(async (ma) => {
      const first = await shortA.claim(10, { manager: ma });
      const second = await b.transaction((mb) => shortB.claim(100, { manager: mb }));
      return { first: first.map((job) => job.row.name), second: second.map((job) => job.row.name) };
    });
    expect(claims.first).toHaveLength(10);
    expect(claims.second).toHaveLength(20);
    expect(new Set([...claims.first, ...claims.second]).size).toBe(30);

    const longA = new WorkQueue<LongRow>(a, LONG);
    const longB = new WorkQueue<LongRow>(b, LONG);
    await enqueue(a, longA, names);
    const leasedA = await longA.claim(10, { lease: { owner: 'a', ms: 60_000 } });
    const leasedB = await longB.claim(100, { lease: { owner: 'b', ms: 60_000 } });
    expect(leasedA).toHaveLength(10);
    expect(leasedB).toHaveLength(20);
    expect(new Set([...leasedA, ...leasedB].map((job) => job.row.name)).size).toBe(30);
    expect(await longA.claim(100, { lease: { owner: 'c', ms: 60_000 } })).toEqual([]);
    await sql(`TRUNCATE short_job, long_job`);

    // Two running replicas share a stream of jobs; each job runs, and takes effect, once.
    const many = Array.from({ length: 120 }, (_, n) => `run-${n}`);
    for (const [queueOf, leaseMs] of [
      [(source: DataSource) => new WorkQueue<ShortRow>(source, SHORT), undefined],
      [(source: DataSource) => new WorkQueue<LongRow>(source, LONG), 60_000],
    ] as const) {
      const performed: string[] = [];
      const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));
      const workers = [
        runner(a, queueOf(a), 'a', performed, { ...LONG_POLL, leaseMs }, yieldOnce),
        runner(b, queueOf(b), 'b', performed, { ...LONG_POLL, leaseMs }, yieldOnce),
      ];
      await Promise.all(workers.map((worker) => worker.start()));
      for (let i = 0; i < many.length; i += 20) await enqueue(a, queueOf(a), many.slice(i, i + 20));
      await eventually(async () => (await sql(`SELECT 1 FROM effect`)).length >= many.length, 30_000, 50);
      await Promise.all(workers.map((worker) => worker.stop()));
      expect([...performed].sort()).toEqual([...many].sort());
      const effects = await sql<{ job: string }>(`SELECT job FROM effect`);
      expect(effects.map((row) => row.job).sort()).toEqual([...many].sort());
      await sql(`TRUNCATE short_job, long_job, effect`);
    }
  });

  it('takes over a job whose holder stopped renewing its lease, and runs it once', async () => {
    const longA = new WorkQueue<LongRow>(a, LONG);
    const longB = new WorkQueue<LongRow>(b, LONG);
    await enqueue(a, longA, ['import']);
    // Worker A claims the job and dies at once: its lease is never renewed.
    const [claimedByA] = await longA.claim(1, { lease: { owner: 'worker-a', ms: 1500 } });
    expect(claimedByA.attempts).toBe(1);

    const performed: string[] = [];
    await runner(b, longB, 'b', performed, { pollMs: 100, leaseMs: 60_000 }).start();
    await eventually(async () => (await sql(`SELECT 1 FROM long_job WHERE status = 'DONE'`)).length === 1, 30_000, 50);
    expect(performed).toEqual(['import']);
    expect(await sql(`SELECT attempts, lease_owner, last_error FROM long_job`)).toEqual([
      { attempts: 2, lease_owner: null, last_error: null },
    ]);

    // A comes back late: its outcome is refused, the effect stays the one of B.
    expect(
      await longA.whileHeld(claimedByA, (manager) => manager.query(`INSERT INTO effect VALUES ('import', 'a')`)),
    ).toEqual({ held: false });
    expect(await longA.retryLater(claimedByA, 'late', { baseMs: 1000, maxMs: 1000 })).toBeUndefined();
    expect(await sql(`SELECT job, worker FROM effect`)).toEqual([{ job: 'import', worker: 'b' }]);
  });

  it('keeps a job with a live holder, then hands it over when the holder dies', async () => {
    const holder = await replica(database.url);
    try {
      const longHolder = new WorkQueue<LongRow>(holder, LONG);
      let release!: () => void;
      const blocked = new Promise<void>((resolve) => (release = resolve));
      const performedA: string[] = [];
      const performedB: string[] = [];
      const LEASE = 3000;
      await runner(holder, longHolder, 'a', performedA, { ...LONG_POLL, leaseMs: LEASE }, () => blocked).start();
      await enqueue(holder, longHolder, ['long']);
      const first = await eventually(async () => {
        const [row] = await sql<{ lease_until: Date; lease_owner: string }>(
          `SELECT lease_until, lease_owner FROM long_job WHERE status = 'RUNNING'`,
        );
        return row;
      });
      await runner(b, new WorkQueue<LongRow>(b, LONG), 'b', performedB, { pollMs: 100, leaseMs: LEASE }).start();
      // The holder's heartbeat keeps its lease well past the first lease's end: B keeps off.
      const renewed = await eventually(
        async () => {
          const [row] = await sql<{ lease_until: Date; lease_owner: string }>(
            `SELECT lease_until, lease_owner FROM long_job`,
          );
          return row.lease_until.getTime() >= first.lease_until.getTime() + LEASE + 1000 ? row : undefined;
        },
        30_000,
        100,
      );
      expect(renewed.lease_owner).toBe(first.lease_owner);
      expect(performedB).toEqual([]);

      // The holder dies (its connections go, its heartbeat fails); B takes the job over.
      await holder.destroy();
      await eventually(
        async () => (await sql(`SELECT 1 FROM long_job WHERE status = 'DONE'`)).length === 1,
        30_000,
        50,
      );
      release();
      expect(performedA).toEqual(['long']);
      expect(performedB).toEqual(['long']);
      expect(await sql(`SELECT job, worker FROM effect`)).toEqual([{ job: 'long', worker: 'b' }]);
    } finally {
      if (holder.isInitialized) await holder.destroy();
    }
  });

  it('on stop hands a leased job that does not finish within stopMs back; another worker takes it at once', async () => {
    const queueA = new WorkQueue<LongRow>(a, LONG);
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const performedA: string[] = [];
    const performedB: string[] = [];
    // A lease of ten minutes: B can only get the job by A handing it back.
    const stopping = runner(a, queueA, 'a', performedA, { ...LONG_POLL, leaseMs: 600_000, stopMs: 500 }, () => blocked);
    await stopping.start();
    await enqueue(a, queueA, ['long']);
    await eventually(async () => performedA.length === 1, 30_000, 50);
    // B starts while A holds the job: its first round finds nothing to take.
    await runner(b, new WorkQueue<LongRow>(b, LONG), 'b', performedB, { ...LONG_POLL, leaseMs: 600_000 }).start();
    await stopping.stop();
    // Handed back: no lease, the attempt uncounted; B, woken, runs it once (its next poll is ten minutes away).
    await eventually(async () => (await sql(`SELECT 1 FROM long_job WHERE status = 'DONE'`)).length === 1, 30_000, 50);
    release();
    expect(performedB).toEqual(['long']);
    expect(await sql(`SELECT attempts, lease_owner FROM long_job`)).toEqual([{ attempts: 1, lease_owner: null }]);
    expect(await sql(`SELECT job, worker FROM effect`)).toEqual([{ job: 'long', worker: 'b' }]);
  });

  it('on stop lets a leased job finish within stopMs, and records its outcome', async () => {
    const queueA = new WorkQueue<LongRow>(a, LONG);
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const performed: string[] = [];
    const stopping = runner(
      a,
      queueA,
      'a',
      performed,
      { ...LONG_POLL, leaseMs: 600_000, stopMs: 60_000 },
      () => blocked,
    );
    await stopping.start();
    await enqueue(a, queueA, ['long']);
    await eventually(async () => performed.length === 1, 30_000, 50);
    const stopped = stopping.stop();
    release();
    await stopped;
    expect(await sql(`SELECT status, attempts, lease_owner FROM long_job`)).toEqual([
      { status: 'DONE', attempts: 1, lease_owner: null },
    ]);
    expect(await sql(`SELECT job, worker FROM effect`)).toEqual([{ job: 'long', worker: 'a' }]);
  });

  it('backs off exponentially up to the cap, recording attempts and the last error', async () => {
    const queue = new WorkQueue<LongRow>(a, LONG);
    await enqueue(a, queue, ['flaky']);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const [job] = await queue.claim(1, { lease: { owner: 'w', ms: 60_000 } });
      expect(job.attempts).toBe(attempt);
      const retry = await queue.retryLater(job, `boom ${attempt}`, { baseMs: 10_000, maxMs: 50_000 });
      delays.push(retry!.delayMs);
      // Not due before its time.
      expect(await queue.claim(1, { lease: { owner: 'w', ms: 60_000 } })).toEqual([]);
      await sql(`UPDATE long_job SET next_attempt_at = now()`);
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 50_000, 50_000]);
    expect(await sql(`SELECT attempts, status, lease_owner, last_error FROM long_job`)).toEqual([
      { attempts: 5, status: 'QUEUED', lease_owner: null, last_error: 'boom 5' },
    ]);

    // A runner applies its queue's policy: a failed attempt is recorded and put off.
    const short = new WorkQueue<ShortRow>(a, SHORT);
    const failing = runner(a, short, 'a', [], { pollMs: 50, backoff: { baseMs: 60_000, maxMs: 60_000 } }, () =>
      Promise.reject(new Error('receiver down')),
    );
    await failing.start();
    await enqueue(a, short, ['down']);
    const [row] = await eventually(
      () =>
        sql<{ attempts: number; last_error: string; due_later: boolean }>(
          `SELECT attempts, last_error, next_attempt_at > now() + interval '50 seconds' AS due_later FROM short_job WHERE attempts > 0`,
        ).then((rows) => (rows.length ? rows : undefined)),
      30_000,
      50,
    );
    expect(row).toEqual({ attempts: 1, last_error: 'Error: receiver down', due_later: true });
  });

  it('wakes workers on commit only: a rolled-back enqueue wakes nobody and never runs', async () => {
    const listener = new Client({ connectionString: database.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (message) => heard.push(message.payload ?? ''));
    await listener.query(`LISTEN ${JOBS_CHANNEL}`);
    try {
      const queue = new WorkQueue<ShortRow>(a, SHORT);
      const performed: string[] = [];
      // Its next poll is ten minutes away: only a wake-up makes it run now.
      await runner(b, new WorkQueue<ShortRow>(b, SHORT), 'b', performed, LONG_POLL).start();
      await expect(
        a.transaction(async (manager) => {
          await manager.query(`INSERT INTO short_job (name) VALUES ('rolled back')`);
          await queue.wake(manager);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await enqueue(a, queue, ['committed']);
      await eventually(async () => performed.length > 0 && heard.length > 0, 30_000, 50);
      // Notifications arrive in commit order: the rolled-back one would have come first.
      expect(heard).toEqual([`${SCHEMA}.short_job`]);
      await eventually(async () => (await sql(`SELECT 1 FROM effect`)).length === 1, 30_000, 50);
      expect(performed).toEqual(['committed']);
      expect(await sql(`SELECT name FROM short_job`)).toEqual([{ name: 'committed' }]);
    } finally {
      await listener.end();
    }
  });

  it('runs a committed job at once although the next poll is ten minutes away', async () => {
    const queue = new WorkQueue<LongRow>(a, LONG);
    const performed: string[] = [];
    await enqueue(a, queue, ['before']);
    await runner(a, queue, 'a', performed, { ...LONG_POLL, leaseMs: 60_000 }).start();
    // The first round (at start) has claimed what was there; from now on only a wake-up runs one.
    await eventually(async () => (await sql(`SELECT 1 FROM effect`)).length === 1, 30_000, 50);
    await enqueue(b, new WorkQueue<LongRow>(b, LONG), ['woken']);
    await eventually(async () => performed.length === 2, 30_000, 50);
    expect(performed).toEqual(['before', 'woken']);
  });
});

/** One "replica": its own pool, in the test schema (as a service's data source is in its own). */
function replica(url: string): Promise<DataSource> {
  return new DataSource({
    type: 'postgres',
    url,
    schema: SCHEMA,
    poolSize: 4,
    extra: { options: `-c search_path=${SCHEMA}` },
  }).initialize();
}
