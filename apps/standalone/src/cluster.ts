import { actorPublicKeyOf, generateActorKeyPair } from '@app/platform';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { freePort } from './free-port';
import { mallocSettingsFor } from './malloc-settings';
import { loadOrCreateSecrets } from './secrets';

/** The apps of the split deployment, in start order (the gateway last, see docs/OPERATIONS.md). */
export const SERVICE_APPS = [
  'hierarchy',
  'identity',
  'files',
  'intake',
  'review',
  'notification',
  'assessment',
] as const;
type ServiceApp = (typeof SERVICE_APPS)[number];
export type ClusterApp = ServiceApp | 'gateway';

export interface ClusterMember {
  /** `gateway`, `identity`, …, `intake-1`, `intake-2`, `s3` (an app run twice or more is numbered). */
  name: string;
  app: ClusterApp | 's3';
  child: ChildProcess;
  pid: number;
  /** The probe port (`/livez`, `/readyz`); none for s3. */
  healthPort?: number;
  /** Resolves once this process has exited (its exit code, or null after a signal). */
  exited: Promise<number | null>;
}

export interface ClusterOptions {
  /** The repository root: children run `dist/` from here, built beforehand (never by the cluster). */
  root: string;
  /**
   * The environment the cluster's settings are read from (NATS_URL, DATABASE_URL, S3_*, DATA_DIR,
   * PORT, CLUSTER_*) and every child inherits, with what the cluster sets on top.
   */
  env: NodeJS.ProcessEnv;
  /**
   * How many processes of a service (default 1, intake 2; the gateway is one): a service run
   * more than once has its processes numbered (`intake-1`, `intake-2`), one run once is named
   * after the app.
   */
  replicas?: Partial<Record<ServiceApp, number>>;
  /** Extra variables for one app's processes (e.g. a test's BUS_DOWN_RESTART_SECONDS). */
  appEnv?: Partial<Record<ClusterApp, Record<string, string>>>;
  /** One line for the operator (Chinese). */
  say(line: string): void;
  /** One line a child wrote on stdout or stderr. */
  log(member: string, line: string): void;
  /** A child exited that nobody asked to stop. */
  onUnexpectedExit(member: ClusterMember, code: number | null, signal: NodeJS.Signals | null): void;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** Connections per process unless DATABASE_POOL_SIZE is set: 8 processes × 4 stays far below 100. */
const CLUSTER_POOL_SIZE = 4;
/** SIGTERM, then this long (intake's IMPORT_SHUTDOWN_MS is 15 s), then SIGKILL. */
const STOP_GRACE_MS = 30_000;

/**
 * Every app as its own OS process over NATS, PostgreSQL and S3: what `npm run cluster` runs
 * and the faults suite (test/faults) drives. Runs the built `dist/` (build once, before);
 * S3 is S3_* if given, otherwise the embedded s3rver as a process of its own; the database is
 * DATABASE_URL if given, otherwise CLUSTER_DATABASE (created when missing) on the server of
 * CLUSTER_DATABASE_ADMIN_URL.
 */
export class Cluster {
  readonly members = new Map<string, ClusterMember>();
  /** The gateway's HTTP address, e.g. http://127.0.0.1:3000. */
  gatewayUrl = '';
  databaseUrl = '';
  s3 = { endpoint: '', accessKey: '', secretKey: '' };
  dataDir = '';
  private readonly envs = new Map<string, NodeJS.ProcessEnv>();
  private readonly expected = new Set<ClusterMember>();
  private stopping = false;

  constructor(private readonly options: ClusterOptions) {}

  /** Starts every process and resolves once the system is up (`/api/v1/health` 200). */
  async start(): Promise<void> {
    const { env, root } = this.options;
    this.dataDir = resolve(root, env.DATA_DIR ?? '.data/cluster');
    mkdirSync(this.dataDir, { recursive: true });
    const secrets = loadOrCreateSecrets(this.dataDir);
    const natsUrl = env.NATS_URL ?? 'nats://127.0.0.1:4222';
    this.databaseUrl = env.DATABASE_URL ?? (await ensureDatabase(env));

    if (env.S3_ENDPOINT) {
      this.s3 = { endpoint: env.S3_ENDPOINT, accessKey: env.S3_ACCESS_KEY ?? '', secretKey: env.S3_SECRET_KEY ?? '' };
    } else {
      const objects = join(this.dataDir, 'objects');
      const member = this.spawnMember('s3', 's3', join(root, 'dist/apps/standalone/src/s3-main.js'), [objects], {
        ...env,
      });
      this.s3 = await firstJsonLine(member);
      this.options.say(`s3　pid ${member.pid}　${this.s3.endpoint}　数据目录 ${objects}`);
    }

    const actorPrivateKey = env.BUS_ACTOR_PRIVATE_KEY ?? generateActorKeyPair().privateKey;
    const gatewayPort = Number(env.PORT ?? 3000);
    this.gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const common: NodeJS.ProcessEnv = {
      ...env,
      NATS_URL: natsUrl,
      DATABASE_URL: this.databaseUrl,
      S3_ENDPOINT: this.s3.endpoint,
      S3_ACCESS_KEY: this.s3.accessKey,
      S3_SECRET_KEY: this.s3.secretKey,
      DATA_DIR: this.dataDir,
      // Eight processes on one server (often shared, max_connections 100): small pools unless set.
      DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE ?? String(CLUSTER_POOL_SIZE),
      JWT_SECRET: env.JWT_SECRET ?? secrets.jwtSecret,
      ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? secrets.encryptionKey,
      BUS_ACTOR_PUBLIC_KEY: env.BUS_ACTOR_PUBLIC_KEY ?? actorPublicKeyOf(actorPrivateKey),
    };
    delete common.BUS_ACTOR_PRIVATE_KEY;
    const replicas = { intake: 2, ...this.options.replicas };
    const names: Array<[string, ClusterApp]> = [
      ...SERVICE_APPS.flatMap((app): Array<[string, ClusterApp]> => {
        const count = replicas[app] ?? 1;
        return count === 1
          ? [[app, app]]
          : Array.from({ length: count }, (_, i): [string, ClusterApp] => [`${app}-${i + 1}`, app]);
      }),
      ['gateway', 'gateway'],
    ];
    for (const [name, app] of names) {
      const own: NodeJS.ProcessEnv = {
        // As the image starts every app, and its deployments identity; the operator's own values
        // (in common) win.
        ...mallocSettingsFor(app),
        ...common,
        HEALTH_PORT: String(await freePort()),
        ...(app === 'gateway' && { PORT: String(gatewayPort), BUS_ACTOR_PRIVATE_KEY: actorPrivateKey }),
        ...this.options.appEnv?.[app],
      };
      this.envs.set(name, own);
    }
    for (const [name, app] of names) this.startMember(name, app);
    await this.untilUp();
    this.options.say(`全部进程已就绪：${this.gatewayUrl}/　数据目录 ${this.dataDir}`);
  }

  /** (Re)starts one app process with the environment it had, e.g. after `kill`. */
  startMember(name: string, app = appOf(name)): ClusterMember {
    const env = this.envs.get(name);
    if (!env) throw new Error(`unknown cluster member ${name}`);
    const member = this.spawnMember(name, app, join(this.options.root, 'dist', 'apps', app, 'src', 'main.js'), [], env);
    member.healthPort = Number(env.HEALTH_PORT);
    const port = app === 'gateway' ? `　${this.gatewayUrl}/` : '';
    this.options.say(`${name}　pid ${member.pid}${port}　探针 http://127.0.0.1:${member.healthPort}/readyz`);
    return member;
  }

  /** Sends `signal` to one process (asked for: not reported as unexpected) and waits for its exit. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const member = this.members.get(name);
    if (!member) throw new Error(`unknown cluster member ${name}`);
    if (member.child.exitCode !== null || member.child.signalCode !== null) return member.child.exitCode;
    this.expected.add(member);
    member.child.kill(signal);
    return member.exited;
  }

  /** Resolves once every app's `/readyz` answers 200 and the gateway's `/api/v1/health` says up. */
  async untilUp(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        [...this.members.values()]
          .filter((member) => member.healthPort)
          .map((member) => answers(`http://127.0.0.1:${member.healthPort}/readyz`)),
      );
      if (states.every(Boolean) && (await answers(`${this.gatewayUrl}/api/v1/health`))) return;
      if (Date.now() > deadline) throw new Error('集群未能在规定时间内就绪');
      await new Promise((done) => setTimeout(done, 500));
    }
  }

  /** Stops every process: SIGTERM (the gateway first, s3 last), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    const order = [...this.members.values()].sort((a, b) => rank(a) - rank(b));
    for (const group of [0, 1, 2]) {
      await Promise.all(
        order
          .filter((member) => rank(member) === group)
          .map(async (member) => {
            if (member.child.exitCode !== null || member.child.signalCode !== null) return;
            member.child.kill('SIGTERM');
            const timer = setTimeout(() => member.child.kill('SIGKILL'), STOP_GRACE_MS);
            await member.exited;
            clearTimeout(timer);
          }),
      );
    }
  }

  private spawnMember(
    name: string,
    app: ClusterApp | 's3',
    entry: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ): ClusterMember {
    // A process group of its own: Ctrl-C reaches the launcher only, which stops each child in order.
    const child = spawn(process.execPath, [entry, ...args], {
      cwd: this.options.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    for (const stream of [child.stdout!, child.stderr!])
      createInterface({ input: stream }).on('line', (line) => this.options.log(name, line));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const member: ClusterMember = { name, app, child, pid: child.pid ?? 0, exited };
    child.once('exit', (code, signal) => {
      if (this.stopping || this.expected.has(member)) return;
      this.options.onUnexpectedExit(member, code, signal);
    });
    this.members.set(name, member);
    return member;
  }
}

function appOf(name: string): ClusterApp {
  return name.replace(/-\d+$/, '') as ClusterApp;
}

function rank(member: ClusterMember): number {
  return member.app === 'gateway' ? 0 : member.app === 's3' ? 2 : 1;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** The first stdout line of a child, as JSON (s3-main prints its endpoint and keys). */
function firstJsonLine<T>(member: ClusterMember): Promise<T> {
  return new Promise((done, fail) => {
    const lines = createInterface({ input: member.child.stdout! });
    lines.once('line', (line) => done(JSON.parse(line) as T));
    member.exited.then((code) => fail(new Error(`s3 进程已退出（退出码 ${code}）`)), fail);
  });
}

/**
 * CLUSTER_DATABASE (default gsr_cluster) on the server of CLUSTER_DATABASE_ADMIN_URL, created
 * when missing; answers its URL. Kept between runs, like DATA_DIR.
 */
async function ensureDatabase(env: NodeJS.ProcessEnv): Promise<string> {
  const name = env.CLUSTER_DATABASE ?? 'gsr_cluster';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error('CLUSTER_DATABASE 只能包含小写字母、数字和下划线');
  const admin = env.CLUSTER_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
