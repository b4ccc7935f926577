import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { ApiClient, createTestDatabase, eventually, loginDownTheTree, TestDatabase, testNatsUrl } from '@app/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cluster, ClusterApp, ClusterMember, ClusterOptions } from '../../apps/standalone/src/cluster';
import { freePort } from '../../apps/standalone/src/free-port';

export const ROOT = resolve(__dirname, '../..');
export const ROOT_PASSWORD = 'Root-Pass-2026';
const NATS_SERVER = process.env.NATS_SERVER_PATH ?? '/usr/sbin/nats-server';

export interface TestCluster {
  cluster: Cluster;
  /** The gateway, not logged in. */
  api: ApiClient;
  /** Children that exited unasked, as `name: code/signal` (a fault test expects none). */
  unexpectedExits: string[];
  /** The last lines the children logged, prefixed with their names (shown when a test fails). */
  logs: string[];
  teardown(): Promise<void>;
}

/**
 * `npm run cluster` (the same Cluster) for one test file, from the `dist/` built before the
 * run: its own data directory (mail as .eml files, the embedded S3's objects), its own subject
 * prefix on NATS and, unless `databaseUrl` is given, a fresh test database.
 */
export async function startTestCluster(
  options: {
    natsUrl?: string;
    databaseUrl?: string;
    appEnv?: Partial<Record<ClusterApp, Record<string, string>>>;
    replicas?: ClusterOptions['replicas'];
  } = {},
): Promise<TestCluster> {
  const database: TestDatabase | undefined = options.databaseUrl ? undefined : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'gsr-cluster-'));
  const unexpectedExits: string[] = [];
  const logs: string[] = [];
  const cluster = new Cluster({
    root: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NATS_URL: options.natsUrl ?? testNatsUrl(),
      BUS_SUBJECT_PREFIX: `f${randomBytes(5).toString('hex')}`,
      DATABASE_URL: options.databaseUrl ?? database!.url,
      DATABASE_POOL_SIZE: '3',
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      ROOT_PASSWORD,
      SUPPORT_PASSWORD: 'Support-Pass-2026',
      AUDITOR_PASSWORD: 'Auditor-Pass-2026',
      PRESET_TREE: 'sample',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      TOKEN_VERSION_CACHE_MS: '1000',
    },
    appEnv: options.appEnv,
    replicas: options.replicas,
    say: (line) => logs.push(line),
    log: (member, line) => {
      logs.push(`${member} | ${line}`);
      if (logs.length > 400) logs.splice(0, logs.length - 400);
    },
    onUnexpectedExit: (member, code, signal) => unexpectedExits.push(`${member.name}: ${code ?? signal}`),
  });
  const teardown = async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  try {
    await cluster.start();
  } catch (err) {
    await teardown().catch(() => undefined);
    throw new Error(`${String(err)}\n${logs.slice(-40).join('\n')}`);
  }
  return { cluster, api: new ApiClient(cluster.gatewayUrl), unexpectedExits, logs, teardown };
}

/** A package of `count` sample forms starting at `first`, as a city's filler exports it. */
export function samplePackage(count: number, first: number): Promise<Uint8Array> {
  const forms = Array.from({ length: count }, (_, i) => createSampleForm(first + i));
  return writePackage(forms, { fillerUnit: '秦皇岛市人民政府办公室', generator: { name: 'test', version: '1' } });
}

/** The sample tree's accounts: root, 河北省, 秦皇岛市 (and 海港区 when asked), logged in. */
export function unitClients(api: ApiClient, codes = ['130000', '130300']): Promise<Map<string, ApiClient>> {
  return loginDownTheTree(api, ROOT_PASSWORD, codes);
}

/** Every object the embedded S3 keeps (s3rver: one `*._S3rver_object` file per object). */
export function storedObjects(cluster: Cluster): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('._S3rver_object')) found.push(path);
    }
  };
  walk(join(cluster.dataDir, 'objects'));
  return found.sort();
}

/** One of a member's probes (`/livez`, `/readyz` on its HEALTH_PORT). */
export async function probe(
  member: ClusterMember,
  path: '/livez' | '/readyz',
): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`http://127.0.0.1:${member.healthPort}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** A NATS server (JetStream on) of a test file's own, on a free port; stop and start it again. */
export class PrivateNats {
  private child?: ChildProcess;
  private readonly storeDir = mkdtempSync(join(tmpdir(), 'gsr-nats-'));
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateNats> {
    const nats = new PrivateNats(await freePort());
    await nats.start();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], {
      stdio: 'ignore',
    });
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${this.port}`).catch((err: { cause?: { code?: string } }) => err);
      // Anything but "refused" means the port is open (NATS does not speak HTTP).
      return !(res instanceof Error && (res as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED');
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((done) => {
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
