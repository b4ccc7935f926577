import { IdentitySubjects, ImportSubjects } from '@app/contracts';
import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { CORRELATION_HEADER, ServiceRuntime } from '@app/platform';
import {
  ApiClient,
  eventually,
  loginDownTheTree,
  serviceProcessEnv,
  startTestInfrastructure,
  TestInfrastructure,
  testNatsUrl,
  withClient,
} from '@app/testing';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../apps/standalone/src/free-port';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';

const ROOT = resolve(__dirname, '../..');
const ROOT_PASSWORD = 'Root-Pass-2026';
const WRONG_PASSWORD = 'Wrong-Guess-7731';

/** One sample of a Prometheus text exposition: its name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample with this name and (at least) these labels; undefined if none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]?.value;
}

async function scrape(port: number): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parseMetrics(await res.text());
}

const jsonLines = (lines: string[]) =>
  lines.flatMap((line) => {
    try {
      const entry: unknown = JSON.parse(line);
      return entry && typeof entry === 'object' ? [entry as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });

/**
 * What an operator watches: the metrics each process serves on its probe port and the log
 * lines it writes, on a running system. The gateway and five services run in this process
 * (one registry, labelled by service); intake runs as its own OS process with its own probe
 * port, as a replica does in a deployment.
 */
describe('metrics and logs of a running system', () => {
  let infra: TestInfrastructure;
  let runtime: ServiceRuntime;
  let system: RunningSystem;
  let anonymous: ApiClient;
  let city: ApiClient;
  let intake: ChildProcess;
  let intakePort: number;
  /** This process's log lines (the gateway and five services, LOG_LEVEL info). */
  const lines: string[] = [];
  /** The intake process's log lines. */
  const intakeLines: string[] = [];
  let stdout: jest.SpyInstance;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js'), '--server-only'], { cwd: ROOT, stdio: 'ignore' });
    let pending = '';
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const parts = (pending + String(chunk)).split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      return true;
    });
    infra = await startTestInfrastructure();
    const config = infra.config({ ROOT_PASSWORD, LOG_LEVEL: 'info', BUS_TIMEOUT_MS: 30_000 });
    runtime = { config, transport: infra.transport('nats', config) };
    system = await startSystem(runtime, {
      services: ['identity', 'hierarchy', 'review', 'files', 'notification', 'assessment'],
      healthPort: 0,
      processName: 'standalone',
    });
    intakePort = await freePort();
    intake = spawn(process.execPath, [join(ROOT, 'scripts/start-svc.js'), 'intake'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        PATH: process.env.PATH ?? '',
        NATS_URL: testNatsUrl(),
        BUS_SUBJECT_PREFIX: config.BUS_SUBJECT_PREFIX,
        DATABASE_URL: config.DATABASE_URL,
        DATABASE_POOL_SIZE: '3',
        DATA_DIR: infra.dataDir,
        S3_ENDPOINT: config.S3_ENDPOINT,
        S3_ACCESS_KEY: config.S3_ACCESS_KEY,
        S3_SECRET_KEY: config.S3_SECRET_KEY,
        BUS_ACTOR_PUBLIC_KEY: config.BUS_ACTOR_PUBLIC_KEY,
        BUS_TIMEOUT_MS: '30000',
        LOG_LEVEL: 'info',
        HEALTH_PORT: String(intakePort),
      },
    });
    let rest = '';
    intake.stdout!.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      intakeLines.push(...parts);
    });
    await untilStarted(system);
    anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    city = (await loginDownTheTree(anonymous, ROOT_PASSWORD, ['130000', '130300'])).get('130300')!;
    await eventually(
      async () =>
        (await fetch(`http://127.0.0.1:${intakePort}/readyz`).catch(() => undefined))?.status === 200 || undefined,
      60_000,
      250,
    );
  });

  afterAll(async () => {
    intake?.kill('SIGKILL');
    await system?.close();
    await infra?.teardown();
    stdout?.mockRestore();
  });

  const probePort = () => system.probes!.port;

  it('counts a refused login by reason, and logs it without the password', async () => {
    const before = valueOf(await scrape(probePort()), 'gsr_login_failures_total', { reason: 'credentials' }) ?? 0;
    const refused = await anonymous.post('/auth/login', { username: 'nobody-here', password: WRONG_PASSWORD });
    expect(refused.status).toBe(401);
    const after = await scrape(probePort());
    expect(valueOf(after, 'gsr_login_failures_total', { reason: 'credentials' })).toBe(before + 1);
    // The gateway's histogram: by route template and status.
    expect(
      valueOf(after, 'gsr_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/auth/login',
        status: '401',
      }),
    ).toBeGreaterThanOrEqual(1);
    // Identity handled the login on the bus (handler) after the gateway asked (client).
    expect(
      valueOf(after, 'gsr_bus_handler_duration_seconds_count', {
        service: 'identity',
        subject: IdentitySubjects.login.name,
        outcome: 'error',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(after, 'gsr_bus_request_duration_seconds_count', {
        service: 'gateway',
        subject: IdentitySubjects.login.name,
        outcome: 'error',
      }),
    ).toBeGreaterThanOrEqual(1);
    const access = await eventually(
      async () =>
        jsonLines(lines).find(
          (entry) => entry.msg === 'http request' && entry.path === '/api/v1/auth/login' && entry.status === 401,
        ),
      10_000,
      100,
    );
    expect(access).toMatchObject({
      level: 'info',
      context: 'Access',
      method: 'POST',
      route: '/api/v1/auth/login',
      requestId: expect.any(String),
      bytes: expect.any(Number),
      ms: expect.any(Number),
      time: expect.any(String),
    });
    expect(access).not.toHaveProperty('userId');
  });

  it('logs one access line per request with the user id and request id, never a token, a password or the query', async () => {
    // A query is never logged, whatever it carries (some clients put a token there).
    const health = await fetch(`${city.baseUrl}/api/v1/health?access_token=abc123`);
    expect(health.status).toBeLessThan(500);
    const res = await fetch(`${city.baseUrl}/api/v1/imports?page=1&pageSize=5`, {
      headers: { authorization: `Bearer ${city.token}`, [CORRELATION_HEADER]: 'obs-list-1' },
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    const me = (await city.get('/me')).body;
    const entries = await eventually(
      async () => {
        const found = jsonLines(lines).filter(
          (entry) => entry.msg === 'http request' && entry.requestId === 'obs-list-1',
        );
        return found.length > 0 ? found : undefined;
      },
      10_000,
      100,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/imports',
      route: '/api/v1/imports',
      status: 200,
      userId: me.id,
      correlationId: 'obs-list-1',
    });
    expect(entries[0].bytes).toBeGreaterThan(0);
    expect(entries[0].bytes).toBeLessThanOrEqual(Buffer.byteLength(body) + 64);
    expect(
      jsonLines(lines).find((entry) => entry.msg === 'http request' && entry.route === '/api/v1/health'),
    ).toMatchObject({ path: '/api/v1/health', method: 'GET' });
    const samples = await scrape(probePort());
    expect(
      valueOf(samples, 'gsr_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/imports',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    // Route templates only: no sample is labelled with a raw path or a query.
    const routes = samples
      .filter((s) => s.name === 'gsr_http_request_duration_seconds_count')
      .map((s) => s.labels.route);
    expect(routes.filter((route) => /[?]|[0-9a-f]{8}-[0-9a-f]{4}/.test(route))).toEqual([]);
    const everything = [...lines, ...intakeLines].join('\n');
    for (const secret of [city.token!, ROOT_PASSWORD, WRONG_PASSWORD, 'abc123'])
      expect(everything.includes(secret)).toBe(false);
  });

  it('keeps the upload request’s correlation id on the job and on every line of the replica that ran it', async () => {
    const forms = [createSampleForm(4100), createSampleForm(4101)];
    const bytes = await writePackage(forms, {
      fillerUnit: '秦皇岛市人民政府办公室',
      generator: { name: 'test', version: '1' },
    });
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(bytes)]), 'observe.zip');
    const res = await fetch(`${city.baseUrl}/api/v1/imports?dryRun=false`, {
      method: 'POST',
      headers: { authorization: `Bearer ${city.token}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const correlationId = res.headers.get(CORRELATION_HEADER)!;
    expect(correlationId).toBeTruthy();
    const { jobId } = (await res.json()) as { jobId: string };
    const job = await eventually(
      async () => {
        const view = await city.get(`/imports/${jobId}`);
        return ['SUCCEEDED', 'FAILED'].includes(view.body.status) ? view.body : undefined;
      },
      120_000,
      200,
    );
    expect(job.status).toBe('SUCCEEDED');
    // Stored on the job: any replica that runs it, or takes it over, logs under it.
    const [row] = await withClient(
      infra.database.url,
      async (client) =>
        (await client.query('SELECT correlation_id FROM intake.import_job WHERE id = $1', [jobId])).rows,
    );
    expect(row.correlation_id).toBe(correlationId);
    const replica = `${hostname().slice(0, 24)}:${intake.pid}`;
    const about = await eventually(
      async () => {
        const found = jsonLines(intakeLines).filter((entry) => entry.jobId === jobId);
        return found.some((entry) => entry.msg === 'job attempt ended') ? found : undefined;
      },
      10_000,
      100,
    );
    expect(about.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['job started', 'job attempt ended']));
    for (const entry of about) expect(entry).toMatchObject({ correlationId, replica, service: 'intake' });
    expect(about.find((entry) => entry.msg === 'job attempt ended')).toMatchObject({ outcome: 'succeeded' });
    // The upload's access line has the same id.
    expect(
      jsonLines(lines).find((entry) => entry.msg === 'http request' && entry.requestId === correlationId),
    ).toMatchObject({ method: 'POST', route: '/api/v1/imports', status: 202 });

    // The replica's own metrics, on its own probe port.
    const own = await scrape(intakePort);
    expect(
      valueOf(own, 'gsr_job_duration_seconds_count', { service: 'intake', queue: 'import', outcome: 'succeeded' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(own, 'gsr_bus_request_duration_seconds_count', {
        service: 'intake',
        subject: ImportSubjects.commit.name,
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(own, 'gsr_import_jobs', { state: 'QUEUED' })).toBe(0);
    expect(valueOf(own, 'gsr_import_jobs', { state: 'RUNNING' })).toBe(0);
    expect(valueOf(own, 'gsr_queue_backlog', { service: 'intake', queue: 'import' })).toBe(0);
    expect(valueOf(own, 'gsr_queue_oldest_age_seconds', { service: 'intake', queue: 'import' })).toBe(0);
    expect(valueOf(own, 'gsr_db_pool_max', { service: 'intake' })).toBe(3);
    expect(valueOf(own, 'gsr_db_pool_connections', { service: 'intake', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(own, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    // Review committed it (handler side), in the other process.
    const shared = await scrape(probePort());
    expect(
      valueOf(shared, 'gsr_bus_handler_duration_seconds_count', {
        service: 'review',
        subject: ImportSubjects.commit.name,
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('reports each service’s backlogs and pool in the one registry of a shared process', async () => {
    const samples = await scrape(probePort());
    for (const service of ['identity', 'hierarchy', 'review', 'files', 'notification'])
      expect([service, valueOf(samples, 'gsr_db_pool_connections', { service, state: 'total' })]).toEqual([
        service,
        expect.any(Number),
      ]);
    expect(valueOf(samples, 'gsr_queue_backlog', { service: 'notification', queue: 'mail' })).toEqual(
      expect.any(Number),
    );
    expect(valueOf(samples, 'gsr_queue_backlog', { service: 'review', queue: 'outbox' })).toEqual(expect.any(Number));
    expect(valueOf(samples, 'gsr_queue_oldest_age_seconds', { service: 'review', queue: 'outbox' })).toEqual(
      expect.any(Number),
    );
  });
});

/**
 * Generated first-start passwords outside `npm start` (a pod, a compose container): never in
 * the log. identity runs as its own process with no passwords given; they go to a file under
 * DATA_DIR readable by its user only, and the log names that file.
 */
describe('first-start passwords of a service run on its own', () => {
  let infra: TestInfrastructure;
  let identity: ChildProcess | undefined;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
  });

  afterAll(async () => {
    identity?.kill('SIGKILL');
    await infra?.teardown();
  });

  it('writes them to DATA_DIR/initial-passwords.txt (0600) and logs only the path', async () => {
    const env = serviceProcessEnv(infra, { LOG_LEVEL: 'info' });
    delete env.ROOT_PASSWORD;
    identity = spawn(process.execPath, [join(ROOT, 'scripts/start-svc.js'), 'identity'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const output: string[] = [];
    identity.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    identity.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const file = join(infra.dataDir, 'initial-passwords.txt');
    const line = await eventually(
      async () =>
        jsonLines(output.join('').split('\n')).find((entry) => typeof entry.msg === 'string' && entry.path === file),
      60_000,
      200,
    );
    expect(line).toMatchObject({ level: 'warn', service: 'identity', usernames: ['bm0100', 'support', 'auditor'] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const handed = readFileSync(file, 'utf8');
    const passwords = [...handed.matchAll(/初始密码 (\S+)/g)].map((match) => match[1]);
    expect(passwords).toHaveLength(3);
    const logged = output.join('');
    for (const password of passwords) expect(logged.includes(password)).toBe(false);
    expect(logged).not.toContain('初始密码');
  });
});

/** A crash, in a real process with the handlers every entry point installs: one JSON line on stderr, exit 1. */
describe('crashes', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js'), '--server-only'], { cwd: ROOT, stdio: 'ignore' });
  });

  it.each([
    [
      'an unhandled rejection',
      "Promise.reject(Object.assign(new Error('disk on fire'), { code: 'EFIRE' }))",
      'unhandled promise rejection, exiting',
    ],
    [
      'an uncaught exception',
      "setTimeout(() => { throw new Error('disk on fire'); }, 1)",
      'uncaught exception, exiting',
    ],
  ])('%s', (_, crash, msg) => {
    const module = join(ROOT, 'dist/libs/platform/src/logging/crash-log.js');
    const run = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(module)}).logCrashes('intake'); setInterval(() => {}, 1000); ${crash};`],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'error',
      service: 'intake',
      context: 'Process',
      msg,
      error: 'disk on fire',
      stack: expect.stringContaining('disk on fire'),
      pid: run.pid,
    });
  });
});
