import { ApiClient, eventually, serviceProcessEnv, startTestInfrastructure, TestInfrastructure } from '@app/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from '../../apps/standalone/src/free-port';

const ROOT = resolve(__dirname, '../..');
const NATS_SERVER = process.env.NATS_SERVER_PATH ?? '/usr/sbin/nats-server';
const APPS = ['identity', 'hierarchy', 'intake', 'review', 'files', 'notification', 'gateway'] as const;
type App = (typeof APPS)[number];
/** Longer than the old client's whole retry budget (10 attempts × 2 s). */
const OUTAGE_MS = 25_000;

interface ProbeAnswer {
  status: number;
  body: Record<string, any>;
}

/**
 * Every app as its own process (npm run start:svc) on a NATS server of this file's own, each
 * with its probe port (HEALTH_PORT). NATS is stopped for longer than 20 s and started again on
 * the same port: meanwhile the probes say the bus is down (alive, not ready), the gateway
 * answers 503 with Retry-After; afterwards every app is ready again and the system works,
 * with no process restarted.
 */
describe('NATS down for longer than 20 s, then back', () => {
  let infra: TestInfrastructure;
  let natsPort: number;
  let nats: ChildProcess | undefined;
  const children = new Map<App, ChildProcess>();
  const healthPorts = new Map<App, number>();
  const envs = new Map<App, NodeJS.ProcessEnv>();
  const spawnApp = (app: App) =>
    spawn(process.execPath, [join(ROOT, 'scripts/start-svc.js'), app], {
      cwd: ROOT,
      env: envs.get(app),
      stdio: 'ignore',
    });
  let api: ApiClient;

  const startNats = async () => {
    nats = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(natsPort)], { stdio: 'ignore' });
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${natsPort}`).catch((err: { cause?: { code?: string } }) => err);
      // Anything but "refused" means the port is open (NATS does not speak HTTP).
      return !(res instanceof Error && (res as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED');
    });
  };

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'ignore' });
    infra = await startTestInfrastructure();
    natsPort = await freePort();
    await startNats();
    const gatewayPort = await freePort();
    const env = serviceProcessEnv(infra, {
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      PORT: String(gatewayPort),
      LOG_LEVEL: 'silent',
      TOKEN_VERSION_CACHE_MS: '1000',
    });
    for (const app of APPS) {
      healthPorts.set(app, await freePort());
      const own = {
        HEALTH_PORT: String(healthPorts.get(app)),
        // Notification gives the bus 5 s before its liveness asks for a restart; the others the default (300 s).
        ...(app === 'notification' && { BUS_DOWN_RESTART_SECONDS: '5' }),
      };
      envs.set(app, { ...env, ...own });
      children.set(app, spawnApp(app));
    }
    api = new ApiClient(`http://127.0.0.1:${gatewayPort}`);
    await eventually(async () => (await api.get('/health').catch(() => undefined))?.status === 200, 120_000, 500);
  });

  afterAll(async () => {
    await Promise.all([...children.values()].map((child) => stop(child, 'SIGKILL')));
    if (nats) await stop(nats, 'SIGKILL');
    await infra?.teardown();
  });

  const probe = async (app: App, path: '/livez' | '/readyz'): Promise<ProbeAnswer> => {
    const res = await fetch(`http://127.0.0.1:${healthPorts.get(app)}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('answers live and ready on each app’s own port, the gateway reporting each service', async () => {
    for (const app of APPS) {
      expect([app, await probe(app, '/livez')]).toEqual([
        app,
        { status: 200, body: expect.objectContaining({ status: 'live', bus: 'up' }) },
      ]);
      const ready = await probe(app, '/readyz');
      expect([app, ready.status, ready.body.status, ready.body.checks.bus]).toEqual([app, 200, 'ready', 'up']);
      // Every service is ready only with its database; the gateway has none.
      expect([app, ready.body.checks.database]).toEqual([app, app === 'gateway' ? undefined : 'up']);
    }
    // Each service as the gateway sees it (asked with a 2 s limit: on a loaded machine one may
    // miss a round, so the answer is awaited, not taken from the first look).
    await eventually(async () => {
      const services = (await probe('gateway', '/readyz')).body.services as Record<string, string>;
      return Object.keys(services).length === 6 && Object.values(services).every((state) => state === 'up');
    });
    const unknown = await fetch(`http://127.0.0.1:${healthPorts.get('review')}/metrics`);
    expect(unknown.status).toBe(404);
  });

  it('keeps the gateway ready with a service down, naming the service in the body', async () => {
    expect(await stop(children.get('files')!, 'SIGTERM')).toBe(0);
    const ready = await probe('gateway', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.services.files).toBe('unreachable');
    expect(Object.keys(ready.body.services).sort()).toEqual([
      'files',
      'hierarchy',
      'identity',
      'intake',
      'notification',
      'review',
    ]);
    // For people, /api/v1/health still says the system is not whole.
    expect((await api.get('/health')).status).toBe(503);
    children.set('files', spawnApp('files'));
    await eventually(async () => (await probe('files', '/readyz').catch(() => undefined))?.status === 200, 60_000, 250);
  });

  it('survives NATS being away for longer than 20 s, with no process restarted', async () => {
    const root = await api.login('bm0100', 'Root-Pass-2026');
    expect((await root.get('/notices')).status).toBe(200);
    const pids = new Map([...children].map(([app, child]) => [app, child.pid]));

    await stop(nats!, 'SIGTERM');
    const outageEnds = Date.now() + OUTAGE_MS;

    // Meanwhile: every app alive but not ready, the bus named as what is down.
    await eventually(async () => {
      for (const app of APPS) if ((await probe(app, '/readyz')).status !== 503) return false;
      return true;
    });
    for (const app of APPS) {
      const ready = await probe(app, '/readyz');
      expect([app, ready.body.status, ready.body.down]).toEqual([app, 'not-ready', expect.arrayContaining(['bus'])]);
    }
    const during = await root.get('/notices');
    expect([during.status, during.body.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(during.headers.get('retry-after')).toBe('5');
    const health = await api.get('/health');
    expect([health.status, health.body.bus]).toEqual([503, 'down']);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    // Past its BUS_DOWN_RESTART_SECONDS (5 s), notification's liveness asks for a restart; the
    // others (300 s) are still alive.
    const asksRestart = await probe('notification', '/livez');
    expect([asksRestart.status, asksRestart.body.status]).toEqual([503, 'restart']);
    for (const app of APPS.filter((name) => name !== 'notification')) {
      const live = await probe(app, '/livez');
      expect([app, live.status, live.body.bus]).toEqual([app, 200, 'down']);
    }
    for (const [app, child] of children) expect([app, child.exitCode, child.signalCode]).toEqual([app, null, null]);

    await startNats();

    // Back by themselves: every app ready, the system whole and working, the same processes.
    await eventually(
      async () => {
        for (const app of APPS) if ((await probe(app, '/readyz')).status !== 200) return false;
        return true;
      },
      60_000,
      250,
    );
    await eventually(async () => (await api.get('/health')).status === 200, 30_000, 250);
    expect((await probe('notification', '/livez')).status).toBe(200);
    const again = await api.login('bm0100', 'Root-Pass-2026');
    expect((await again.get('/notices')).status).toBe(200);
    expect((await again.get('/forms')).status).toBe(200);
    expect((await again.get('/files')).status).toBe(200);
    expect(new Map([...children].map(([app, child]) => [app, child.pid]))).toEqual(pids);
    for (const [app, child] of children) expect([app, child.exitCode]).toEqual([app, null]);
  });
});

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
