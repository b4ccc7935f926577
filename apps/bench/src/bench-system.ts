import { AppConfig, BusTransport, generateActorKeyPair, InProcessTransport, loadConfig } from '@app/platform';
import { startEmbeddedS3 } from '@app/storage';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../standalone/src/embedded-postgres';
import { RunningSystem, startSystem, untilStarted } from '../../standalone/src/system';

export const BENCH_ROOT_PASSWORD = 'Bench-Root-2026';

export interface BenchSystem {
  system: RunningSystem;
  config: AppConfig;
  db: Client;
  baseUrl: string;
  startedAt: number;
  stop(): Promise<void>;
}

/** The whole system as `npm start` runs it (one process, embedded PostgreSQL and S3), on empty storage. */
export async function startBenchSystem(
  name: string,
  overrides: Partial<AppConfig> = {},
  transportOf: (config: AppConfig) => BusTransport = () => new InProcessTransport(),
): Promise<BenchSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), `gsr-bench-${name}-`));
  const database = await startEmbeddedPostgres(dataDir, randomBytes(12).toString('hex'), () => undefined);
  const s3 = await startEmbeddedS3(join(dataDir, 'objects'));
  const actorKeys = generateActorKeyPair();
  const config = loadConfig(
    {},
    {
      PORT: 0,
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      BUS_ACTOR_PRIVATE_KEY: actorKeys.privateKey,
      BUS_ACTOR_PUBLIC_KEY: actorKeys.publicKey,
      ROOT_PASSWORD: BENCH_ROOT_PASSWORD,
      SUPPORT_PASSWORD: 'Bench-Support-2026',
      AUDITOR_PASSWORD: 'Bench-Auditor-2026',
      LOG_LEVEL: 'error',
      ...overrides,
    },
  );
  const startedAt = Date.now();
  const system = await startSystem({ config, transport: transportOf(config) });
  // Login answers 503 SERVICE_STARTING until the first start's tree, accounts and workbooks exist.
  await untilStarted(system);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const baseUrl = (await system.gateway.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    system,
    config,
    db,
    baseUrl,
    startedAt,
    stop: async () => {
      await db.end();
      await system.close();
      await s3.stop();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
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
