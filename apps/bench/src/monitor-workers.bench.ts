import { ListedSite } from '@app/contracts';
import { migrateUnderLock, postgresOptions } from '@app/platform';
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ASSESSMENT_MIGRATIONS } from '../../assessment/src/assessment.module';
import { MonitorRepository } from '../../assessment/src/monitoring/monitor.repository';
import { MonitorWorker } from '../../assessment/src/monitoring/monitor-worker';
import { analyzePage, HostLimiter, probe } from '../../assessment/src/monitoring/probe';
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
/** Worker processes of the scale-out measure (replicas sharing the queue). */
const PROCESSES = Number(process.env.BENCH_MONITOR_PROCESSES ?? 2);
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
    // The fixture homepage's dates are of March 2015 (a [02-28] takes the fetch day's year).
    const base = Date.parse('2015-03-12T00:00:00+08:00');
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
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const workerRate = median(rates);
    // The same rounds shared by PROCESSES worker processes (replicas on one queue).
    const children: ChildProcess[] = [];
    const ask = (child: ChildProcess, message: object) =>
      new Promise<{ stored?: number; error?: string; ready?: boolean }>((resolve) => {
        child.once('message', resolve);
        if (Object.keys(message).length) child.send(message);
      });
    const scaleRates: number[] = [];
    try {
      for (let i = 0; i < PROCESSES; i++) {
        const child = fork(join(__dirname, 'monitor-worker-child.js'), [storage.databaseUrl, String(CONCURRENCY)]);
        children.push(child);
        await ask(child, {});
      }
      for (let r = 0; r < ROUNDS + 1; r++) {
        const at = base + (ROUNDS + 2 + r) * HOUR;
        await dataSource.query(`UPDATE monitor_task SET due_at = $1`, [new Date(at).toISOString()]);
        const started = process.hrtime.bigint();
        const answers = await Promise.all(children.map((child) => ask(child, { at })));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const stored = answers.reduce((sum, answer) => sum + (answer.stored ?? 0), 0);
        if (stored !== SITES)
          throw new Error(`processes stored ${stored} probes, not ${SITES}: ${JSON.stringify(answers)}`);
        if (r > 0) scaleRates.push(stored / seconds); // the first is the warm-up
      }
    } finally {
      for (const child of children) child.send({ stop: true });
    }
    const scaleRate = median(scaleRates);
    const total = ROUNDS * 2 + 2;
    // The probe and analysis alone (no queue, no store), in this process.
    const limiter = new HostLimiter();
    const fetchedAt = new Date(base);
    const probeOnly = async (origin: string) => {
      const result = await probe(`${origin}/home`, { allowPrivateTargets: true, limiter });
      analyzePage(result.html!, result.finalUrl, fetchedAt);
    };
    await rate(origins, 1, probeOnly);
    const probeRate = await rate(origins, 5, probeOnly);
    // Every probe stored once, and each read right: the fixture homepage's newest date.
    const [check] = await dataSource.query(
      `SELECT count(*)::int AS probes, count(DISTINCT (site_code, due_at))::int AS slots,
              count(*) FILTER (WHERE ok AND newest = '2015-03-12')::int AS good FROM monitor_probe`,
    );
    if (check.probes !== SITES * total || check.slots !== check.probes || check.good !== check.probes)
      throw new Error(`probes stored wrong: ${JSON.stringify(check)}`);
    const [daily] = await dataSource.query(
      `SELECT min(homepage_probes)::int AS min, max(homepage_probes)::int AS max FROM monitor_daily`,
    );
    if (daily.min !== total || daily.max !== total) throw new Error(`daily rows wrong: ${JSON.stringify(daily)}`);

    await rate(origins, 1, bareFetch);
    const bareRate = await rate(origins, 5, bareFetch);
    const fmt = (value: number) => `${Math.round(value).toLocaleString('en-US')} probes/s`;
    return {
      name: 'monitor-workers',
      title: 'Monitoring workers: probes a second through the queue, the probe and the store',
      targets: [
        {
          what: `monitoring worker path, ${PROCESSES} worker processes on one queue (claim, probe and analyse, store the probe and the day)`,
          target: `≥ ${TARGET_PER_SECOND} probes/s`,
          measured: `${fmt(scaleRate)} (median of ${ROUNDS} rounds of ${SITES.toLocaleString('en-US')})`,
          limit: `bare http.get loop: ${fmt(bareRate)}`,
          ratio: scaleRate / bareRate,
          met: scaleRate >= TARGET_PER_SECOND,
          profile:
            scaleRate >= TARGET_PER_SECOND
              ? undefined
              : `the probe and its analysis alone run at ${fmt(probeRate)} in one process here: the HTML parse (cheerio) is the CPU a probe costs, and the store adds one short transaction; more worker processes or replicas add probes/s up to the cores available.`,
        },
      ],
      figures: [
        { label: `worker path, ${PROCESSES} processes, median round`, value: fmt(scaleRate) },
        { label: `worker path, ${PROCESSES} processes, each round`, value: scaleRates.map(fmt).join(', ') },
        { label: 'worker path, 1 process (in the benchmark), median round', value: fmt(workerRate) },
        { label: 'worker path, 1 process, each round', value: rates.map(fmt).join(', ') },
        { label: 'probe + analysis alone, 1 process (no queue, no store)', value: fmt(probeRate) },
        { label: 'bare loop (http.get, keep-alive, body read, nothing parsed or stored)', value: fmt(bareRate) },
        { label: 'sites (homepage tasks per round)', value: SITES.toLocaleString('en-US') },
        { label: 'fixture hosts (one request each at a time per worker)', value: String(HOSTS) },
        { label: 'worker concurrency (probes in flight per process)', value: String(CONCURRENCY) },
      ],
      notes: [
        `MonitorWorkers on the PostgreSQL server of this machine (a pool of 10 each); the ~29 KiB GBK fixture homepage served by ${HOSTS} servers (127.0.0.2…) in a child process. A round makes every homepage task due and runs the workers until nothing is due; one warm-up round first. The ${PROCESSES}-process rounds fork worker processes that share the queue as replicas do.`,
        'Checked after the runs: every round stored exactly one probe per site (the processes together too: no task probed twice), one stored probe per site and slot, every one reachable with its newest date read as 2015-03-12, and each site-day row counting every round.',
        'BENCH_MONITOR_SITES, BENCH_MONITOR_ROUNDS, BENCH_MONITOR_HOSTS, BENCH_MONITOR_CONCURRENCY and BENCH_MONITOR_PROCESSES change the load.',
        'The machine is shared (2 cores, other work running): compare the figures of one run with each other.',
      ],
    };
  } finally {
    await dataSource.destroy();
    child.kill();
    await storage.stop();
  }
}
