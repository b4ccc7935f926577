import { SERVICE_NAMES } from '@app/contracts';
import { ApiClient, eventually } from '@app/testing';
import { importAndWait, jobEnded, recordCounts, upload } from '../imports/support';
import { PrivateNats, probe, samplePackage, startTestCluster, TestCluster, unitClients } from './support';

/** Longer than a minute: the old client gave up after 20 s; the issue asks for more than 60 s. */
const OUTAGE_MS = 61_000;

jest.setTimeout(300_000);

/**
 * The cluster (`npm run cluster`: every app its own process, two intake replicas) on a NATS
 * server of this file's own. First the probes each process serves on its own port, and the
 * gateway's readiness with a service down. Then NATS stopped for longer than a minute right
 * after an import was accepted, and started again on the same port: meanwhile every probe
 * says the bus is down (alive, not ready), the gateway answers 503 with Retry-After and no
 * process exits; afterwards every app is ready again by itself, the import accepted before
 * the outage ends SUCCEEDED, applied once, and the system works.
 */
describe('fault: NATS down for more than a minute under the cluster', () => {
  let nats: PrivateNats;
  let sys: TestCluster;
  let city: ApiClient;
  let root: ApiClient;
  /** The cluster's processes with a probe port: every app but the S3. */
  const apps = () => [...sys.cluster.members.values()].filter((member) => member.healthPort);

  beforeAll(async () => {
    nats = await PrivateNats.start();
    // Notification gives the bus 5 s before its liveness asks for a restart; the others the default (300 s).
    sys = await startTestCluster({ natsUrl: nats.url, appEnv: { notification: { BUS_DOWN_RESTART_SECONDS: '5' } } });
    const clients = await unitClients(sys.api);
    [root, city] = [clients.get('bm0100')!, clients.get('130300')!];
  });

  afterAll(async () => {
    await sys?.teardown();
    await nats?.remove();
  });

  afterEach(() => {
    if (sys.unexpectedExits.length) console.log(sys.logs.join('\n'));
    expect(sys.unexpectedExits).toEqual([]);
  });

  it('answers live and ready on each process’s own port, the gateway reporting each service', async () => {
    expect(apps().map((member) => member.name)).toHaveLength(9);
    for (const member of apps()) {
      expect([member.name, await probe(member, '/livez')]).toEqual([
        member.name,
        { status: 200, body: expect.objectContaining({ status: 'live', bus: 'up' }) },
      ]);
      const ready = await probe(member, '/readyz');
      expect([member.name, ready.status, ready.body.status, ready.body.checks.bus]).toEqual([
        member.name,
        200,
        'ready',
        'up',
      ]);
      // Every service is ready only with its database; the gateway has none.
      expect([member.name, ready.body.checks.database]).toEqual([
        member.name,
        member.app === 'gateway' ? undefined : 'up',
      ]);
    }
    // Each service as the gateway sees it (asked with a 2 s limit: on a loaded machine one may
    // miss a round, so the answer is awaited, not taken from the first look).
    const gateway = sys.cluster.members.get('gateway')!;
    await eventually(async () => {
      const services = (await probe(gateway, '/readyz')).body.services as Record<string, string>;
      return (
        Object.keys(services).length === SERVICE_NAMES.length &&
        Object.values(services).every((state) => state === 'up')
      );
    });
  });

  it('keeps the gateway ready with a service down, naming the service in the body', async () => {
    expect(await sys.cluster.kill('files', 'SIGTERM')).toBe(0);
    const ready = await probe(sys.cluster.members.get('gateway')!, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.services.files).toBe('unreachable');
    expect(Object.keys(ready.body.services).sort()).toEqual([
      'assessment',
      'files',
      'hierarchy',
      'identity',
      'intake',
      'notification',
      'review',
    ]);
    // For people, /api/v1/health still says the system is not whole.
    expect((await sys.api.get('/health')).status).toBe(503);
    sys.cluster.startMember('files');
    await sys.cluster.untilUp();
  });

  it('rides out 61 s without NATS: probes and 503 meanwhile, then the accepted import applied once, no process restarted', async () => {
    const pids = new Map([...sys.cluster.members].map(([name, member]) => [name, member.pid]));
    const bytes = await samplePackage(200, 10_000);
    const accepted = await upload(city, bytes, '二百个网站.zip');
    expect(accepted.status).toBe(202);

    await nats.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    // Meanwhile: every app alive but not ready, the bus named as what is down.
    await eventually(async () => {
      for (const member of apps()) if ((await probe(member, '/readyz')).status !== 503) return false;
      return true;
    });
    for (const member of apps()) {
      const ready = await probe(member, '/readyz');
      expect([member.name, ready.body.status, ready.body.down]).toEqual([
        member.name,
        'not-ready',
        expect.arrayContaining(['bus']),
      ]);
    }
    const during = await city.get('/notices');
    expect([during.status, during.body.code, during.headers.get('retry-after')]).toEqual([
      503,
      'SERVICE_UNAVAILABLE',
      '5',
    ]);
    const health = await sys.api.get('/health');
    expect([health.status, health.body.bus]).toEqual([503, 'down']);

    await new Promise((done) => setTimeout(done, Math.max(0, outageEnds - Date.now())));
    // Past its BUS_DOWN_RESTART_SECONDS (5 s), notification's liveness asks for a restart; the
    // others (300 s) are still alive. No process has exited.
    const asksRestart = await probe(sys.cluster.members.get('notification')!, '/livez');
    expect([asksRestart.status, asksRestart.body.status]).toEqual([503, 'restart']);
    for (const member of apps().filter((m) => m.app !== 'notification')) {
      const live = await probe(member, '/livez');
      expect([member.name, live.status, live.body.bus]).toEqual([member.name, 200, 'down']);
    }
    expect(sys.unexpectedExits).toEqual([]);
    await nats.start();

    // Back by themselves: every app ready, the system whole, the same processes.
    await sys.cluster.untilUp(120_000);
    expect((await probe(sys.cluster.members.get('notification')!, '/livez')).status).toBe(200);
    const job = await jobEnded(city, accepted.body.jobId, 120_000, 500);
    expect(job).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 200, rejected: 0 } });
    // Once: 200 records, one version and one history row each, nothing left staged.
    expect(await recordCounts(sys.cluster.databaseUrl)).toEqual({
      records: 200,
      versions: 200,
      history: 200,
      staged: 0,
    });
    // The same package again changes nothing; a new one works; every service answers.
    expect(await importAndWait(city, bytes, '二百个网站.zip')).toMatchObject({
      status: 'SUCCEEDED',
      report: { created: 0, unchanged: 200 },
    });
    expect(await importAndWait(city, await samplePackage(3, 20_000), '三个网站.zip')).toMatchObject({
      status: 'SUCCEEDED',
      report: { created: 3 },
    });
    expect(await recordCounts(sys.cluster.databaseUrl)).toEqual({
      records: 203,
      versions: 203,
      history: 203,
      staged: 0,
    });
    const again = await sys.api.login('bm0100', 'Root-Pass-2026');
    for (const path of ['/notices', '/forms', '/files'])
      expect([path, (await again.get(path)).status]).toEqual([path, 200]);
    expect((await root.get('/me')).status).toBe(200);
    expect(new Map([...sys.cluster.members].map(([name, member]) => [name, member.pid]))).toEqual(pids);
  });
});
