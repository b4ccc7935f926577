import { ApiClient, eventually, withClient } from '@app/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/standalone/src/free-port';
import { importAndWait, jobEnded, largeReportPackage, recordCounts, upload, wholeReport } from '../imports/support';
import { PrivatePostgres, startPrivatePostgres } from '../support/private-postgres';
import { probe, samplePackage, startTestCluster, storedObjects, TestCluster, unitClients } from './support';

jest.setTimeout(300_000);

/**
 * The cluster (`npm run cluster`: every app its own process, two intake replicas, the embedded
 * S3 its own process) on a PostgreSQL of this file's own, faulted one process at a time: an
 * intake replica killed mid-import, a package whose report is over what one NATS message may
 * carry, notification down during approvals, the gateway killed mid-upload, PostgreSQL stopped
 * and started again. Each test ends by counting what the fault could have lost, duplicated or
 * half-applied: records, versions, history rows, staged rows, jobs, mails, objects.
 */
describe('faults under the cluster, one process at a time', () => {
  let pgDir: string;
  let pgPort: number;
  let postgres: PrivatePostgres;
  const pgPassword = randomBytes(12).toString('hex');
  let sys: TestCluster;
  let city: ApiClient;
  let county: ApiClient;
  let province: ApiClient;

  const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
    withClient(sys.cluster.databaseUrl, async (c) => (await c.query(text, params)).rows as T[]);
  const count = async (text: string) => (await sql<{ n: number }>(text))[0].n;

  beforeAll(async () => {
    pgDir = mkdtempSync(join(tmpdir(), 'gsr-faults-pg-'));
    pgPort = await freePort();
    postgres = await startPrivatePostgres(pgDir, pgPassword, pgPort);
    sys = await startTestCluster({ databaseUrl: postgres.url });
    const clients = await unitClients(sys.api, ['130000', '130300', '130302']);
    [province, city, county] = ['130000', '130300', '130302'].map((code) => clients.get(code)!);
  });

  afterAll(async () => {
    await sys?.teardown();
    await postgres?.stop();
    if (pgDir) rmSync(pgDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // What the processes said, when a test failed or a process died unasked.
    if (sys.unexpectedExits.length) console.log(sys.logs.join('\n'));
    expect(sys.unexpectedExits).toEqual([]);
  });

  it('intake killed (SIGKILL) mid-import: the other replica finishes the job, applied once', async () => {
    const before = await recordCounts(sys.cluster.databaseUrl);
    const started = await upload(city, await samplePackage(2000, 30_000), '两千个网站.zip');
    expect(started.status).toBe(202);
    const jobId = started.body.jobId as string;
    const running = await eventually(
      async () => {
        const [row] = await sql<{ status: string; lease_owner: string | null }>(
          'SELECT status, lease_owner FROM intake.import_job WHERE id = $1',
          [jobId],
        );
        return row.status === 'RUNNING' && row.lease_owner ? row : undefined;
      },
      60_000,
      50,
    );
    // lease_owner is `<host>:<pid>:<random>`: the replica that holds the job.
    const pid = Number(/:(\d+):[0-9a-f]+$/.exec(running.lease_owner!)?.[1]);
    const owner = [...sys.cluster.members.values()].find((member) => member.pid === pid);
    expect(owner?.app).toBe('intake');
    await sys.cluster.kill(owner!.name, 'SIGKILL');

    const done = await jobEnded(city, jobId, 120_000, 250);
    expect(done).toMatchObject({ status: 'SUCCEEDED', report: { applied: true, created: 2000, rejected: 0 } });
    const [finished] = await sql('SELECT attempts, lease_owner FROM intake.import_job WHERE id = $1', [jobId]);
    expect(finished.attempts).toBe(2);
    const after = await recordCounts(sys.cluster.databaseUrl);
    expect({
      records: after.records - before.records,
      versions: after.versions - before.versions,
      history: after.history - before.history,
      staged: after.staged,
    }).toEqual({ records: 2000, versions: 2000, history: 2000, staged: 0 });

    // The replica back, for the tests after this one.
    sys.cluster.startMember(owner!.name);
    await sys.cluster.untilUp();
  });

  it('a package whose import report is over 1 MB (5,000 forms): SUCCEEDED in one attempt, each record once, the report paged', async () => {
    const FORMS = 5000;
    const before = await recordCounts(sys.cluster.databaseUrl);
    const { forms, bytes } = await largeReportPackage(FORMS);
    const started = await upload(city, bytes, '五千个网站.zip');
    expect(started.status).toBe(202);
    const jobId = started.body.jobId as string;
    const job = await jobEnded(city, jobId, 240_000, 500);
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      progress: { done: FORMS, total: FORMS },
      report: { applied: true, created: FORMS, updated: 0, unchanged: 0, rejected: 0, formsTotal: FORMS },
    });
    // One attempt: review's answer to the commit reached intake over real NATS whatever the
    // report's size (one past NATS's limit once made intake retry a job review had committed).
    const [row] = await sql('SELECT attempts, lease_owner FROM intake.import_job WHERE id = $1', [jobId]);
    expect(row).toEqual({ attempts: 1, lease_owner: null });
    const after = await recordCounts(sys.cluster.databaseUrl);
    expect({
      records: after.records - before.records,
      versions: after.versions - before.versions,
      history: after.history - before.history,
      staged: after.staged,
    }).toEqual({ records: FORMS, versions: FORMS, history: FORMS, staged: 0 });
    // Each site of the package is one record of the city's: none lost, none twice.
    const names = await sql<{ site_name: string }>(
      `SELECT site_name FROM review.record WHERE owner_code = '130300' AND homepage_url LIKE 'http://www.shared%'`,
    );
    expect(names.map((r) => r.site_name).sort()).toEqual(forms.map((f) => f.site.siteName).sort());

    // The whole report through the gateway, a page at a time: every form once, with its warning.
    const report = await wholeReport(city, jobId, FORMS);
    expect(report.bytes).toBeGreaterThan(1.5 * 1024 * 1024);
    expect(report.forms).toHaveLength(FORMS);
    expect(new Set(report.forms.map((f) => f.formId))).toEqual(new Set(forms.map((f) => f.id)));
    expect(report.forms.filter((f) => f.outcome !== 'created' || (f.warnings as string[]).length !== 1)).toEqual([]);
  });

  it('gateway killed (SIGKILL) mid-upload: no object, no job, and uploads work again', async () => {
    const jobsBefore = await count('SELECT count(*)::int AS n FROM intake.import_job');
    const objectsBefore = storedObjects(sys.cluster);
    const leasesBefore = await count('SELECT count(*)::int AS n FROM intake.upload_lease WHERE expires_at > now()');
    const held = holdUpload(city, 8 * 1024 * 1024);
    // The upload is under way once intake has granted its lease.
    await eventually(
      async () =>
        (await count('SELECT count(*)::int AS n FROM intake.upload_lease WHERE expires_at > now()')) > leasesBefore,
      30_000,
      50,
    );
    await sys.cluster.kill('gateway', 'SIGKILL');
    await held.ended;
    sys.cluster.startMember('gateway');
    await sys.cluster.untilUp();

    // Nothing of it kept: no object, no job; its lease runs out on its own (60 s at most).
    expect(storedObjects(sys.cluster)).toEqual(objectsBefore);
    expect(await count('SELECT count(*)::int AS n FROM intake.import_job')).toBe(jobsBefore);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM intake.upload_lease WHERE expires_at > now() + interval '60 seconds'`,
      ),
    ).toBe(0);
    const again = await importAndWait(city, await samplePackage(2, 40_000), '两个网站.zip');
    expect(again).toMatchObject({ status: 'SUCCEEDED', report: { created: 2 } });
    expect(await count('SELECT count(*)::int AS n FROM intake.import_job')).toBe(jobsBefore + 1);
    expect(storedObjects(sys.cluster)).toHaveLength(objectsBefore.length + 1);
  });

  it('notification down during approvals: every mail goes out once it is back, once each', async () => {
    const mailDir = join(sys.cluster.dataDir, 'mail');
    const emlFiles = () => {
      try {
        return readdirSync(mailDir).filter((name) => name.endsWith('.eml'));
      } catch {
        return [];
      }
    };
    const filesBefore = emlFiles().length;
    const mailsBefore = await count('SELECT count(*)::int AS n FROM notification.mail');
    expect(await importAndWait(county, await samplePackage(5, 50_000), '五个网站.zip')).toMatchObject({
      status: 'SUCCEEDED',
      report: { created: 5 },
    });

    await sys.cluster.kill('notification', 'SIGKILL');
    expect((await county.post('/forms/submit-all')).body).toEqual({ submitted: 5 });
    expect((await city.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 5 });
    expect((await province.post('/forms/review-all')).body).toEqual({ approved: 5, forwarded: 0 });
    // The five mails wait, as one batch naming the records, while notification is away.
    await eventually(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM review.code_mail_batch
            WHERE done_at IS NULL AND sent = 0 AND total = 5 AND attempts >= 1`,
        )) === 1,
    );
    expect(emlFiles()).toHaveLength(filesBefore);

    sys.cluster.startMember('notification');
    await sys.cluster.untilUp();
    await eventually(async () => emlFiles().length >= filesBefore + 5, 60_000);
    // Count once nothing is left to send: a duplicate would have been written by then.
    await eventually(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM review.code_mail_batch WHERE done_at IS NULL`)) === 0 &&
        (await count(`SELECT count(*)::int AS n FROM notification.mail WHERE status <> 'SENT'`)) === 0,
    );
    expect(await count('SELECT count(*)::int AS n FROM notification.mail')).toBe(mailsBefore + 5);
    const files = emlFiles();
    expect(files).toHaveLength(filesBefore + 5);
    // One file per mail (`<time>-<mail id>.eml`): five different mails, none written twice.
    const ids = files.map((name) => name.replace(/^.*?-(?=[0-9a-f]{8}-)/, '').replace(/\.eml$/, ''));
    expect(new Set(ids).size).toBe(files.length);
  });

  it("notification killed (SIGKILL) in the middle of a 全部审核's code mails: the rest go out once it is back, each once", async () => {
    const mailDir = join(sys.cluster.dataDir, 'mail');
    const emlFiles = () => readdirSync(mailDir).filter((name) => name.endsWith('.eml'));
    const filesBefore = emlFiles().length;
    const mailsBefore = await count('SELECT count(*)::int AS n FROM notification.mail');
    expect(await importAndWait(county, await samplePackage(300, 60_000), '三百个网站.zip')).toMatchObject({
      status: 'SUCCEEDED',
      report: { created: 300 },
    });
    // The 300 go out in chunks of 100, in record id order (one owner). A transaction of the
    // test's holds the key of the 150th: notification's transaction storing the second chunk
    // waits for it, and notification is killed while it waits.
    const ids = (
      await sql<{ id: string }>(
        `SELECT id FROM review.record WHERE owner_code = '130302' AND status = 'DRAFT' ORDER BY id`,
      )
    ).map((row) => row.id);
    expect(ids).toHaveLength(300);
    const [batchesBefore] = await sql<{ last: string }>(
      'SELECT coalesce(max(id), 0)::text AS last FROM review.code_mail_batch',
    );
    await withClient(sys.cluster.databaseUrl, async (blocker) => {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO notification.mail (key, recipients, subject, body) VALUES ($1, '{blocker@example.gov.cn}', 'blocker', '')`,
        [`site-code:${ids[149]}`],
      );
      expect((await county.post('/forms/submit-all')).body).toEqual({ submitted: 300 });
      expect((await city.post('/forms/review-all')).body).toEqual({ approved: 0, forwarded: 300 });
      expect((await province.post('/forms/review-all')).body).toEqual({ approved: 300, forwarded: 0 });
      // The first chunk is with notification (and written: a mail killed while being written
      // is the mail sender's own window, not this test's), the second waits for the test's
      // transaction.
      await eventually(
        async () => {
          const [batch] = await sql<{ sent: number }>(
            'SELECT sent FROM review.code_mail_batch WHERE id > $1 AND total = 300',
            [batchesBefore.last],
          );
          const waiting = await sql(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO mail%'`,
          );
          const unsent = await count(`SELECT count(*)::int AS n FROM notification.mail WHERE status <> 'SENT'`);
          return batch?.sent === 100 && waiting.length === 1 && unsent === 0;
        },
        60_000,
        50,
      );
      await sys.cluster.kill('notification', 'SIGKILL');
      await blocker.query('ROLLBACK');
    });

    sys.cluster.startMember('notification');
    await sys.cluster.untilUp();
    const batch = await eventually(
      async () => {
        const [row] = await sql<{ done_at: Date | null; sent: number; attempts: number }>(
          'SELECT done_at, sent, attempts FROM review.code_mail_batch WHERE id > $1 AND total = 300',
          [batchesBefore.last],
        );
        return row?.done_at ? row : undefined;
      },
      120_000,
      250,
    );
    expect(batch.sent).toBe(300);
    expect(batch.attempts).toBeGreaterThanOrEqual(2);
    await eventually(
      async () => (await count(`SELECT count(*)::int AS n FROM notification.mail WHERE status <> 'SENT'`)) === 0,
      120_000,
    );
    const keys = ids.map((id) => `site-code:${id}`);
    expect(await sql('SELECT 1 FROM notification.mail WHERE key = ANY($1::text[])', [keys])).toHaveLength(300);
    expect(await count('SELECT count(*)::int AS n FROM notification.mail')).toBe(mailsBefore + 300);
    // One .eml per mail: 300 different mails, none written twice, none lost.
    const files = emlFiles();
    expect(files).toHaveLength(filesBefore + 300);
    const mailIds = files.map((name) => name.replace(/^.*?-(?=[0-9a-f]{8}-)/, '').replace(/\.eml$/, ''));
    expect(new Set(mailIds).size).toBe(files.length);
  });

  it('PostgreSQL stopped and started again: 503 meanwhile, then everything works, no process restarted', async () => {
    const pids = new Map([...sys.cluster.members].map(([name, member]) => [name, member.pid]));
    const before = await recordCounts(sys.cluster.databaseUrl);
    await postgres.stop();

    // Login (identity), the records list (review), the user's notices (notification): each
    // needs the database; none is a 500.
    for (const res of [
      await sys.api.post('/auth/login', { username: 'bm0100', password: 'Root-Pass-2026' }),
      await city.get('/forms'),
      await city.get('/notices'),
    ]) {
      expect([res.status, res.body]).toEqual([
        503,
        expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', message: '系统暂时不可用，请稍后再试' }),
      ]);
      expect(res.headers.get('retry-after')).toBe('5');
    }
    // Each service: not ready (the database named), alive (its pool reconnects by itself; a
    // restart would not bring PostgreSQL back). The gateway has no database: ready.
    for (const member of [...sys.cluster.members.values()].filter((m) => m.healthPort)) {
      const [ready, live] = [await probe(member, '/readyz'), await probe(member, '/livez')];
      expect([member.name, live.status]).toEqual([member.name, 200]);
      if (member.app === 'gateway') expect(ready.status).toBe(200);
      else
        expect([member.name, ready]).toEqual([
          member.name,
          {
            status: 503,
            body: expect.objectContaining({ down: ['database'], checks: { bus: 'up', database: 'down' } }),
          },
        ]);
    }
    const health = await sys.api.get('/health');
    expect([health.status, health.body.services.review.dependencies]).toEqual([503, { database: 'down' }]);
    // A few seconds down: every process stays up.
    await new Promise((done) => setTimeout(done, 3000));
    expect(sys.unexpectedExits).toEqual([]);

    postgres = await startPrivatePostgres(pgDir, pgPassword, pgPort);
    await sys.cluster.untilUp(120_000);
    const root = await eventually(async () => {
      const res = await sys.api.post('/auth/login', { username: 'bm0100', password: 'Root-Pass-2026' });
      return res.status === 200 ? res : undefined;
    });
    const again = sys.api.withToken(root.body.accessToken);
    for (const path of ['/me', '/forms', '/notices'])
      expect([path, (await again.get(path)).status]).toEqual([path, 200]);
    expect((await sys.api.get('/health')).body.status).toBe('up');
    const job = await importAndWait(city, await samplePackage(4, 60_000), '四个网站.zip');
    expect(job).toMatchObject({ status: 'SUCCEEDED', report: { created: 4 } });
    const after = await recordCounts(sys.cluster.databaseUrl);
    expect(after).toEqual({
      records: before.records + 4,
      versions: before.versions + 4,
      history: before.history + 4,
      staged: 0,
    });
    expect(new Map([...sys.cluster.members].map(([name, member]) => [name, member.pid]))).toEqual(pids);
  });
});

/**
 * A multipart upload that sends its head and `firstBytes` of the file, then holds the rest
 * back (as a slow client does); `ended` resolves however the request ends.
 */
function holdUpload(client: ApiClient, firstBytes: number): { ended: Promise<void> } {
  const boundary = 'gsr-faults-boundary-0123456789';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.zip"\r\n` +
      'Content-Type: application/zip\r\n\r\n',
  );
  const req = request(new URL(`${client.baseUrl}/api/v1/imports`), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${client.token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + 2 * firstBytes + 64),
    },
  });
  const ended = new Promise<void>((done) => {
    req.on('error', () => done());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done());
      res.on('error', () => done());
    });
  });
  req.write(head);
  req.write(Buffer.alloc(firstBytes, 0x5a));
  return { ended };
}
