import { ListedSite } from '@app/contracts';
import { migrateUnderLock, postgresOptions } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ASSESSMENT_MIGRATIONS } from '../../assessment/src/assessment.module';
import { MonitorRepository } from '../../assessment/src/monitoring/monitor.repository';
import { MonitorWorker } from '../../assessment/src/monitoring/monitor-worker';
import { bareFetch, rate, startSites } from './probe.bench';
import { startBenchStorage } from './bench-system';
import { BenchResult } from './report';

/** Target of the issue: the monitoring sustains this many probes a second. */
const TARGET_PER_SECOND = 200;
/** Fixture hosts (one request at a time each, as the worker's limiter allows). */
const HOSTS = Number(process.env.BENCH_MONITOR_HOSTS ?? 16);
/** Sites registered: each round probes every one of their homepages once. */
const SITES = Number(process.env.BENCH_MONITOR_SITES ?? 2000);
const ROUNDS = Number(process.env.BENCH_MONITOR_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_MONITOR_CONCURRENCY ?? 32);
const HOUR = 3_600_000;

/**
 * The monitoring's worker path, end to end on PostgreSQL: SITES sites registered (their
 * homepages spread over HOSTS fixture servers on loopback), every homepage task made due, and
 * a MonitorWorker claims them from the queue (SKIP LOCKED, lease), probes them (fetch, GBK
 * decode, analysis) and stores each (fenced completion, raw probe in its day partition,
 * monitor_daily upsert). Beside it: the same fetches in a bare loop.
 */
export async function monitorWorkersBench(): Promise<BenchResult> {
  const storage = await startBenchStorage('monitor-workers', 'servers');
  const { child, origins } = await startSites(HOSTS);
  const dataSource = await new DataSource(
    postgresOptions({
      service: 'assessment',
      schema: 'assessment',
      config: { DATABASE_URL: storage.databaseUrl, DATABASE_POOL_SIZE: 10 },
      migrations: ASSESSMENT_MIGRATIONS,
    }),
  ).initialize();
  try {
    await migrateUnderLock(dataSource, 'assessment');
    const repository = new MonitorRepository(dataSource);
    const chain = [randomUUID(), randomUUID()];
    const sites: ListedSite[] = Array.from({ length: SITES }, (_, i) => ({
      recordId: randomUUID(),
      siteCode: `130302${String(i).padStart(4, '0')}`,
      siteName: `基准网站${i}`,
      ownerOrgUnitId: chain[1],
      ownerChain: chain,
      lifecycle: 'ACTIVE',
      homepageUrl: `${origins[i % origins.length]}/home`,
      regionCode: '130302',
      regionName: '河北省 秦皇岛市 海港区',
      columns: [],
    }));
    const base = Date.parse('2026-03-02T00:00:00+08:00');
    await repository.upsertSites(sites, base, 24);
    await dataSource.query(`DELETE FROM monitor_task WHERE kind <> 'HOMEPAGE'`);
    let clock = base;
    const worker = new MonitorWorker(repository, {
      perDay: 24,
      concurrency: CONCURRENCY,
      leaseMs: 120_000,
      linksPerDay: 0,
      allowPrivateTargets: true,
      now: () => clock,
    });
    /** One round: every homepage due at `clock`, then the worker runs until none is. */
    const round = async (at: number): Promise<number> => {
      clock = at;
      await dataSource.query(`UPDATE monitor_task SET due_at = $1`, [new Date(at).toISOString()]);
      const started = process.hrtime.bigint();
      const stored = await worker.runDue();
      if (stored !== SITES) throw new Error(`round stored ${stored} probes, not ${SITES}`);
      return stored / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    await round(base + HOUR); // warm-up (partitions, connections, JIT)
    const rates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) rates.push(await round(base + (r + 2) * HOUR));
    const workerRate = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
    // Every probe stored once, and each read right: the fixture homepage's newest date.
    const [check] = await dataSource.query(
      `SELECT count(*)::int AS probes, count(DISTINCT (site_code, due_at))::int AS slots,
              count(*) FILTER (WHERE ok AND newest = '2015-03-12')::int AS good FROM monitor_probe`,
    );
    if (check.probes !== SITES * (ROUNDS + 1) || check.slots !== check.probes || check.good !== check.probes)
      throw new Error(`probes stored wrong: ${JSON.stringify(check)}`);
    const [daily] = await dataSource.query(
      `SELECT min(homepage_probes)::int AS min, max(homepage_probes)::int AS max FROM monitor_daily`,
    );
    if (daily.min !== ROUNDS + 1 || daily.max !== ROUNDS + 1)
      throw new Error(`daily rows wrong: ${JSON.stringify(daily)}`);

    await rate(origins, 1, bareFetch);
    const bareRate = await rate(origins, 5, bareFetch);
    const fmt = (value: number) => `${Math.round(value).toLocaleString('en-US')} probes/s`;
    return {
      name: 'monitor-workers',
      title: 'Monitoring workers: probes a second through the queue, the probe and the store',
      targets: [
        {
          what: 'monitoring worker path (claim from the PostgreSQL queue, probe and analyse, store the probe and the day)',
          target: `≥ ${TARGET_PER_SECOND} probes/s`,
          measured: `${fmt(workerRate)} (median of ${ROUNDS} rounds of ${SITES.toLocaleString('en-US')})`,
          limit: `bare http.get loop: ${fmt(bareRate)}`,
          ratio: workerRate / bareRate,
          met: workerRate >= TARGET_PER_SECOND,
          profile:
            workerRate >= TARGET_PER_SECOND
              ? undefined
              : 'each probe is one transaction (fenced task update, raw probe insert, daily upsert) besides the probe itself; see `npm run bench -- probe` for the probe alone.',
        },
      ],
      figures: [
        { label: 'worker path, median round', value: fmt(workerRate) },
        { label: 'worker path, each round', value: rates.map(fmt).join(', ') },
        { label: 'bare loop (http.get, keep-alive, body read, nothing parsed or stored)', value: fmt(bareRate) },
        { label: 'sites (homepage tasks per round)', value: SITES.toLocaleString('en-US') },
        { label: 'fixture hosts (one request each at a time)', value: String(HOSTS) },
        { label: 'worker concurrency (probes in flight)', value: String(CONCURRENCY) },
      ],
      notes: [
        `One MonitorWorker in this process, PostgreSQL server of this machine (pool of 10); the ~29 KiB GBK fixture homepage served by ${HOSTS} servers (127.0.0.2…) in a child process. A round makes every homepage task due and runs the worker until nothing is due; one warm-up round first.`,
        'Checked after the runs: one stored probe per site and slot, every one reachable with its newest date read as 2015-03-12, and each site-day row counting every round.',
        'BENCH_MONITOR_SITES, BENCH_MONITOR_ROUNDS, BENCH_MONITOR_HOSTS and BENCH_MONITOR_CONCURRENCY change the load.',
        'The machine is shared (2 cores): compare the figures of one run with each other.',
      ],
    };
  } finally {
    await dataSource.destroy();
    child.kill();
    await storage.stop();
  }
}
