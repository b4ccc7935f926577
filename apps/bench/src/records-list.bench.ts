import { Actor, RecordSubjects, RecordScope } from '@app/contracts';
import {
  ActorAssertionSigner,
  BusClient,
  generateActorKeyPair,
  InProcessTransport,
  loadConfig,
  newCorrelationId,
  runWithContext,
} from '@app/platform';
import { startEmbeddedS3 } from '@app/storage';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../standalone/src/embedded-postgres';
import { startSystem } from '../../standalone/src/system';
import { BenchResult, median, percentile } from './report';

const RECORDS = 1_000_000;
const PROVINCES = 32;
const CITIES_PER_PROVINCE = 10;
const COUNTIES_PER_CITY = 9;
const RUNS = 20;
/** A v4-shaped UUID from a name, so generated units pass the contracts' UUID checks. */
const UUID_OF = (name: string) =>
  `(substr(md5(${name}), 1, 12) || '4' || substr(md5(${name}), 14, 3) || '8' || substr(md5(${name}), 18))::uuid`;

/**
 * The list/search read side at 10x the national scale: 1,000,000 records owned by ~2,900
 * counties under 320 cities and 32 provinces, then GET /forms's bus request timed for the
 * root, a province, a city and a county, held and subtree, with and without a search.
 * (The rows are generated with SQL: this measures reading, not importing.)
 */
export async function recordsListBench(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gsr-bench-records-'));
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
      LOG_LEVEL: 'error',
    },
  );
  const system = await startSystem({ config, transport: new InProcessTransport() }, { services: ['review'] });
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const root = randomUUID();
  const started = Date.now();
  await db.query(
    `
    WITH units AS (
      SELECT c, (c / ${COUNTIES_PER_CITY}) AS city, (c / ${COUNTIES_PER_CITY * CITIES_PER_PROVINCE}) AS province FROM generate_series(0, ${PROVINCES * CITIES_PER_PROVINCE * COUNTIES_PER_CITY - 1}) AS c
    ), ids AS (
      SELECT c, ${UUID_OF("'p' || province")} AS p, ${UUID_OF("'c' || city")} AS ct, ${UUID_OF("'x' || c")} AS x, lpad(c::text, 6, '0') AS code FROM units
    )
    INSERT INTO review.record (id, owner_org_unit_id, owner_code, owner_chain, holder_org_unit_id, final_reviewer_org_unit_id, status, site_name, homepage_url, region_code, region_name, current_version, updated_at)
    SELECT gen_random_uuid(), ids.x, ids.code, ARRAY[$1::uuid, ids.p, ids.ct, ids.x], CASE WHEN i % 3 = 0 THEN ids.ct ELSE ids.x END, ids.p,
           CASE WHEN i % 3 = 0 THEN 'PENDING' ELSE 'DRAFT' END, '测试市第' || i || '号政府网站', 'http://www' || i || '.bench.gov.cn', ids.code, '测试', 1,
           now() - (i || ' seconds')::interval
      FROM generate_series(1, ${RECORDS}) AS i JOIN ids ON ids.c = i % ${PROVINCES * CITIES_PER_PROVINCE * COUNTIES_PER_CITY}`,
    [root],
  );
  await db.query('ANALYZE review.record');
  const loaded = Date.now() - started;
  const bus = system.gateway.get(BusClient);
  // Straight onto the bus, as the gateway calls it: with the actor signed.
  const signer = new ActorAssertionSigner(actorKeys.privateKey);
  const actorOf = (orgUnitId: string): Actor => ({
    accountId: randomUUID(),
    username: 'bench',
    orgUnitId,
    roles: ['ORG'],
  });
  const unit = async (prefix: string, n: number) =>
    (await db.query<{ id: string }>(`SELECT ${UUID_OF('$1::text')} AS id`, [`${prefix}${n}`])).rows[0].id;
  const [province, city, county] = [await unit('p', 7), await unit('c', 77), await unit('x', 777)];
  const time = async (label: string, orgUnitId: string, scope: RecordScope, q?: string) => {
    const samples: number[] = [];
    let total = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const actor = actorOf(orgUnitId);
      const page = await runWithContext(
        { correlationId: newCorrelationId(), actorAssertion: () => signer.sign(actor) },
        () =>
          bus.request(RecordSubjects.list, { actor, scope, q, page: 1 + (i % 3), pageSize: 50 }, { timeoutMs: 60_000 }),
      );
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      total = page.total;
    }
    return {
      label: `${label} (${total.toLocaleString('en')} match)`,
      value: `median ${median(samples).toFixed(1)} ms, p95 ${percentile(samples, 0.95).toFixed(1)} ms`,
    };
  };
  const figures = [
    { label: 'records', value: RECORDS.toLocaleString('en') },
    { label: 'generate + index + analyze', value: `${(loaded / 1000).toFixed(0)} s` },
    await time('county, held', county, 'held'),
    await time('county, subtree', county, 'subtree'),
    await time('city, held', city, 'held'),
    await time('city, subtree', city, 'subtree'),
    await time('province, subtree', province, 'subtree'),
    await time('province, search site name', province, 'subtree', '第12345'),
    await time('province, search URL', province, 'subtree', 'www4242'),
    await time('root, subtree (everything)', root, 'subtree'),
    await time('root, search site name', root, 'subtree', '第99999'),
  ];
  await db.end();
  await system.close();
  await s3.stop();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    name: 'records-list',
    title: 'GET /forms at 1,000,000 records (list and search, per scope)',
    figures,
    notes: [
      'Each figure: the review.record.list bus request (page 1–3 of 50, with the total) over the in-process bus, 20 runs, review alone on embedded PostgreSQL.',
      'held = records waiting for the unit (holder index); subtree = records owned within its subtree (GIN on owner_chain); search = site name or URL substring (pg_trgm GIN).',
    ],
  };
}
