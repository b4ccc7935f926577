import {
  AppConfig,
  BusTransport,
  generateActorKeyPair,
  InProcessTransport,
  loadConfig,
  NatsTransport,
} from '@app/platform';
import { startEmbeddedS3 } from '@app/storage';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../standalone/src/embedded-postgres';
import { RunningSystem, startSystem, untilStarted } from '../../standalone/src/system';
import { PROCESS_MALLOC_SETTINGS } from '../../standalone/src/malloc-settings';
import { BenchMode } from './report';

export const BENCH_ROOT_PASSWORD = 'Bench-Root-2026';

/** The NATS server of the `servers` mode (and of the benchmarks that are about NATS itself). */
export const BENCH_NATS_URL = process.env.BENCH_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
/** The PostgreSQL server of the `servers` mode: a fresh database is created on it per run, and dropped. */
export const BENCH_DATABASE_ADMIN_URL =
  process.env.BENCH_DATABASE_ADMIN_URL ??
  process.env.TEST_DATABASE_ADMIN_URL ??
  'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/** The mode the runner is in (set by main.ts for each pass). */
export function benchMode(): BenchMode {
  return process.env.BENCH_MODE === 'servers' ? 'servers' : 'embedded';
}

export interface BenchStorage {
  mode: BenchMode;
  dataDir: string;
  databaseUrl: string;
  s3: { endpoint: string; accessKey: string; secretKey: string };
  stop(): Promise<void>;
}

/**
 * A database and an object store for one benchmark, empty: in the `embedded` mode an embedded
 * PostgreSQL as `npm start` runs it; in the `servers` mode a fresh database on the PostgreSQL
 * server (dropped afterwards). Objects go to the embedded S3 in both (no S3 server here).
 */
export async function startBenchStorage(name: string, mode: BenchMode = benchMode()): Promise<BenchStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), `gsr-bench-${name}-`));
  const s3 = await startEmbeddedS3(join(dataDir, 'objects'));
  if (mode === 'servers') {
    const dbName = `gsr_bench_${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase();
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${dbName}" ENCODING 'UTF8' TEMPLATE template0`));
    const url = new URL(BENCH_DATABASE_ADMIN_URL);
    url.pathname = `/${dbName}`;
    return {
      mode,
      dataDir,
      databaseUrl: url.toString(),
      s3,
      stop: async () => {
        await s3.stop();
        await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const database = await startEmbeddedPostgres(dataDir, randomBytes(12).toString('hex'), () => undefined);
  return {
    mode,
    dataDir,
    databaseUrl: database.url,
    s3,
    stop: async () => {
      await s3.stop();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin(fn: (admin: Client) => Promise<unknown>): Promise<void> {
  const admin = new Client({ connectionString: BENCH_DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.end();
  }
}

/** The configuration of a benchmark's system on the given storage (fresh secrets each run). */
export function benchConfig(storage: BenchStorage, overrides: Partial<AppConfig> = {}): AppConfig {
  const actorKeys = generateActorKeyPair();
  return loadConfig(
    {},
    {
      PORT: 0,
      DATA_DIR: storage.dataDir,
      DATABASE_URL: storage.databaseUrl,
      S3_ENDPOINT: storage.s3.endpoint,
      S3_ACCESS_KEY: storage.s3.accessKey,
      S3_SECRET_KEY: storage.s3.secretKey,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      BUS_ACTOR_PRIVATE_KEY: actorKeys.privateKey,
      BUS_ACTOR_PUBLIC_KEY: actorKeys.publicKey,
      ROOT_PASSWORD: BENCH_ROOT_PASSWORD,
      SUPPORT_PASSWORD: 'Bench-Support-2026',
      AUDITOR_PASSWORD: 'Bench-Auditor-2026',
      LOG_LEVEL: 'error',
      ...(storage.mode === 'servers'
        ? { NATS_URL: BENCH_NATS_URL, BUS_SUBJECT_PREFIX: `bench${randomBytes(4).toString('hex')}` }
        : {}),
      ...overrides,
    },
  );
}

/** The bus of the mode: in-process for `embedded`, the NATS server for `servers`. */
export function benchTransport(config: AppConfig, mode: BenchMode = benchMode()): BusTransport {
  return mode === 'servers' ? new NatsTransport([BENCH_NATS_URL], config.BUS_SUBJECT_PREFIX) : new InProcessTransport();
}

export interface BenchSystem {
  system: RunningSystem;
  config: AppConfig;
  db: Client;
  baseUrl: string;
  startedAt: number;
  mode: BenchMode;
  stop(): Promise<void>;
}

/**
 * The whole system in one process on empty storage: in the `embedded` mode as `npm start` runs
 * it (embedded PostgreSQL and S3, in-process bus); in the `servers` mode on a fresh database of
 * the PostgreSQL server with the services talking over the NATS server.
 */
export async function startBenchSystem(
  name: string,
  overrides: Partial<AppConfig> = {},
  transportOf?: (config: AppConfig) => BusTransport,
): Promise<BenchSystem> {
  const storage = await startBenchStorage(name);
  const config = benchConfig(storage, overrides);
  const startedAt = Date.now();
  const system = await startSystem({ config, transport: (transportOf ?? benchTransport)(config) });
  // Login answers 503 SERVICE_STARTING until the first start's tree, accounts and workbooks exist.
  await untilStarted(system);
  const db = new Client({ connectionString: storage.databaseUrl });
  await db.connect();
  const baseUrl = (await system.gateway.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    system,
    config,
    db,
    baseUrl,
    startedAt,
    mode: storage.mode,
    stop: async () => {
      await db.end();
      await system.close();
      await storage.stop();
    },
  };
}

export async function count(db: Client, sql: string): Promise<number> {
  return (await db.query<{ n: number }>(sql)).rows[0].n;
}
/** Waits until the first start's seeding is over: every unit's account, every parent's workbook. */
export async function waitForSeed(
  db: Client,
  startedAt: number,
): Promise<{ units: number; parents: number; accountsAt: number; workbooksAt: number }> {
  const units = await count(db, 'SELECT count(*)::int AS n FROM hierarchy.org_unit');
  const parents = await count(
    db,
    'SELECT count(DISTINCT parent_id)::int AS n FROM hierarchy.org_unit WHERE parent_id IS NOT NULL',
  );
  let accountsAt = 0;
  let workbooksAt = 0;
  while (!workbooksAt) {
    const elapsed = Date.now() - startedAt;
    if (
      !accountsAt &&
      (await count(db, 'SELECT count(*)::int AS n FROM identity.account WHERE org_unit_id IS NOT NULL')) === units
    )
      accountsAt = elapsed;
    if (
      accountsAt &&
      (await count(db, 'SELECT count(*)::int AS n FROM files.file')) === parents &&
      (await count(db, 'SELECT count(*)::int AS n FROM files.workbook_refresh')) === 0
    )
      workbooksAt = elapsed;
    if (elapsed > 600_000) throw new Error('seeding did not finish in 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { units, parents, accountsAt, workbooksAt };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The built launcher of `npm start`. */
export const LAUNCHER = resolve(__dirname, '../../standalone/src/main.js');

/**
 * `npm start`'s launcher as a newcomer runs it: its own process on a DATA_DIR of its own, with
 * only PATH and HOME from this environment, the glibc settings `npm start` gives it and the given
 * settings; stdout and stderr piped.
 */
export function spawnLauncher(dataDir: string, port: number, settings: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [LAUNCHER], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      // As `npm start` sets them (package.json), unless this run was given its own.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? PROCESS_MALLOC_SETTINGS.MALLOC_ARENA_MAX,
      GLIBC_TUNABLES: process.env.GLIBC_TUNABLES ?? PROCESS_MALLOC_SETTINGS.GLIBC_TUNABLES,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'error',
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
