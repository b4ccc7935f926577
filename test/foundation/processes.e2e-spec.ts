import { serviceProcessEnv, startTestInfrastructure, TestInfrastructure } from '@app/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from '../../apps/standalone/src/free-port';

const ROOT = resolve(__dirname, '../..');

/** Every app as its own OS process over real NATS, started the way operators start them. */
describe('each app as its own process (npm run start:svc)', () => {
  let infra: TestInfrastructure;
  const children = new Map<string, ChildProcess>();
  let port: number;
  /** Health answers while the processes boot and the first start runs. */
  const seen: Array<{ status: string; progress?: unknown }> = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'ignore' });
    infra = await startTestInfrastructure();
    port = await freePort();
    const env = serviceProcessEnv(infra, {
      SUPPORT_PASSWORD: 'Support-Pass-2026',
      AUDITOR_PASSWORD: 'Auditor-Pass-2026',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    for (const app of ['identity', 'hierarchy', 'intake', 'review', 'files', 'notification', 'assessment', 'gateway']) {
      children.set(
        app,
        spawn(process.execPath, [join(ROOT, 'scripts/start-svc.js'), app], { cwd: ROOT, env, stdio: 'ignore' }),
      );
    }
    await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined);
      if (!res) return false;
      seen.push((await res.json()) as { status: string; progress?: unknown });
      return res.status === 200;
    });
  });

  afterAll(async () => {
    await Promise.all([...children.values()].map((child) => stop(child, 'SIGKILL')));
    await infra?.teardown();
  });

  it('serves health and login across processes, and sees a stopped process go down', async () => {
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bm0100', password: 'Root-Pass-2026' }),
    });
    expect(login.status).toBe(200);
    // The gateway said "up" only once the first start was over: the root's token has its unit.
    const { accessToken } = (await login.clone().json()) as { accessToken: string };
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect((await me.json()).orgUnitId).toEqual(expect.any(String));
    for (const answer of seen.filter((body) => body.status === 'starting'))
      expect(answer.progress).toMatchObject({ units: { total: 19 }, accounts: { total: 19 } });
    // A request for the user: the gateway signs the actor, notification verifies it with the
    // public key from its own environment.
    const notices = await fetch(`http://127.0.0.1:${port}/api/v1/notices`, {
      headers: { authorization: `Bearer ${(await login.json()).accessToken}` },
    });
    expect(notices.status).toBe(200);

    expect(await stop(children.get('review')!, 'SIGTERM')).toBe(0);
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(health.status).toBe(503);
    const body = await health.json();
    expect(body.services.review).toEqual({ status: 'unreachable' });
    expect(body.services.identity.status).toBe('up');
  });

  it('refuses to start a service without NATS_URL or the gateway’s public key, with a message saying why', () => {
    let message = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts/start-svc.js'), 'review'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
        stdio: 'pipe',
      });
    } catch (err) {
      message = String((err as { stderr: Buffer }).stderr);
    }
    expect(message).toContain('NATS_URL');
    expect(message).toContain('BUS_ACTOR_PUBLIC_KEY');
  });
});

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}
