import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../apps/standalone/src/free-port';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/apps/standalone/src/main.js');

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the launcher exactly as `npm start` does (after the build), with its own env. */
function launch(env: Record<string, string>): Launched {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    // The small tree: this is about the launcher, not the seed (org-accounts seeds the country).
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      LOG_LEVEL: 'warn',
      PRESET_TREE: 'sample',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(launched: Launched): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!launched.output().includes('已启动')) {
    if (launched.child.exitCode !== null) throw new Error(`launcher exited: ${launched.output()}`);
    if (Date.now() > deadline) throw new Error(`launcher not ready: ${launched.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function login(port: number, password: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bm0100', password }),
  });
  return res.status;
}

// Four first and second starts of the launcher, each up to 90 s on a busy machine (waitForReady).
jest.setTimeout(300_000);

/** `npm start` as a newcomer runs it: embedded PostgreSQL and S3, no NATS, its own data dir. */
describe('the all-in-one launcher', () => {
  const dirs: string[] = [];
  const running: Launched[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'ignore' });
  });

  afterAll(async () => {
    for (const launched of running) if (launched.child.exitCode === null) launched.child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs two instances side by side, stops cleanly on Ctrl-C, keeps the data, and recovers from a kill -9', async () => {
    const [dirA, dirB] = [mkdtempSync(join(tmpdir(), 'gsr-a-')), mkdtempSync(join(tmpdir(), 'gsr-b-'))];
    dirs.push(dirA, dirB);
    const [portA, portB] = [await freePort(), await freePort()];
    const a = launch({ PORT: String(portA), DATA_DIR: dirA, ROOT_PASSWORD: 'Alpha-Root-2026' });
    const b = launch({ PORT: String(portB), DATA_DIR: dirB, ROOT_PASSWORD: 'Bravo-Root-2026' });
    running.push(a, b);
    await Promise.all([waitForReady(a), waitForReady(b)]);

    for (const port of [portA, portB]) expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
    expect(await login(portA, 'Alpha-Root-2026')).toBe(200);
    expect(await login(portB, 'Bravo-Root-2026')).toBe(200);
    // Separate data: A's password is not B's.
    expect(await login(portB, 'Alpha-Root-2026')).toBe(401);
    expect(a.output()).toContain(`http://localhost:${portA}/`);
    // Support and auditor passwords were not given: printed once at first start.
    expect(a.output()).toMatch(/support\s+初始密码 [A-HJ-NP-Za-km-z2-9]{10}/);

    const pids = [postmasterPid(dirA), postmasterPid(dirB)];
    a.child.kill('SIGINT');
    b.child.kill('SIGINT');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(dirA, 'postgres', 'postmaster.pid'))).toBe(false);

    // Second start of A: same data, a different ROOT_PASSWORD is ignored, nothing printed again.
    const again = launch({ PORT: String(portA), DATA_DIR: dirA, ROOT_PASSWORD: 'Changed-Root-2026' });
    running.push(again);
    await waitForReady(again);
    expect(await login(portA, 'Alpha-Root-2026')).toBe(200);
    expect(await login(portA, 'Changed-Root-2026')).toBe(401);
    expect(again.output()).not.toContain('初始密码');

    // Killed outright: its PostgreSQL is orphaned. The next start stops it and carries on.
    const orphan = postmasterPid(dirA);
    again.child.kill('SIGKILL');
    await again.exited;
    expect(isAlive(orphan)).toBe(true);
    const recovered = launch({ PORT: String(portA), DATA_DIR: dirA });
    running.push(recovered);
    await waitForReady(recovered);
    expect(isAlive(orphan)).toBe(false);
    expect(await login(portA, 'Alpha-Root-2026')).toBe(200);
    recovered.child.kill('SIGTERM');
    expect(await recovered.exited).toBe(0);
  });
});
