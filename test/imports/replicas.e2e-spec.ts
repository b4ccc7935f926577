import { HierarchySubjects, ImportSubjects } from '@app/contracts';
import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { BusClient, CORRELATION_HEADER, createServiceApp, NatsTransport, ServiceRuntime } from '@app/platform';
import {
  ApiClient,
  eventually,
  loginDownTheTree,
  startTestInfrastructure,
  TestInfrastructure,
  testNatsUrl,
  withClient,
} from '@app/testing';
import { INestMicroservice } from '@nestjs/common';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect as tcpConnect, createServer, Server, Socket } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { Client } from 'pg';
import { SERVICE_MODULES } from '../../apps/standalone/src/services';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';
import { jobEnded, recordCounts, stageForms, upload } from './support';

const ROOT = resolve(__dirname, '../..');
const ROOT_PASSWORD = 'Root-Pass-2026';

interface Replica {
  child: ChildProcess;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  /** Lines the replica logged (JSON, LOG_LEVEL info). */
  lines: string[];
}

/**
 * A job is never lost and never applied twice, whatever happens to the intake replica running
 * it or to the answer of its commit. Intake replicas run as their own processes (killed with
 * SIGKILL, stopped with SIGTERM) or in this process; every setting is the default (a 15 s
 * lease, 15 s to finish on SIGTERM) unless a test says otherwise.
 */
describe('import jobs across intake replicas', () => {
  let infra: TestInfrastructure;
  let runtime: ServiceRuntime;
  let system: RunningSystem;
  let city: ApiClient;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js'), '--server-only'], { cwd: ROOT, stdio: 'ignore' });
    infra = await startTestInfrastructure();
    const config = infra.config({ ROOT_PASSWORD, BUS_TIMEOUT_MS: 30_000 });
    runtime = { config, transport: infra.transport('nats', config) };
    // No intake in this process: each test brings its own replicas.
    system = await startSystem(runtime, { services: ['identity', 'hierarchy', 'review', 'files', 'notification'] });
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    const anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    city = (await loginDownTheTree(anonymous, ROOT_PASSWORD, ['130000', '130300'])).get('130300')!;
    // Intake's schema (its jobs, staged forms and reports), as a deployment's first replica makes it.
    await (await startIntake()).close();
    system.services.delete('intake');
  });

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await system?.close();
    await infra?.teardown();
  });

  afterEach(async () => {
    await system.services.get('intake')?.close();
    system.services.delete('intake');
  });

  /** An intake replica as its own OS process (`npm run start:svc -- intake`). */
  function spawnReplica(env: Record<string, string> = {}): Replica {
    const config = runtime.config;
    const child = spawn(process.execPath, [join(ROOT, 'scripts/start-svc.js'), 'intake'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        PATH: process.env.PATH ?? '',
        NATS_URL: testNatsUrl(),
        BUS_SUBJECT_PREFIX: config.BUS_SUBJECT_PREFIX,
        DATABASE_URL: config.DATABASE_URL,
        DATA_DIR: infra.dataDir,
        S3_ENDPOINT: config.S3_ENDPOINT,
        S3_ACCESS_KEY: config.S3_ACCESS_KEY,
        S3_SECRET_KEY: config.S3_SECRET_KEY,
        BUS_ACTOR_PUBLIC_KEY: config.BUS_ACTOR_PUBLIC_KEY,
        BUS_TIMEOUT_MS: '30000',
        LOG_LEVEL: 'info',
        // No probe port: test files share this machine (its default 9003 is for containers).
        HEALTH_PORT: '0',
        ...env,
      },
    });
    const lines: string[] = [];
    let rest = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop()!;
      lines.push(...parts);
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const replica = { child, exited, lines };
    replicas.push(replica);
    return replica;
  }

  /** An intake replica in this process (on `transport`, by default the test's NATS). */
  async function startIntake(transport = runtime.transport): Promise<INestMicroservice> {
    const own = { config: runtime.config, transport };
    const app = await createServiceApp(SERVICE_MODULES.intake(own), { service: 'intake', ...own });
    system.services.set('intake', app);
    return app;
  }

  /**
   * Review stops, and a stand-in takes every commit request and never answers: a job stays
   * mid-way on its replica (its commitState probes find no review and keep it waiting). The
   * returned function brings review back.
   */
  async function hangCommits(): Promise<() => Promise<void>> {
    await system.services.get('review')!.close();
    const nats = await connect({ servers: testNatsUrl() });
    nats.subscribe(`${runtime.config.BUS_SUBJECT_PREFIX}.${ImportSubjects.commit.name}`, { queue: 'review' });
    await nats.flush();
    return async () => {
      await nats.close();
      system.services.set(
        'review',
        await createServiceApp(SERVICE_MODULES.review(runtime), { service: 'review', ...runtime }),
      );
    };
  }

  /**
   * Holds every commit in review before it reads anything (an exclusive lock on the table of
   * committed jobs, which a commit reads first): the returned function lets them go.
   */
  async function holdCommits(): Promise<() => Promise<void>> {
    const client = new Client({ connectionString: infra.database.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE review.import_commit IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await client.query('COMMIT');
      await client.end();
    };
  }

  /** A commit is waiting on holdCommits' lock. */
  async function commitWaiting(): Promise<boolean> {
    const { rows } = await withClient(infra.database.url, (c) =>
      c.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%import_commit%'`,
      ),
    );
    return rows[0].n > 0;
  }

  /** Uploads a package; answers its job and the upload request's correlation id. */
  async function startImport(
    count: number,
    first: number,
    fileName: string,
  ): Promise<{ jobId: string; correlationId: string }> {
    const forms = Array.from({ length: count }, (_, n) => createSampleForm(first + n));
    const bytes = await writePackage(forms, {
      fillerUnit: '秦皇岛市人民政府办公室',
      generator: { name: 'test', version: '1' },
    });
    const started = await eventually(
      async () => {
        const res = await upload(city, bytes, fileName);
        return res.status === 202 ? res : undefined;
      },
      30_000,
      500,
    );
    return { jobId: started.body.jobId as string, correlationId: started.headers.get(CORRELATION_HEADER)! };
  }

  const job = async (jobId: string) =>
    withClient(
      infra.database.url,
      async (c) =>
        (
          await c.query(
            `SELECT status, lease_owner, attempts, progress_total, next_attempt_at <= now() AS due
               FROM intake.import_job WHERE id = $1`,
            [jobId],
          )
        ).rows[0] as {
          status: string;
          lease_owner: string | null;
          attempts: number;
          progress_total: number;
          due: boolean;
        },
    );

  const finished = (jobId: string, ms = 60_000) => jobEnded(city, jobId, ms, 200);

  it('finishes a job once after the replica running it is killed (SIGKILL): another takes it over after the lease, under the upload’s correlation id', async () => {
    const before = await recordCounts(infra.database.url);
    const replicaA = spawnReplica();
    const restoreReview = await hangCommits();
    const { jobId, correlationId } = await startImport(300, 0, '三百个网站.zip');
    expect(correlationId).toBeTruthy();
    const running = await eventually(async () => {
      const row = await job(jobId);
      return row?.status === 'RUNNING' && row.progress_total === 300 ? row : undefined;
    });
    // Replica A holds it (lease owner `<host>:<pid>:<random>`) and said so, under the upload's id.
    const nameA = replicaName(replicaA);
    expect(running.lease_owner?.startsWith(`${nameA}:`)).toBe(true);
    const linesA = await eventually(async () => {
      const found = jobLines(replicaA, jobId);
      return found.some((entry) => entry.msg === 'job started') ? found : undefined;
    });
    for (const entry of linesA) expect(entry).toMatchObject({ correlationId, replica: nameA, service: 'intake' });

    replicaA.child.kill('SIGKILL');
    await replicaA.exited;
    await restoreReview();
    // Replica B, another process: the default lease (15 s) runs out, then B takes the job over
    // from the start.
    const replicaB = spawnReplica();
    try {
      const done = await finished(jobId);
      expect(done).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 300, rejected: 0 } });
      expect((await job(jobId)).attempts).toBe(2);
      const after = await recordCounts(infra.database.url);
      expect(after.records - before.records).toBe(300);
      expect(after.versions - before.versions).toBe(300);
      expect(after.history - before.history).toBe(300);
      expect(after.staged).toBe(0);

      // B's lines about the job: the upload's correlation id still, and B's own name.
      const nameB = replicaName(replicaB);
      expect(nameB).not.toBe(nameA);
      const linesB = await eventually(
        async () => {
          const found = jobLines(replicaB, jobId);
          return found.some((entry) => entry.msg === 'job attempt ended') ? found : undefined;
        },
        10_000,
        100,
      );
      expect(linesB.find((entry) => entry.msg === 'job started')).toMatchObject({ attempt: 2 });
      expect(linesB.find((entry) => entry.msg === 'job attempt ended')).toMatchObject({
        attempt: 2,
        outcome: 'succeeded',
      });
      for (const entry of linesB) expect(entry).toMatchObject({ correlationId, replica: nameB, service: 'intake' });
    } finally {
      replicaB.child.kill('SIGTERM');
      await replicaB.exited;
    }
  });

  it('on SIGTERM hands back a job that cannot finish in time; another replica takes it at once and it completes once', async () => {
    const before = await recordCounts(infra.database.url);
    const replicaA = spawnReplica({ IMPORT_SHUTDOWN_MS: '2000' });
    const restoreReview = await hangCommits();
    const { jobId } = await startImport(40, 400, '四十个网站.zip');
    await eventually(async () => (await job(jobId))?.status === 'RUNNING');

    replicaA.child.kill('SIGTERM');
    expect(await replicaA.exited).toBe(0);
    // Handed back, not failed: no lease, the attempt uncounted, due now.
    expect(await job(jobId)).toMatchObject({ status: 'QUEUED', lease_owner: null, attempts: 0, due: true });
    expect(replicaA.lines.some((line) => line.includes('handed back'))).toBe(true);

    await restoreReview();
    await startIntake();
    const done = await finished(jobId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 40 } });
    expect((await job(jobId)).attempts).toBe(1);
    const after = await recordCounts(infra.database.url);
    expect(after.records - before.records).toBe(40);
    expect(after.versions - before.versions).toBe(40);
  });

  it('on SIGTERM finishes the job in progress when it can, then exits', async () => {
    const before = await recordCounts(infra.database.url);
    const replicaA = spawnReplica();
    const releaseCommits = await holdCommits();
    let jobId: string;
    try {
      ({ jobId } = await startImport(30, 500, '三十个网站.zip'));
      await eventually(commitWaiting);
      replicaA.child.kill('SIGTERM');
      // The replica has begun to stop (it takes no more jobs) while its job still commits.
      await eventually(async () => replicaA.lines.some((line) => line.includes('stopping: no more jobs taken')));
    } finally {
      await releaseCommits();
    }
    expect(await replicaA.exited).toBe(0);
    // Done by replica A before it exited: no other intake replica is running.
    expect(await job(jobId)).toMatchObject({ status: 'SUCCEEDED', lease_owner: null, attempts: 1 });
    expect(replicaA.lines.some((line) => line.includes('handed back'))).toBe(false);
    const after = await recordCounts(infra.database.url);
    expect(after.records - before.records).toBe(30);
    expect(after.versions - before.versions).toBe(30);
  });

  it("takes a commit's stored counts soon after its answer was lost, and applies it once", async () => {
    const before = await recordCounts(infra.database.url);
    // Intake's NATS connection goes through a proxy the test can cut.
    const proxy = await natsProxy(new URL(testNatsUrl()));
    try {
      await startIntake(new NatsTransport([proxy.url], runtime.config.BUS_SUBJECT_PREFIX));
      const releaseCommits = await holdCommits();
      let jobId: string;
      try {
        ({ jobId } = await startImport(20, 600, '二十个网站.zip'));
        await eventually(commitWaiting);
        // Intake is cut off while review commits: review's answer finds nobody to take it.
        proxy.cut();
      } finally {
        await releaseCommits();
      }
      await eventually(async () => {
        const { rows } = await withClient(infra.database.url, (c) =>
          c.query('SELECT 1 FROM review.import_commit WHERE job_id = $1', [jobId]),
        );
        return rows.length === 1;
      });
      // Let review send its answer into the void before intake is back.
      await new Promise((r) => setTimeout(r, 1000));
      proxy.restore();
      // The commit's own answer would only come as a timeout after 120 s: intake learns it
      // from review's stored report instead.
      const done = await finished(jobId, 60_000);
      expect(done).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 20 } });
      expect((await job(jobId)).attempts).toBe(1);
      const after = await recordCounts(infra.database.url);
      expect(after.records - before.records).toBe(20);
      expect(after.versions - before.versions).toBe(20);
    } finally {
      await system.services.get('intake')?.close();
      system.services.delete('intake');
      await proxy.close();
    }
  });

  it('commits a job once however often its commit is repeated', async () => {
    await startIntake();
    const bus = system.gateway.get(BusClient);
    const me = (await city.get('/me')).body;
    const chain = await bus.request(HierarchySubjects.lookup, { ancestorsOf: me.orgUnitId });
    const actor = { accountId: me.id, username: me.username, orgUnitId: me.orgUnitId, roles: me.roles };
    const importer = {
      actor,
      orgUnitId: me.orgUnitId,
      code: '130300',
      chain: chain.map((u) => u.id),
      regionName: '河北省 秦皇岛市',
    };
    const jobId = randomUUID();
    const forms = [createSampleForm(1000), createSampleForm(1001)];
    const before = await recordCounts(infra.database.url);
    expect(await bus.request(ImportSubjects.commitState, { jobId })).toEqual({ state: 'none' });
    const staged = await stageForms(infra.database.url, jobId, forms);
    const commit = { jobId, importer, dryRun: false, staged, packageKey: null };
    const first = await bus.request(ImportSubjects.commit, commit);
    const again = await Promise.all([
      bus.request(ImportSubjects.commit, commit),
      bus.request(ImportSubjects.commit, commit),
    ]);
    expect(first).toMatchObject({ applied: true, created: 2 });
    expect(again).toEqual([first, first]);
    expect(await bus.request(ImportSubjects.commitState, { jobId })).toEqual({ state: 'committed', summary: first });
    const after = await recordCounts(infra.database.url);
    expect(after.versions - before.versions).toBe(2);
    expect(after.records - before.records).toBe(2);
  });
});

/** A replica's name in its log lines and leases: `<host>:<pid>` (libs/platform's job runner). */
function replicaName(replica: Replica): string {
  return `${hostname().slice(0, 24)}:${replica.child.pid}`;
}

/** A replica's JSON log lines about one job. */
function jobLines(replica: Replica, jobId: string): Array<Record<string, unknown>> {
  return replica.lines.flatMap((line) => {
    try {
      const entry: unknown = JSON.parse(line);
      return entry && typeof entry === 'object' && (entry as { jobId?: unknown }).jobId === jobId
        ? [entry as Record<string, unknown>]
        : [];
    } catch {
      return [];
    }
  });
}

/**
 * A TCP proxy in front of NATS: `cut` drops every connection through it and refuses new ones
 * until `restore` (the client keeps reconnecting meanwhile).
 */
async function natsProxy(target: URL): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = tcpConnect(Number(target.port || 4222), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return {
    url: `nats://127.0.0.1:${port}`,
    cut: () => {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => {
      cut = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}
