import { InProcessTransport, loadConfig } from '@app/platform';
import { startEmbeddedS3 } from '@app/storage';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../standalone/src/embedded-postgres';
import { startSystem } from '../../standalone/src/system';
import { BenchResult, sampleMemory } from './report';

/**
 * First start of the whole system on empty storage: seeding the national tree (~3,300
 * units), one account per unit (hash + sealed initial password) and every parent's
 * account workbook, all through the real services in one process.
 */
export async function seedBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gsr-bench-seed-'));
  const database = await startEmbeddedPostgres(dataDir, randomBytes(12).toString('hex'), () => undefined);
  const s3 = await startEmbeddedS3(join(dataDir, 'objects'));
  const config = loadConfig({}, {
    PORT: 0, DATA_DIR: dataDir, DATABASE_URL: database.url, S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey,
    JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex'), ROOT_PASSWORD: 'Bench-Root-2026', SUPPORT_PASSWORD: 'Bench-Support-2026', AUDITOR_PASSWORD: 'Bench-Auditor-2026', LOG_LEVEL: 'error',
  });
  const db = new Client({ connectionString: database.url });
  const peakMemory = sampleMemory();
  const started = Date.now();
  const system = await startSystem({ config, transport: new InProcessTransport() });
  const ready = Date.now() - started;
  await db.connect();
  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
  const units = await count('SELECT count(*)::int AS n FROM hierarchy.org_unit');
  const parents = await count('SELECT count(DISTINCT parent_id)::int AS n FROM hierarchy.org_unit WHERE parent_id IS NOT NULL');
  let accountsAt = 0;
  let workbooksAt = 0;
  while (!workbooksAt) {
    const elapsed = Date.now() - started;
    if (!accountsAt && (await count('SELECT count(*)::int AS n FROM identity.account WHERE org_unit_id IS NOT NULL')) === units) accountsAt = elapsed;
    if (accountsAt && (await count('SELECT count(*)::int AS n FROM files.file')) === parents && (await count('SELECT count(*)::int AS n FROM files.workbook_refresh')) === 0) workbooksAt = elapsed;
    if (elapsed > 600_000) throw new Error('seeding did not finish in 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const peak = peakMemory();
  await db.end();
  await system.close();
  await s3.stop();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return {
    name: 'seed',
    title: 'Seeding the national tree with accounts and workbooks (first start)',
    figures: [
      { label: 'org units seeded', value: String(units) },
      { label: 'parents with a workbook', value: String(parents) },
      { label: 'services booted, tree inserted (hierarchy ready)', value: seconds(ready) },
      { label: 'every unit has its account', value: seconds(accountsAt) },
      { label: 'every parent’s workbook stored', value: seconds(workbooksAt) },
      { label: 'accounts per second', value: String(Math.round(units / (accountsAt / 1000))) },
      { label: 'peak resident memory of the process', value: `${peak} MiB` },
    ],
    notes: [
      'One process: all six services and the gateway on the in-process bus, embedded PostgreSQL and S3 (s3rver) on the same 2-core machine.',
      'Initial passwords are hashed with scrypt N=2^10 (random 58-bit secrets; see the README security notes) in libuv’s pool, 8 at a time.',
      'Times are from the start of the boot; the account and workbook steps run after boot, through the transactional outboxes.',
    ],
  };
}
