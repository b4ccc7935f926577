import { HierarchySubjects, ImportSubjects } from '@app/contracts';
import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { BusClient, createServiceApp, ServiceRuntime } from '@app/platform';
import {
  ApiClient,
  eventually,
  loginDownTheTree,
  startTestInfrastructure,
  TestInfrastructure,
  testNatsUrl,
  withClient,
} from '@app/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { connect } from 'nats';
import { SERVICE_MODULES } from '../../apps/standalone/src/services';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';
import { recordCounts, stageForms, upload } from './support';

const ROOT = resolve(__dirname, '../..');
const ROOT_PASSWORD = 'Root-Pass-2026';
const LEASE_MS = 1500;

/**
 * A job is never lost: the intake replica holding it is killed (SIGKILL) mid-job; another
 * replica takes it over when the lease runs out, and the result is as if it ran once.
 */
describe('import jobs across intake replicas', () => {
  let infra: TestInfrastructure;
  let runtime: ServiceRuntime;
  let system: RunningSystem;
  let city: ApiClient;
  let replicaA: ChildProcess | undefined;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js'), '--server-only'], { cwd: ROOT, stdio: 'ignore' });
    infra = await startTestInfrastructure();
    const config = infra.config({ ROOT_PASSWORD, IMPORT_LEASE_MS: LEASE_MS, BUS_TIMEOUT_MS: 30_000 });
    runtime = { config, transport: infra.transport('nats', config) };
    system = await startSystem(runtime, { services: ['identity', 'hierarchy', 'review', 'files', 'notification'] });
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    const anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    city = (await loginDownTheTree(anonymous, ROOT_PASSWORD, ['130000', '130300'])).get('130300')!;
  });

  afterAll(async () => {
    replicaA?.kill('SIGKILL');
    await system?.close();
    await infra?.teardown();
  });

  it('finishes a job once after the replica running it is killed', async () => {
    const config = runtime.config;
    replicaA = spawn(process.execPath, [join(ROOT, 'scripts/start-svc.js'), 'intake'], {
      cwd: ROOT,
      stdio: 'ignore',
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
        IMPORT_LEASE_MS: String(LEASE_MS),
        BUS_TIMEOUT_MS: '30000',
        LOG_LEVEL: 'silent',
      },
    });
    // Review hangs on the commit (taken, never answered), so the job stays mid-way on replica A.
    await system.services.get('review')!.close();
    const nats = await connect({ servers: testNatsUrl() });
    nats.subscribe(`${config.BUS_SUBJECT_PREFIX}.${ImportSubjects.commit.name}`, { queue: 'review' });
    await nats.flush();

    const forms = Array.from({ length: 300 }, (_, n) => createSampleForm(n));
    const bytes = await writePackage(forms, {
      fillerUnit: '秦皇岛市人民政府办公室',
      generator: { name: 'test', version: '1' },
    });
    const started = await eventually(
      async () => {
        const res = await upload(city, bytes, '三百个网站.zip');
        return res.status === 202 ? res : undefined;
      },
      30_000,
      500,
    );
    const jobId = started.body.jobId;
    const job = () =>
      withClient(
        infra.database.url,
        async (c) =>
          (
            await c.query('SELECT status, lease_owner, attempts, progress_total FROM intake.import_job WHERE id = $1', [
              jobId,
            ])
          ).rows[0],
      );
    const running = await eventually(async () => {
      const row = await job();
      return row?.status === 'RUNNING' && row.progress_total === 300 ? row : undefined;
    });
    expect(running.lease_owner).toBeTruthy();

    replicaA.kill('SIGKILL');
    await new Promise((r) => replicaA!.once('exit', r));
    await nats.close();
    system.services.set(
      'review',
      await createServiceApp(SERVICE_MODULES.review(runtime), { service: 'review', ...runtime }),
    );
    const replicaB = await createServiceApp(SERVICE_MODULES.intake(runtime), { service: 'intake', ...runtime });
    system.services.set('intake', replicaB);

    const done = await eventually(async () => {
      const res = await city.get(`/imports/${jobId}`);
      return res.body.status === 'SUCCEEDED' || res.body.status === 'FAILED' ? res.body : undefined;
    }, 60_000);
    expect(done).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 300, rejected: 0 } });
    expect((await job()).attempts).toBe(2);
    expect(await recordCounts(infra.database.url)).toMatchObject({
      records: 300,
      versions: 300,
      history: 300,
      staged: 0,
    });
  });

  it('commits a job once however often its commit is repeated', async () => {
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
    const staged = await stageForms(infra.database.url, jobId, forms);
    const commit = { jobId, importer, dryRun: false, staged, packageKey: null };
    const first = await bus.request(ImportSubjects.commit, commit);
    const again = await Promise.all([
      bus.request(ImportSubjects.commit, commit),
      bus.request(ImportSubjects.commit, commit),
    ]);
    expect(first).toMatchObject({ applied: true, created: 2 });
    expect(again).toEqual([first, first]);
    const after = await recordCounts(infra.database.url);
    expect(after.versions - before.versions).toBe(2);
    expect(after.records - before.records).toBe(2);
  });
});
