import { ApiClient } from '@app/testing';
import { DataSource } from 'typeorm';
import { VERDICT_COUNTS_SQL, VETO_COUNTS_SQL } from '../../assessment/src/stats/assessment-stats.service';
import { BENCH_ROOT_PASSWORD, startBenchSystem, waitForSeed } from './bench-system';
import { GENERATE } from './records-list.bench';
import { BenchResult, median, percentile, timed } from './report';

/** Sites generated: the number of websites the 2015 census counted (BENCH_ASSESSMENT_SITES for a quick check). */
const SITES = Number(process.env.BENCH_ASSESSMENT_SITES ?? 85_890);
const DAYS = 7;
const RUNS = 3;
const REQUESTS = 30;
const TARGET_MS = 1000;
const PROVINCE = '130000';

const VETOES = ['site-unreachable', 'site-not-updated', 'columns-not-updated', 'serious-errors', 'poor-response'];

/**
 * GET /api/v1/assessment/stats for a province (河北省) over HTTP with the root's token, after
 * 85,890 coded sites have their verdicts (90 % assessed: one in ten by an inspection, one in
 * seven 不合格 on a veto) and 7 days of assessment.monitor_daily, all loaded set-based; beside it
 * the same two statements (VERDICT_COUNTS_SQL, VETO_COUNTS_SQL) straight on PostgreSQL.
 */
export async function assessmentStatsBench(): Promise<BenchResult> {
  const bench = await startBenchSystem('assessment-stats');
  const direct = await new DataSource({
    type: 'postgres',
    url: bench.config.DATABASE_URL,
    poolSize: 2,
    extra: { options: '-c search_path=assessment' },
  }).initialize();
  try {
    await waitForSeed(bench.db, bench.startedAt);
    const figures: BenchResult['figures'] = [];
    let started = Date.now();
    // Coded sites: generated records (round-robin over the level-3 units), approved with a 标识码.
    await bench.db.query(GENERATE, [1, SITES]);
    await bench.db.query(
      `UPDATE review.record r SET status = 'APPROVED', site_code = 'B' || lpad(n.i::text, 9, '0')
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM review.record) n WHERE n.id = r.id`,
    );
    figures.push({
      label: `generate ${SITES.toLocaleString('en')} approved, coded records`,
      value: `${((Date.now() - started) / 1000).toFixed(1)} s`,
    });
    started = Date.now();
    await bench.db.query(
      `INSERT INTO assessment.verdict (site_code, record_id, owner_org_unit_id, owner_chain, site_name, source, inspection_id,
                                       verdict, score, vetoes, result, sheet_id, sheet_version)
       SELECT r.site_code, r.id, r.owner_org_unit_id, r.owner_chain, r.site_name,
              CASE WHEN r.i % 10 = 0 THEN 'INSPECTION' ELSE 'SELF' END,
              CASE WHEN r.i % 10 = 0 THEN '00000000-0000-4000-8000-000000000001'::uuid END,
              CASE WHEN r.i % 7 = 0 THEN 'FAIL' ELSE 'PASS' END,
              CASE WHEN r.i % 7 = 0 THEN NULL ELSE 60 + r.i % 41 END,
              CASE WHEN r.i % 7 = 0 THEN ARRAY[($1::text[])[1 + r.i % 5]] ELSE '{}' END,
              jsonb_build_object('sheetId', 'census-2015', 'sheetVersion', '1',
                                 'verdict', CASE WHEN r.i % 7 = 0 THEN 'FAIL' ELSE 'PASS' END, 'deductions', '[]'::jsonb),
              'census-2015', '1'
         FROM (SELECT *, row_number() OVER (ORDER BY site_code) AS i FROM review.record WHERE site_code IS NOT NULL) r
        WHERE r.i % 10 <> 5`,
      [VETOES],
    );
    await bench.db.query(
      `INSERT INTO assessment.monitor_daily (site_code, day, owner_chain, homepage_probes, homepage_failures, homepage_newest,
                                             column_probes, blank_columns, links_checked, broken_links)
       SELECT r.site_code, current_date - d, r.owner_chain, 96, (hashtext(r.site_code) + d) % 3, current_date - d - 2,
              10, (hashtext(r.site_code) % 2 + 2) % 2, 50, d % 4
         FROM review.record r CROSS JOIN generate_series(0, $1::int - 1) AS d WHERE r.site_code IS NOT NULL`,
      [DAYS],
    );
    await bench.db.query('VACUUM (ANALYZE) assessment.verdict');
    await bench.db.query('VACUUM (ANALYZE) assessment.monitor_daily');
    const loaded = await bench.db.query<{ verdicts: number; days: number }>(
      `SELECT (SELECT count(*)::int FROM assessment.verdict) AS verdicts, (SELECT count(*)::int FROM assessment.monitor_daily) AS days`,
    );
    figures.push({
      label: `load ${loaded.rows[0].verdicts.toLocaleString('en')} verdicts and ${loaded.rows[0].days.toLocaleString('en')} monitor_daily rows (${DAYS} days), set-based + VACUUM ANALYZE`,
      value: `${((Date.now() - started) / 1000).toFixed(1)} s`,
    });

    const province = (
      await bench.db.query<{ id: string }>('SELECT id FROM hierarchy.org_unit WHERE code = $1', [PROVINCE])
    ).rows[0].id;
    const root = await new ApiClient(bench.baseUrl).login('bm0100', BENCH_ROOT_PASSWORD);
    const path = `/assessment/stats?orgUnitId=${province}`;
    const first = await root.get(path);
    if (first.status !== 200) throw new Error(`stats: ${first.status} ${JSON.stringify(first.body)}`);
    // The answer must be the verdicts of the province: checked, not assumed.
    const expected = (
      await bench.db.query<{ n: number; fail: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE verdict = 'FAIL')::int AS fail
           FROM assessment.verdict WHERE owner_chain @> ARRAY[$1::uuid]`,
        [province],
      )
    ).rows[0];
    if (first.body.total.assessed !== expected.n || first.body.total.fail !== expected.fail || expected.n === 0)
      throw new Error(`stats: ${JSON.stringify(first.body.total)} vs ${JSON.stringify(expected)}`);

    const http: number[][] = [];
    const sql: number[][] = [];
    for (let run = 0; run < RUNS; run++) {
      http.push(
        await timed(REQUESTS, async () => {
          const res = await root.get(path);
          if (res.status !== 200) throw new Error(`stats: ${res.status}`);
        }),
      );
      sql.push(
        await timed(REQUESTS, () =>
          Promise.all([direct.query(VERDICT_COUNTS_SQL, [province]), direct.query(VETO_COUNTS_SQL, [province])]),
        ),
      );
    }
    const p95 = median(http.map((times) => percentile(times, 0.95)));
    const p50 = median(http.map((times) => percentile(times, 0.5)));
    const sqlP95 = median(sql.map((times) => percentile(times, 0.95)));
    figures.push({
      label: `GET /api/v1/assessment/stats for 河北省 (${first.body.children.length} rows + 本级 + 合计, ${expected.n.toLocaleString('en')} verdicts), one client: p50 / p95 (median of ${RUNS} × ${REQUESTS})`,
      value: `${p50.toFixed(1)} / ${p95.toFixed(1)} ms; the two statements alone p95 ${sqlP95.toFixed(1)} ms`,
    });
    return {
      name: 'assessment-stats',
      title: `GET /api/v1/assessment/stats for a province over ${SITES.toLocaleString('en')} sites' verdicts`,
      figures,
      targets: [
        {
          what: `GET /api/v1/assessment/stats, a province (河北省), ${SITES.toLocaleString('en')} sites nationally`,
          target: `≤ ${TARGET_MS} ms`,
          measured: `p95 ${p95.toFixed(1)} ms (median of ${RUNS} runs of ${REQUESTS} requests)`,
          limit: `the same two statements straight on PostgreSQL: p95 ${sqlP95.toFixed(1)} ms`,
          ratio: Number((sqlP95 / p95).toFixed(3)),
          met: p95 <= TARGET_MS,
        },
      ],
      notes: [
        'Records come from the records-list generator (owned round-robin by the level-3 units of the national tree), then approved with a 标识码 in one UPDATE, so review counts them as coded sites.',
        'Verdicts and monitor_daily rows are written with one INSERT … SELECT each: 90 % of the sites assessed, one in ten by an inspection, one in seven 不合格 on one of the five vetoes; the others scored 60–100.',
        'A request asks review for the unit’s coded-site counts and its children (review.stats.units, which asks hierarchy for the unit, its children and ancestors), then runs the two verdict statements on the owner_chain GIN index.',
      ],
    };
  } finally {
    await direct.destroy();
    await bench.stop();
  }
}
