import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppConfig,
  BusTransport,
  generateActorKeyPair,
  InProcessBroker,
  InProcessTransport,
  loadConfig,
  LogLevelName,
  NatsTransport,
} from '@app/platform';
import { EmbeddedS3, startEmbeddedS3 } from '@app/storage';
import { createTestDatabase, TestDatabase } from './test-database';

export type TransportKind = 'nats' | 'in-process';

export function testNatsUrl(): string {
  return process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
}

/** Real servers for one test file: a fresh database, an S3 server, a subject prefix of its own. */
export interface TestInfrastructure {
  database: TestDatabase;
  s3: EmbeddedS3;
  /** Isolates this file's subjects on the shared NATS server. */
  subjectPrefix: string;
  /** DATA_DIR of this file's system (mail outbox). */
  dataDir: string;
  /**
   * The configuration of this file's system. Hierarchy seeds the sample tree (PRESET_TREE=sample:
   * the root, 河北省 with 石家庄市 and 秦皇岛市, …) unless a test about the seed itself asks for
   * `PRESET_TREE: 'national'`: seeding the country's 3,279 units and accounts takes most of a boot.
   */
  config(overrides?: Partial<AppConfig>): AppConfig;
  transport(kind: TransportKind, config: AppConfig, broker?: InProcessBroker): BusTransport;
  teardown(): Promise<void>;
}

export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  const database = await createTestDatabase();
  const objectsDir = mkdtempSync(join(tmpdir(), 'gsr-s3-'));
  const s3 = await startEmbeddedS3(objectsDir);
  const subjectPrefix = `t${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'gsr-data-'));
  const actorKeys = generateActorKeyPair();
  return {
    database,
    s3,
    subjectPrefix,
    dataDir,
    config: (overrides = {}) =>
      loadConfig(
        {},
        {
          PORT: 0,
          DATA_DIR: dataDir,
          DATABASE_URL: database.url,
          DATABASE_POOL_SIZE: 4,
          S3_ENDPOINT: s3.endpoint,
          S3_ACCESS_KEY: s3.accessKey,
          S3_SECRET_KEY: s3.secretKey,
          BUS_SUBJECT_PREFIX: subjectPrefix,
          // The product's default (10 s), not less: on a busy CI machine scrypt alone can take
          // seconds. A stopped service answers at once (no responders); only a hung one waits.
          BUS_TIMEOUT_MS: 10000,
          JWT_SECRET: randomBytes(32).toString('hex'),
          ENCRYPTION_KEY: randomBytes(32).toString('hex'),
          BUS_ACTOR_PRIVATE_KEY: actorKeys.privateKey,
          BUS_ACTOR_PUBLIC_KEY: actorKeys.publicKey,
          LOG_LEVEL: (process.env.TEST_LOG_LEVEL as LogLevelName | undefined) ?? 'silent',
          // Given, so first starts print no generated passwords into the test output.
          ROOT_PASSWORD: 'Root-Pass-2026',
          SUPPORT_PASSWORD: 'Support-Pass-2026',
          AUDITOR_PASSWORD: 'Auditor-Pass-2026',
          PRESET_TREE: 'sample',
          ...overrides,
        },
      ),
    transport: (kind, config, broker) =>
      kind === 'nats'
        ? new NatsTransport([testNatsUrl()], config.BUS_SUBJECT_PREFIX)
        : new InProcessTransport(broker ?? new InProcessBroker(), config.BUS_SUBJECT_PREFIX),
    teardown: async () => {
      await s3.stop().catch(() => undefined);
      rmSync(objectsDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    },
  };
}

/**
 * The environment of an app run as its own process (`scripts/start-svc.js <app>`) on this test
 * file's database and S3, with fresh bus keys and the test root password: what a deployment
 * sets, so each app boots as it would there. `extra` adds or overrides (NATS_URL, PORT, …).
 */
export function serviceProcessEnv(infra: TestInfrastructure, extra: Record<string, string>): Record<string, string> {
  const actorKeys = generateActorKeyPair();
  return {
    PATH: process.env.PATH ?? '',
    NATS_URL: testNatsUrl(),
    BUS_SUBJECT_PREFIX: infra.subjectPrefix,
    DATABASE_URL: infra.database.url,
    DATABASE_POOL_SIZE: '3',
    S3_ENDPOINT: infra.s3.endpoint,
    S3_ACCESS_KEY: infra.s3.accessKey,
    S3_SECRET_KEY: infra.s3.secretKey,
    JWT_SECRET: 'a-test-secret-that-is-at-least-32-characters',
    ENCRYPTION_KEY: 'ab'.repeat(32),
    BUS_ACTOR_PRIVATE_KEY: actorKeys.privateKey,
    BUS_ACTOR_PUBLIC_KEY: actorKeys.publicKey,
    DATA_DIR: infra.dataDir,
    ROOT_PASSWORD: 'Root-Pass-2026',
    // No probe ports unless asked: test files share this machine (9000–9006 are for containers).
    HEALTH_PORT: '0',
    // The small tree: these tests are about processes, not the seed.
    PRESET_TREE: 'sample',
    ...extra,
  };
}
