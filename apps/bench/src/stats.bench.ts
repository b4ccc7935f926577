import { ApiClient } from '@app/testing';
import { DataSource } from 'typeorm';
import { StatsRepository } from '../../review/src/stats/stats.repository';
import { GENERATE } from './records-list.bench';
import { BENCH_ROOT_PASSWORD, startBenchSystem, waitForSeed } from './bench-system';
import { BenchResult, median, percentile, timed } from './report';

/** Records generated (BENCH_STATS_RECORDS for a quick check at a small size). */
const RECORDS = Number(process.env.BENCH_STATS_RECORDS ?? 1_000_000);
const RUNS = 3;
const REQUESTS = 200;
const TARGET_P95_MS = 200;

/**
 * GET /api/v1/stats/units for the root (国务院办公厅: every province and department, one row
 * each, over everything) at 1,000,000 records, over HTTP with the root's token; beside it, in
 * the same run, review's own statements for the same table straight on PostgreSQL (the kept
 * counts of the root and its children, summed). The records come from the records-list
 * benchmark's generator (one INSERT through the triggers), so the counts are kept exactly as
 * any other insert keeps them; they are checked equal to a direct count first.
 */
export async function statsBench(): Promise<BenchResult> {
  const bench = await startBenchSystem('stats');
  const direct = await new DataSource({
    type: 'postgres',
    url: bench.config.DATABASE_URL,
    poolSize: 4,
    extra: { options: '-c search_path=review' },
  }).initialize();
  try {
    await waitForSeed(bench.db, bench.startedAt);
    const figures: BenchResult['figures'] = [];
    const started = Date.now();
    await bench.db.query(GENERATE, [1, RECORDS]);
    await bench.db.query('VACUUM (ANALYZE) review.record');
    await bench.db.query('VACUUM (ANALYZE) review.record_site');
    await bench.db.query('VACUUM (ANALYZE) review.unit_stats');
    figures.push({
      label: `generate ${RECORDS.toLocaleString('en')} records (one INSERT through the triggers) + VACUUM ANALYZE`,
      value: `${((Date.now() - started) / 1000).toFixed(0)} s`,
    });
    // The kept counts must equal the rows: checked, not assumed.
    const { rows: drift } = await bench.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT c.unit_id, r.status, r.lifecycle, count(*) AS n
           FROM review.record r, unnest(r.owner_chain) AS c(unit_id) GROUP BY 1, 2, 3
       ) r FULL JOIN (
         SELECT unit_id, status, lifecycle, sum(n) AS n FROM review.unit_stats GROUP BY 1, 2, 3 HAVING sum(n) <> 0
       ) t USING (unit_id, status, lifecycle) WHERE r.n IS DISTINCT FROM t.n`,
    );
    if (drift[0].n !== 0) throw new Error(`kept counts differ from the rows for ${drift[0].n} keys`);

    const root = await new ApiClient(bench.baseUrl).login('bm0100', BENCH_ROOT_PASSWORD);
    const first = await root.get('/stats/units');
    if (first.status !== 200) throw new Error(`stats: ${first.status} ${JSON.stringify(first.body)}`);
    if (first.body.total.websites !== RECORDS)
      throw new Error(`stats: total ${first.body.total.websites}, expected ${RECORDS}`);
    const rootId: string = first.body.unit.orgUnitId;
    const childIds: string[] = first.body.children.map((row: { orgUnitId: string }) => row.orgUnitId);

    const repository = new StatsRepository(direct);
    const http: number[][] = [];
    const sql: number[][] = [];
    for (let run = 0; run < RUNS; run++) {
      http.push(
        await timed(REQUESTS, async () => {
          const res = await root.get('/stats/units');
          if (res.status !== 200) throw new Error(`stats: ${res.status}`);
        }),
      );
      sql.push(
        await timed(REQUESTS, () =>
          Promise.all([repository.subtreeCounts([rootId, ...childIds]), repository.zeroReports(childIds)]),
        ),
      );
    }
    const p95 = median(http.map((times) => percentile(times, 0.95)));
    const p50 = median(http.map((times) => percentile(times, 0.5)));
    const limitP95 = median(sql.map((times) => percentile(times, 0.95)));
    figures.push({
      label: `GET /api/v1/stats/units as the root (${childIds.length} rows + total), one client: p50 / p95 (median of ${RUNS} × ${REQUESTS})`,
      value: `${p50.toFixed(1)} / ${p95.toFixed(1)} ms; the counts' SQL alone p95 ${limitP95.toFixed(1)} ms`,
    });
    return {
      name: 'stats',
      title: `GET /api/v1/stats/units for the root over ${RECORDS.toLocaleString('en')} records`,
      figures,
      targets: [
        {
          what: `GET /api/v1/stats/units, root, ${RECORDS.toLocaleString('en')} records`,
          target: `p95 ≤ ${TARGET_P95_MS} ms`,
          measured: `p95 ${p95.toFixed(1)} ms (median of ${RUNS} runs of ${REQUESTS} requests)`,
          limit: `the kept-count statements straight on PostgreSQL: p95 ${limitP95.toFixed(1)} ms`,
          ratio: Number((limitP95 / p95).toFixed(3)),
          met: p95 <= TARGET_P95_MS,
        },
      ],
      notes: [
        'Records are owned round-robin by the level-3 units of the national tree (the records-list generator), so every province and department row has counts.',
        'The counts are kept per (unit of the owner chain, status, lifecycle) by statement triggers on review.record (migration UnitStats) and checked equal to a direct count before timing; a request reads the root and its direct children by index (about a dozen rows each once folded), plus the unit names from hierarchy.',
        'The request also asks hierarchy for the unit, its children and its ancestors (three bus round trips) and counts the root’s own records directly.',
      ],
    };
  } finally {
    await direct.destroy();
    await bench.stop();
  }
}
