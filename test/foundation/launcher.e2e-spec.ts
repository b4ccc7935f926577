import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
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

/** The launcher's embedded PostgreSQL, for checks the API does not offer in one look. */
async function embeddedDatabase(dataDir: string): Promise<Client> {
  const port = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const { databasePassword } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
    databasePassword: string;
  };
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: databasePassword, database: 'gsr' });
  await client.connect();
  return client;
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

  it('says "starting" with its progress until the tree, every account and every workbook exist, and only then prints the ready line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gsr-first-'));
    dirs.push(dir);
    const port = await freePort();
    const launched = launch({ PORT: String(port), DATA_DIR: dir, ROOT_PASSWORD: 'First-Root-2026' });
    running.push(launched);

    // From the launch to the ready line: every answer of health, and of a login, as they come.
    const seen: Array<{ status: number; body: { status?: string; progress?: unknown } }> = [];
    const logins: Array<{ status: number; code?: string }> = [];
    while (!launched.output().includes('已启动')) {
      if (launched.child.exitCode !== null) throw new Error(`launcher exited: ${launched.output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined);
      if (res) {
        seen.push({ status: res.status, body: (await res.json()) as (typeof seen)[number]['body'] });
        if (seen.at(-1)!.body.status === 'starting' && logins.length === 0) {
          const answer = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'bm0100', password: 'First-Root-2026' }),
          });
          logins.push({ status: answer.status, code: ((await answer.json()) as { code?: string }).code });
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    const starting = seen.filter((answer) => answer.body.status === 'starting');
    expect(starting.length).toBeGreaterThan(0);
    for (const answer of starting) {
      expect(answer.status).toBe(503);
      expect(answer.body.progress).toEqual({
        units: { done: expect.any(Number), total: 19 },
        accounts: { done: expect.any(Number), total: 19 },
        workbooks: { done: expect.any(Number), total: expect.any(Number) },
      });
    }
    // "starting" until ready, then never again (the ready line follows within one look of the launcher);
    // a login meanwhile was refused, not given a token without a unit.
    const firstUp = seen.findIndex((answer) => answer.status === 200);
    if (firstUp >= 0) expect(seen.slice(firstUp).every((answer) => answer.status === 200)).toBe(true);
    expect(seen.findIndex((answer) => answer.body.status === 'starting')).toBe(0);
    if (logins.length) expect(logins[0]).toEqual({ status: 503, code: 'SERVICE_STARTING' });

    // Once the ready line is out: health 200, the root's token has its unit, every account and workbook exists.
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bm0100', password: 'First-Root-2026' }),
    });
    expect(res.status).toBe(200);
    const { accessToken } = (await res.json()) as { accessToken: string };
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(((await me.json()) as { orgUnitId: string | null }).orgUnitId).toEqual(expect.any(String));
    const db = await embeddedDatabase(dir);
    try {
      const { rows } = await db.query<{ units: number; accounts: number; parents: number; workbooks: number }>(
        `SELECT (SELECT count(*)::int FROM hierarchy.org_unit) AS units,
                (SELECT count(*)::int FROM identity.account a
                   WHERE a.org_unit_id IN (SELECT id FROM hierarchy.org_unit)) AS accounts,
                (SELECT count(DISTINCT parent_id)::int FROM hierarchy.org_unit) AS parents,
                (SELECT count(*)::int FROM files.file f WHERE f.kind = 'credential-workbook'
                   AND f.owner_org_unit_id IN (SELECT parent_id FROM hierarchy.org_unit)) AS workbooks`,
      );
      expect(rows[0]).toEqual({ units: 19, accounts: 19, parents: rows[0].workbooks, workbooks: expect.any(Number) });
      expect(rows[0].workbooks).toBeGreaterThan(1);
      // The services reach it over its Unix-domain socket, in its own data directory (mode 0700);
      // loopback TCP (this check's own connection) stays open for tools.
      const { rows: connections } = await db.query<{ socket: number; tcp: number }>(
        `SELECT count(*) FILTER (WHERE client_addr IS NULL)::int AS socket, count(client_addr)::int AS tcp
           FROM pg_stat_activity WHERE application_name LIKE 'gsr-%'`,
      );
      expect(connections[0].socket).toBeGreaterThan(0);
      expect(connections[0].tcp).toBe(0);
      const port = readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
      expect(existsSync(join(dir, 'postgres', `.s.PGSQL.${port}`))).toBe(true);
      expect(statSync(join(dir, 'postgres')).mode & 0o077).toBe(0);
    } finally {
      await db.end();
    }
    launched.child.kill('SIGINT');
    expect(await launched.exited).toBe(0);
  });
});
