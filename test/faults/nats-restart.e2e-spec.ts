import { ApiClient, eventually } from '@app/testing';
import { importAndWait, recordCounts, upload } from '../imports/support';
import { PrivateNats, samplePackage, startTestCluster, TestCluster, unitClients } from './support';

/** Longer than a minute: the old client gave up after 20 s; the issue asks for more than 60 s. */
const OUTAGE_MS = 61_000;

jest.setTimeout(300_000);

/**
 * The cluster (`npm run cluster`: every app its own process, two intake replicas) on a NATS
 * server of this file's own, stopped for longer than a minute right after an import was
 * accepted and started again on the same port. Meanwhile the gateway answers 503 with
 * Retry-After and no process exits; afterwards every app is ready again by itself, the
 * import accepted before the outage ends SUCCEEDED, applied once, and the system works.
 */
describe('fault: NATS down for more than a minute under the cluster', () => {
  let nats: PrivateNats;
  let sys: TestCluster;
  let city: ApiClient;

  beforeAll(async () => {
    nats = await PrivateNats.start();
    sys = await startTestCluster({ natsUrl: nats.url });
    city = (await unitClients(sys.api)).get('130300')!;
  });

  afterAll(async () => {
    await sys?.teardown();
    await nats?.remove();
  });

  afterEach(() => {
    if (expect.getState().assertionCalls === 0 || sys.unexpectedExits.length) console.log(sys.logs.join('\n'));
  });

  it('rides out the outage: 503 meanwhile, then the accepted import applied once, no process restarted', async () => {
    const pids = new Map([...sys.cluster.members].map(([name, member]) => [name, member.pid]));
    const bytes = await samplePackage(200, 10_000);
    const accepted = await upload(city, bytes, '二百个网站.zip');
    expect(accepted.status).toBe(202);

    await nats.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    const during = await eventually(async () => {
      const res = await city.get('/notices');
      return res.status === 503 ? res : undefined;
    });
    expect([during.body.code, during.headers.get('retry-after')]).toEqual(['SERVICE_UNAVAILABLE', '5']);
    expect((await sys.api.get('/health')).status).toBe(503);

    await new Promise((done) => setTimeout(done, Math.max(0, outageEnds - Date.now())));
    expect(sys.unexpectedExits).toEqual([]);
    await nats.start();

    await sys.cluster.untilUp(120_000);
    const job = await eventually(
      async () => {
        const res = await city.get(`/imports/${accepted.body.jobId}`);
        return res.body.status === 'SUCCEEDED' || res.body.status === 'FAILED' ? res.body : undefined;
      },
      120_000,
      500,
    );
    expect(job).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 200, rejected: 0 } });
    // Once: 200 records, one version and one history row each, nothing left staged.
    const counts = await recordCounts(sys.cluster.databaseUrl);
    expect(counts).toEqual({ records: 200, versions: 200, history: 200, staged: 0 });
    // The same package again changes nothing; a new one works: the system is whole.
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
    expect(new Map([...sys.cluster.members].map(([name, member]) => [name, member.pid]))).toEqual(pids);
    expect(sys.unexpectedExits).toEqual([]);
  });
});
