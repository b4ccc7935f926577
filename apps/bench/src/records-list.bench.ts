import { Actor, ListRecordsRequest, RecordScope } from '@app/contracts';
import { ApiClient, loginDownTheTree, ownPassword } from '@app/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { RecordRepository } from '../../review/src/records/record.repository';
import { RecordsQueryService } from '../../review/src/records/records-query.service';
import { BENCH_ROOT_PASSWORD, startBenchSystem, waitForSeed } from './bench-system';
import { ceiling, CORES, CpuSplit, measureCpu } from './cpu-split';
import { BenchResult, BenchTarget, median, percentile } from './report';

/** The cost curve's sizes; the targets are at the last. */
const SIZES = [10_000, 100_000, 1_000_000];
/** Runs of every shape at the largest size (one at the others). */
const RUNS = 3;
const CONNECTIONS = 16;
const DURATION_S = 5;
/** The warm-up load before each shape's runs (not counted). */
const WARM_UP_S = 2;
const TARGET_P95_MS = 50;
const PAGE_SIZE = 50;

interface Shape {
  key: string;
  label: string;
  code: string;
  scope: RecordScope;
  q?: string;
}

/** 河北省 (≈167 counties), 秦皇岛市 (7), 海港区: real units of the national tree, logged in as they are. */
const SHAPES: Shape[] = [
  { key: 'county-held', label: 'county (海港区), held', code: '130302', scope: 'held' },
  { key: 'city-subtree', label: 'city (秦皇岛市), subtree', code: '130300', scope: 'subtree' },
  { key: 'province-subtree', label: 'province (河北省), subtree', code: '130000', scope: 'subtree' },
  {
    key: 'province-name',
    label: 'province, search site name "第12345"',
    code: '130000',
    scope: 'subtree',
    q: '第12345',
  },
  { key: 'province-url', label: 'province, search URL "www4242"', code: '130000', scope: 'subtree', q: 'www4242' },
  { key: 'root-subtree', label: 'root (国务院办公厅), subtree = everything', code: 'bm0100', scope: 'subtree' },
];

interface Latency {
  p50: number;
  p95: number;
  rate: number;
  failed: number;
}

interface HttpLatency extends Latency {
  /** Where the CPU went, per request. */
  split: CpuSplit;
}

/**
 * autocannon in a process of its own (the load never shares the server's event loop), every
 * response's time kept so the p95 is exact (autocannon's summary has p90 and p97.5, no p95).
 */
const LOAD_SCRIPT = `
const autocannon = require(${JSON.stringify(require.resolve('autocannon'))});
const [url, token, connections, duration] = process.argv.slice(1);
const times = [];
const instance = autocannon({ url, connections: Number(connections), duration: Number(duration), headers: { authorization: 'Bearer ' + token } }, (error, result) => {
  if (error) throw error;
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? 0;
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ p50: at(0.5), p95: at(0.95), rate: times.length / Number(duration), failed: result.non2xx + result.errors, requests: times.length, loadCpuMs: (cpu.user + cpu.system) / 1000 }));
});
instance.on('response', (client, status, bytes, ms) => times.push(ms));
`;

/** The load, and where its CPU went: this process hosts the whole system under test. */
async function httpLoad(url: string, token: string, seconds = DURATION_S): Promise<HttpLatency> {
  const { result, split } = await measureCpu(async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-e', LOAD_SCRIPT, url, token, String(CONNECTIONS), String(seconds)],
      { maxBuffer: 16 * 2 ** 20 },
    );
    return JSON.parse(stdout) as Latency & { requests: number; loadCpuMs: number };
  });
  return { ...result, split };
}

/** The median of each part of the runs' CPU splits. */
function medianSplit(runs: HttpLatency[]): CpuSplit {
  const of = (key: keyof CpuSplit) => median(runs.map((run) => run.split[key]));
  return { server: of('server'), postgres: of('postgres'), nats: of('nats'), load: of('load') };
}

/** CPU per request, part by part, and the rate the cores allow at it. */
function describeSplit(split: CpuSplit): string {
  const parts = [
    `this process (the system: HTTP, Nest, the bus, JSON, the driver) ${split.server.toFixed(2)}`,
    `PostgreSQL ${split.postgres.toFixed(2)}`,
    ...(split.nats > 0.005 ? [`NATS server ${split.nats.toFixed(2)}`] : []),
    `the load tool ${split.load.toFixed(2)}`,
  ];
  return `${parts.join(', ')} ms: ${CORES} cores allow ${ceiling(split).toFixed(0)} req/s`;
}

/** The limit: review's own statements for the same request straight on PostgreSQL, 16 at once. */
async function sqlLoad(query: RecordsQueryService, request: ListRecordsRequest): Promise<Latency> {
  const times: number[] = [];
  const until = Date.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const started = process.hrtime.bigint();
        await query.list(request);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), rate: times.length / DURATION_S, failed: 0 };
}

/**
 * Records `from`..`to` (1-based), owned round-robin by the national tree's 2,724 level-3
 * units with their real owner chains; every third round 未审核 at the owner's parent, the rest 未提交
 * at the owner; one second apart, newest first. One INSERT through the table's triggers, so
 * the kept counts are written as every other insert writes them.
 */
export const GENERATE = `
  WITH owners AS (
    SELECT row_number() OVER (ORDER BY o.code) - 1 AS k, o.id, o.code,
           ARRAY(SELECT a.id FROM unnest(string_to_array(o.path, '.')) WITH ORDINALITY AS p(code, i)
                   JOIN hierarchy.org_unit a ON a.code = p.code ORDER BY p.i) AS chain
      FROM hierarchy.org_unit o WHERE o.level = 3
  ), n AS (SELECT count(*) AS c FROM owners)
  INSERT INTO review.record (id, owner_org_unit_id, owner_code, owner_chain, holder_org_unit_id, final_reviewer_org_unit_id,
                             status, site_name, homepage_url, region_code, region_name, current_version, updated_at)
  SELECT gen_random_uuid(), o.id, o.code, o.chain,
         CASE WHEN (i / n.c) % 3 = 0 THEN o.chain[array_length(o.chain, 1) - 1] ELSE o.id END, o.chain[2],
         CASE WHEN (i / n.c) % 3 = 0 THEN 'PENDING' ELSE 'DRAFT' END, '测试第' || i || '号政府网站', 'http://www' || i || '.bench.gov.cn',
         o.code, '测试', 1, timestamptz '2026-01-01' - i * interval '1 second'
    FROM generate_series($1::int, $2::int) AS i CROSS JOIN n JOIN owners o ON o.k = i % n.c`;

/**
 * GET /api/v1/forms at 10,000, 100,000 and 1,000,000 records: over HTTP through the gateway
 * with the units' own tokens, 16 concurrent clients, for a county's held list, a city's and a
 * province's subtree, a province's searches by site name and by URL, and the root's everything;
 * beside each, in the same run, the same statements straight on PostgreSQL at the same
 * concurrency. (The rows are generated with SQL: this measures reading, not importing.)
 */
export async function recordsListBench(): Promise<BenchResult> {
  const bench = await startBenchSystem('records-list');
  const captured: Array<{ sql: string; params: unknown[] }> = [];
  const direct = await new DataSource({
    type: 'postgres',
    url: bench.config.DATABASE_URL,
    poolSize: CONNECTIONS,
    extra: { options: '-c search_path=review' },
  }).initialize();
  try {
    await waitForSeed(bench.db, bench.startedAt);
    // review's statements name its tables unqualified, as its own connections resolve them.
    await bench.db.query('SET search_path = review, public');
    const anonymous = new ApiClient(bench.baseUrl);
    const codes = ['130000', '130300', '130302'];
    await loginDownTheTree(anonymous, BENCH_ROOT_PASSWORD, codes);
    const units = new Map(
      (
        await bench.db.query<{ code: string; id: string }>(
          'SELECT code, id FROM hierarchy.org_unit WHERE code = ANY($1::text[])',
          [[...codes, 'bm0100']],
        )
      ).rows.map((row) => [row.code, row.id]),
    );
    const query = new RecordsQueryService(new RecordRepository(direct));
    // The same repository on a recording connection: the statements EXPLAIN ANALYZE shows.
    const recording = new RecordsQueryService(
      new RecordRepository({
        query: (sql: string, params: unknown[]) => {
          captured.push({ sql, params });
          return direct.query(sql, params);
        },
      } as unknown as DataSource),
    );
    const requestOf = (shape: Shape): ListRecordsRequest => {
      const actor: Actor = {
        accountId: randomUUID(),
        username: shape.code,
        orgUnitId: units.get(shape.code)!,
        roles: ['ORG'],
      };
      return { actor, scope: shape.scope, q: shape.q, page: 1, pageSize: PAGE_SIZE };
    };
    const figures: BenchResult['figures'] = [];
    const notes: string[] = [];
    const curve = new Map<string, string[]>(SHAPES.map((shape) => [shape.key, []]));
    const finals = new Map<string, { http: HttpLatency[]; sql: Latency[]; total: string }>();
    let generated = 0;
    for (const size of SIZES) {
      const started = Date.now();
      await bench.db.query(GENERATE, [generated + 1, size]);
      // As autovacuum would leave it: statistics, the visibility map, GIN pending lists merged.
      await bench.db.query('VACUUM (ANALYZE) review.record');
      await bench.db.query('VACUUM (ANALYZE) review.record_site');
      await bench.db.query('VACUUM (ANALYZE) review.record_tally');
      // And as a settled server has it: the bulk insert's pages written out, not by the first run's checkpoint.
      await bench.db.query('CHECKPOINT');
      generated = size;
      figures.push({
        label: `generate to ${size.toLocaleString('en')} records (one INSERT through the triggers) + VACUUM ANALYZE`,
        value: `${((Date.now() - started) / 1000).toFixed(0)} s`,
      });
      // The kept counts must equal the rows: checked, not assumed.
      const { rows: drift } = await bench.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT holder_org_unit_id AS unit_id, status, count(*) AS n FROM review.record GROUP BY 1, 2
         ) r FULL JOIN (
           SELECT unit_id, status, sum(n) AS n FROM review.record_tally WHERE kind = 'h' GROUP BY 1, 2
         ) t USING (unit_id, status) WHERE r.n IS DISTINCT FROM t.n`,
      );
      if (drift[0].n !== 0) throw new Error(`kept counts differ from the rows at ${size} records`);
      // Fresh tokens for each size (generation can outlast one).
      const tokens = new Map<string, string>();
      for (const code of [...codes, 'bm0100'])
        tokens.set(
          code,
          (await anonymous.login(code, code === 'bm0100' ? BENCH_ROOT_PASSWORD : ownPassword(code))).token!,
        );
      const runs = size === SIZES[SIZES.length - 1] ? RUNS : 1;
      for (const shape of SHAPES) {
        const params = new URLSearchParams({
          scope: shape.scope,
          pageSize: String(PAGE_SIZE),
          ...(shape.q ? { q: shape.q } : {}),
        });
        const url = `${bench.baseUrl}/api/v1/forms?${params.toString()}`;
        const page = await anonymous.withToken(tokens.get(shape.code)!).get(`/forms?${params.toString()}`);
        if (page.status !== 200) throw new Error(`${shape.key}: ${page.status} ${JSON.stringify(page.body)}`);
        const total = `${(page.body.total as number).toLocaleString('en')}${page.body.totalExact ? '' : '+'}`;
        const http: HttpLatency[] = [];
        const sql: Latency[] = [];
        // A warm-up, not counted: the first load after a generation meets its aftermath (the
        // bulk insert's pages in the caches, autovacuum) and code the shape had not run yet.
        await httpLoad(url, tokens.get(shape.code)!, WARM_UP_S);
        for (let run = 0; run < runs; run += 1) {
          http.push(await httpLoad(url, tokens.get(shape.code)!));
          sql.push(await sqlLoad(query, requestOf(shape)));
          if (http[run].failed > 0) throw new Error(`${shape.key}: ${http[run].failed} requests failed`);
        }
        const p95 = median(http.map((r) => r.p95));
        curve.get(shape.key)!.push(`${size.toLocaleString('en')}: ${p95.toFixed(1)} ms (${total} match)`);
        if (size === SIZES[SIZES.length - 1]) {
          finals.set(shape.key, { http, sql, total });
          captured.length = 0;
          await recording.list(requestOf(shape));
          for (const statement of captured.filter((s) => /FROM record WHERE/.test(s.sql))) {
            const { rows } = await bench.db.query<{ 'QUERY PLAN': string }>(
              `EXPLAIN (ANALYZE, COSTS OFF) ${statement.sql}`,
              statement.params,
            );
            const plan = rows.map((row) => row['QUERY PLAN']);
            const nodes = plan
              .filter((line) => /Scan|Limit|Sort|Aggregate/.test(line))
              .map((line) =>
                line
                  .trim()
                  .replace(/^->\s*/, '')
                  .replace(/\s*\(actual.*$/, ''),
              )
              .slice(0, 4);
            const time = plan.find((line) => line.startsWith('Execution Time'));
            notes.push(
              `EXPLAIN ANALYZE, ${shape.label}, ${/matched/.test(statement.sql) ? 'matches (≤ 1,001)' : 'page'}: ${nodes.join(' → ')}; ${time}.`,
            );
          }
        }
      }
    }
    const targets: BenchTarget[] = SHAPES.map((shape) => {
      const { http, sql, total } = finals.get(shape.key)!;
      const p95 = median(http.map((r) => r.p95));
      const limitP95 = median(sql.map((r) => r.p95));
      const split = medianSplit(http);
      const rate = median(http.map((r) => r.rate));
      figures.push({
        label: `${shape.label}: CPU per request (median of ${http.length})`,
        value: describeSplit(split),
      });
      figures.push({
        label: `${shape.label}: HTTP p50 / p95, req/s (median of ${http.length}; ${total} match)`,
        value: `${median(http.map((r) => r.p50)).toFixed(1)} / ${p95.toFixed(1)} ms, ${rate.toFixed(0)}/s; SQL alone ${median(sql.map((r) => r.p50)).toFixed(1)} / ${limitP95.toFixed(1)} ms, ${median(sql.map((r) => r.rate)).toFixed(0)}/s`,
      });
      return {
        what: `GET /api/v1/forms at ${SIZES[SIZES.length - 1].toLocaleString('en')} records, ${shape.label}, ${CONNECTIONS} clients`,
        target: `p95 ≤ ${TARGET_P95_MS} ms`,
        measured: `p95 ${p95.toFixed(1)} ms (median of ${http.length} runs; runs ${http.map((r) => r.p95.toFixed(1)).join(', ')} ms)`,
        limit: `the same statements straight on PostgreSQL, ${CONNECTIONS} at once: p95 ${limitP95.toFixed(1)} ms`,
        ratio: Number((limitP95 / p95).toFixed(3)),
        met: p95 <= TARGET_P95_MS,
        ...(p95 > TARGET_P95_MS
          ? {
              profile:
                `The machine's CPU is the limit, and most of it is the system's own process. CPU per request: ${describeSplit(split)}; ` +
                `measured ${rate.toFixed(0)} req/s, so each of the ${CONNECTIONS} clients waits on average ${((CONNECTIONS / rate) * 1000).toFixed(0)} ms (${CONNECTIONS} ÷ rate), ` +
                `and with the same spread a p95 ≤ ${TARGET_P95_MS} ms needs about ${Math.round((rate * p95) / TARGET_P95_MS)} req/s, ${Math.round((1 - TARGET_P95_MS / p95) * 100)} % less CPU per request. The SQL alone answers p95 ${limitP95.toFixed(1)} ms at the same concurrency.`,
            }
          : {}),
      };
    });
    for (const shape of SHAPES)
      figures.push({
        label: `cost curve, ${shape.label}: HTTP p95 by records`,
        value: curve.get(shape.key)!.join('; '),
      });
    return {
      name: 'records-list',
      title: `GET /api/v1/forms at ${SIZES.map((s) => s.toLocaleString('en')).join(' / ')} records, ${CONNECTIONS} clients over HTTP`,
      figures,
      targets,
      notes: [
        `Each figure: autocannon in its own process, ${CONNECTIONS} connections for ${DURATION_S} s, GET /api/v1/forms?scope=…&pageSize=${PAGE_SIZE} (first page, with its total) with the unit's own access token (logged in down the national tree as a user would); ${RUNS} runs at ${SIZES[SIZES.length - 1].toLocaleString('en')}, one at the smaller sizes, each shape's runs after a warm-up load of ${WARM_UP_S} s that is not counted; every answer 200. After each generation: VACUUM (ANALYZE) of the tables and a CHECKPOINT, as a server that has settled has them.`,
        `The limit beside each (same run): review's own list code (RecordsQueryService on its RecordRepository: the kept-count read, the page, and for a search the bounded count) on a ${CONNECTIONS}-connection pool straight on PostgreSQL, ${CONNECTIONS} concurrent callers, no HTTP and no bus.`,
        'Records are owned round-robin by the 2,724 level-3 units of the national tree (their real owner chains); every third round 未审核 at the owner’s parent, the rest 未提交 at the owner. 河北省 has about 6% of them, 秦皇岛市 about 0.25%, 海港区 about 0.035%.',
        `CPU per request: user + system time, over each run, of this process (which hosts the whole system under test: gateway, services, bus; on the servers, its NATS client), of every PostgreSQL process and of the NATS server (from /proc), and of the load tool (its own process.cpuUsage()), divided by the requests answered. The machine is shared: whatever else PostgreSQL did meanwhile is in its part.`,
        'Totals come from the counts kept per (unit, status) by the record table’s statement triggers (checked equal to the rows after each generation); a search counts up to 1,000 matches ("+" = more).',
        ...notes,
      ],
    };
  } finally {
    await direct.destroy();
    await bench.stop();
  }
}
