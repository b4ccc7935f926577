import { IdentitySubjects, healthSubject } from '@app/contracts';
import {
  BUS_TRANSPORT,
  BusClient,
  CORRELATION_HEADER,
  DomainError,
  InProcessTransport,
  ServiceRuntime,
} from '@app/platform';
import { connect } from 'nats';
import { eventually, startTestInfrastructure, TestInfrastructure, testNatsUrl, TransportKind } from '@app/testing';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';
import { ensureWebBuild } from '../client/support/web-build';

const ROOT_PASSWORD = 'Root-Pass-2026';

/**
 * The whole system through the gateway's HTTP port, once over real NATS (every app its
 * own Nest application with its own NATS connection) and once on the in-process bus.
 */
describe.each<TransportKind>(['nats', 'in-process'])('system over %s', (kind) => {
  let infra: TestInfrastructure;
  let system: RunningSystem;
  let runtime: ServiceRuntime;
  let baseUrl: string;
  // The services log at info (one line per bus message); the lines are kept, not printed.
  const logLines: string[] = [];
  let stdout: jest.SpyInstance;

  beforeAll(async () => {
    // The gateway serves the built offline client; build it when missing or stale.
    ensureWebBuild();
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(String(chunk));
      return true;
    });
    infra = await startTestInfrastructure();
    // Token versions cached for a minute: a revoked token refused sooner was refused by the event.
    const config = infra.config({
      ROOT_PASSWORD,
      BUS_TIMEOUT_MS: 4000,
      LOG_LEVEL: 'info',
      TOKEN_VERSION_CACHE_MS: 60_000,
    });
    runtime = { config, transport: infra.transport(kind, config) };
    system = await startSystem(runtime);
    // The first start's tree, accounts and workbooks: login answers 503 until then.
    await untilStarted(system);
    baseUrl = await system.gateway.getUrl();
    baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await system?.close();
    await infra?.teardown();
    stdout.mockRestore();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('reports every service up, with its database and storage', async () => {
    const res = await fetch(`${baseUrl}/api/v1/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('up');
    expect(Object.keys(body.services).sort()).toEqual([
      'assessment',
      'files',
      'hierarchy',
      'identity',
      'intake',
      'notification',
      'review',
    ]);
    for (const state of Object.values<{ status: string; dependencies: Record<string, string> }>(body.services)) {
      expect(state.status).toBe('up');
      expect(state.dependencies.database).toBe('up');
    }
    expect(body.services.intake.dependencies.storage).toBe('up');
    expect(body.services.files.dependencies.storage).toBe('up');
  });

  it('logs in through identity and accepts the token on a protected route', async () => {
    const login = await post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD });
    expect(login.status).toBe(200);
    const body = await login.json();
    expect(body).toMatchObject({
      expiresIn: 1800,
      mustChangePassword: false,
      user: { username: 'bm0100', roles: ['ORG', 'ROOT'] },
    });
    const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'bm0100', roles: ['ORG', 'ROOT'] });
  });

  it('ends every session of the account on logout, on a second gateway replica too', async () => {
    const second = await createGatewayApp(runtime);
    await second.listen(0, '127.0.0.1');
    try {
      const bases = [baseUrl, (await second.getUrl()).replace('[::1]', '127.0.0.1')];
      const token = (await (await post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD })).json())
        .accessToken;
      const me = (base: string) => fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      for (const base of bases) expect((await me(base)).status).toBe(200);
      const out = await fetch(`${baseUrl}/api/v1/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(out.status).toBe(204);
      for (const base of bases) await eventually(async () => (await me(base)).status === 401, 10_000, 50);
      expect((await post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('turns a domain error thrown in a service into its code and mapped HTTP status', async () => {
    const res = await post('/auth/login', { username: 'bm0100', password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误' });
  });

  it('refuses a protected route without a valid token', async () => {
    const none = await fetch(`${baseUrl}/api/v1/me`);
    expect(none.status).toBe(401);
    expect((await none.json()).code).toBe('UNAUTHENTICATED');
    const forged = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(forged.status).toBe(401);
  });

  it('answers bad input with 400 and a Chinese message, never 500', async () => {
    const missing = await post('/auth/login', { username: 'bm0100' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'password' }] });
    const malformed = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{bad',
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).code).toBe('VALIDATION_FAILED');
    const unknown = await fetch(`${baseUrl}/api/v1/no-such-thing`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe('NOT_FOUND');
  });

  it('serves the offline client, as a page and as a one-file download, and the form schema, without login', async () => {
    const page = await fetch(`${baseUrl}/client`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html');
    expect(html).not.toMatch(/<script[^>]+src=/);
    const download = await fetch(`${baseUrl}/client/download`);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="${'_'.repeat(14)}.html"; filename*=UTF-8''${encodeURIComponent('政府网站基本信息离线填报工具.html')}`,
    );
    expect(await download.text()).toBe(html);
    // Sent gzipped to a browser that accepts it (the 1.3 MB page to a county on a slow link),
    // as it is to one that does not.
    const gzipped = await fetch(`${baseUrl}/client`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.text()).toBe(html);
    const plain = await fetch(`${baseUrl}/client`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    const schema = await fetch(`${baseUrl}/api/v1/public/form-schema`);
    expect(schema.status).toBe(200);
    const body = await schema.json();
    expect(body.properties.site.properties.siteName.title).toBe('网站名称');
    expect(body.properties.principal.properties.mobile.pattern).toBe('^1\\d{10}$');
  });

  it('runs the validation pipe inside the service too (payload classes are checked on the bus)', async () => {
    const bus = system.gateway.get(BusClient);
    const error = await bus
      .request(IdentitySubjects.login, { username: 'bm0100', password: 'x', client: '127.0.0.1', extra: true } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'extra' }] });
  });

  it('carries the correlation id from the HTTP request to the service that handled it', async () => {
    const correlationId = `test-${Date.now()}`;
    const res = await post(
      '/auth/login',
      { username: 'bm0100', password: ROOT_PASSWORD },
      { [CORRELATION_HEADER]: correlationId },
    );
    expect(res.headers.get(CORRELATION_HEADER)).toBe(correlationId);
    const entries = logLines
      .flatMap((chunk) => chunk.split('\n').filter((line) => line.startsWith('{')))
      .map((line) => JSON.parse(line));
    // The gateway's access line carries the id too (test/operations/observability.e2e-spec.ts).
    const handled = entries.filter((entry) => entry.correlationId === correlationId && entry.context !== 'Access');
    expect(handled).toEqual([
      expect.objectContaining({
        service: 'identity',
        msg: 'bus message handled',
        outcome: 'ok',
        subject: `${infra.subjectPrefix}.${IdentitySubjects.login.name}`,
      }),
    ]);
  });

  it('answers 503 when a service takes the message but does not reply within the timeout', async () => {
    const stopSilent = await subscribeSilently(
      kind,
      infra,
      system,
      `${infra.subjectPrefix}.${IdentitySubjects.login.name}`,
    );
    const identity = system.services.get('identity')!;
    await identity.close();
    system.services.delete('identity');
    try {
      const started = Date.now();
      const res = await post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用，请稍后重试' });
      // It waited for the configured timeout (4 s), and not much longer.
      expect(Date.now() - started).toBeGreaterThanOrEqual(3900);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await stopSilent();
    }
  });

  it('reports a stopped service as unreachable (503) and answers its routes with 503', async () => {
    expect(system.services.has('identity')).toBe(false);
    const res = await post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    const health = await fetch(`${baseUrl}/api/v1/health`);
    expect(health.status).toBe(503);
    const body = await health.json();
    expect(body.services.identity).toEqual({ status: 'unreachable' });
    expect(body.services.review.status).toBe('up');
    await expect(system.gateway.get(BusClient).request(healthSubject('review'), {})).resolves.toMatchObject({
      service: 'review',
    });
  });
});

/** A subscriber that takes messages on `subject` and never answers (a hung service). */
async function subscribeSilently(
  kind: TransportKind,
  infra: TestInfrastructure,
  system: RunningSystem,
  subject: string,
): Promise<() => Promise<void>> {
  if (kind === 'in-process') {
    const transport = system.gateway.get<InProcessTransport>(BUS_TRANSPORT);
    return Promise.resolve(transport.broker.subscribe(subject, 'silent', () => undefined)).then(
      (unsubscribe) => async () => unsubscribe(),
    );
  }
  const connection = await connect({ servers: testNatsUrl() });
  connection.subscribe(subject, { queue: 'silent' });
  await connection.flush();
  return () => connection.close();
}
