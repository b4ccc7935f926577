import { ListedSite, MonitoredColumn } from '@app/contracts';
import { returningRows } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';
import { beijingDay } from './probe';
import { beijingDayStart, dailyKey, DAY_MS, nextDailySlot, nextHomepageSlot } from './schedule';

export type TaskKind = 'HOMEPAGE' | 'COLUMN' | 'LINKS';

/** A site of the registry (assessment.monitor_site). */
export interface MonitoredSite {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  ownerChain: string[];
  homepageUrl: string;
  columns: Array<{ name: string; url: string; category: string }>;
  firstSeenAt: Date;
}

/** A probe done, ready to store: its task, what it found and the task's next slot. */
export interface Completion {
  task: ClaimedTask;
  outcome: ProbeOutcome;
  nextDueAt: Date;
}

/** A due task a worker holds: the claim's owner fences its completion. */
export interface ClaimedTask {
  siteCode: string;
  kind: TaskKind;
  target: string;
  dueAt: Date;
  owner: string;
  ownerChain: string[];
  columns: Array<{ name: string; url: string; category: string }>;
}

/** What one scheduled probe stores (monitor_probe) and adds to its day (monitor_daily). */
export interface ProbeOutcome {
  ok: boolean;
  cause: string | null;
  status: number | null;
  elapsedMs: number;
  probedAt: Date;
  newest: string | null;
  blank: boolean | null;
  /** COLUMN: the column as registered. */
  column?: { name: string; url: string; category: string };
  /** LINKS: the links checked and the broken ones. */
  links?: { checked: number; broken: Array<{ url: string; cause: string; status: number | null }> };
}

export interface DailyRow {
  day: string;
  homepageProbes: number;
  homepageFailures: number;
  failuresByCause: Record<string, number>;
  homepageNewest: string | null;
  columnProbes: number;
  columnFailures: number;
  columns: MonitoredColumn[];
  blankColumns: number;
  linksChecked: number;
  brokenLinks: number;
  broken: Array<{ url: string; cause: string; status: number | null }>;
}

/** Raw probes are kept this many days (their partitions dropped after), the daily rows a year. */
export const PROBE_RETENTION_DAYS = 30;
export const DAILY_RETENTION_DAYS = 366;
/** Partitions created ahead of the current Beijing day. */
const PARTITIONS_AHEAD = 2;
/** pg_advisory_xact_lock key of partition maintenance (any number unique to it). */
const PARTITION_LOCK = 1_765_480_001;
/** The most broken links kept per day (the count is exact). */
const BROKEN_KEPT = 100;

/** The tasks a site needs: its homepage, each registered 栏目 and the homepage's links. */
function tasksOf(
  site: Pick<ListedSite, 'siteCode' | 'homepageUrl' | 'columns'>,
): Array<{ kind: TaskKind; target: string }> {
  const tasks: Array<{ kind: TaskKind; target: string }> = [
    { kind: 'HOMEPAGE', target: site.homepageUrl },
    { kind: 'LINKS', target: site.homepageUrl },
  ];
  const seen = new Set<string>();
  for (const column of site.columns) {
    if (!column.url || seen.has(column.url)) continue;
    seen.add(column.url);
    tasks.push({ kind: 'COLUMN', target: column.url });
  }
  return tasks;
}

/** The slot a task is first due at once its site is registered, or after the one just done. */
export function nextDue(siteCode: string, kind: TaskKind, target: string, perDay: number, after: number): Date {
  return new Date(
    kind === 'HOMEPAGE'
      ? nextHomepageSlot(siteCode, perDay, after)
      : nextDailySlot(dailyKey(siteCode, kind, target), after),
  );
}

function partitionName(day: string): string {
  return `monitor_probe_${day.replace(/-/g, '')}`;
}

/**
 * The monitoring tables: the registry, the leased task queue (claims with FOR UPDATE SKIP
 * LOCKED and a lease; completions fenced by the claim's owner), the raw probes partitioned by
 * day and the daily rows. Every method takes the time from its caller (the worker's clock).
 */
export class MonitorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes one page of the sites review lists as running; their tasks follow their homepage and 栏目. */
  async upsertSites(sites: ListedSite[], now: number, perDay: number): Promise<void> {
    if (sites.length === 0) return;
    const rows = sites.map((site) => ({
      site_code: site.siteCode,
      record_id: site.recordId,
      site_name: site.siteName,
      owner_org_unit_id: site.ownerOrgUnitId,
      owner_chain: `{${site.ownerChain.join(',')}}`,
      homepage_url: site.homepageUrl,
      columns: site.columns,
    }));
    const tasks = sites.flatMap((site) =>
      tasksOf(site).map((task) => ({
        site_code: site.siteCode,
        kind: task.kind,
        target: task.target,
        due_at: nextDue(site.siteCode, task.kind, task.target, perDay, now).toISOString(),
      })),
    );
    const at = new Date(now).toISOString();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO monitor_site (site_code, record_id, site_name, owner_org_unit_id, owner_chain, homepage_url, columns,
                                   first_seen_at, synced_at)
         SELECT site_code, record_id, site_name, owner_org_unit_id, owner_chain::uuid[], homepage_url, columns, $2, $2
           FROM jsonb_to_recordset($1::jsonb) AS s(site_code varchar, record_id uuid, site_name text, owner_org_unit_id uuid,
                                                   owner_chain text, homepage_url text, columns jsonb)
         ON CONFLICT (site_code) DO UPDATE SET record_id = EXCLUDED.record_id, site_name = EXCLUDED.site_name,
           owner_org_unit_id = EXCLUDED.owner_org_unit_id, owner_chain = EXCLUDED.owner_chain,
           homepage_url = EXCLUDED.homepage_url, columns = EXCLUDED.columns,
           -- Replicas sync on their own: an older sync finishing late never dates a site back.
           synced_at = GREATEST(monitor_site.synced_at, EXCLUDED.synced_at)`,
        [JSON.stringify(rows), at],
      );
      // Tasks no longer wanted (a changed homepage, a removed 栏目) go; new ones are scheduled.
      await manager.query(
        `DELETE FROM monitor_task t WHERE t.site_code = ANY($1::varchar[])
            AND (t.site_code, t.kind, t.target) NOT IN (
              SELECT site_code, kind, target FROM jsonb_to_recordset($2::jsonb) AS d(site_code varchar, kind varchar, target text))`,
        [sites.map((site) => site.siteCode), JSON.stringify(tasks)],
      );
      await manager.query(
        `INSERT INTO monitor_task (site_code, kind, target, due_at)
         SELECT site_code, kind, target, due_at
           FROM jsonb_to_recordset($1::jsonb) AS d(site_code varchar, kind varchar, target text, due_at timestamptz)
         ON CONFLICT (site_code, kind, target) DO NOTHING`,
        [JSON.stringify(tasks)],
      );
    });
  }

  /** Drops the sites a completed sync did not see (closed, deregistered, gone) with their tasks. */
  async dropUnsynced(syncStartedAt: number): Promise<number> {
    const deleted = await returningRows(
      this.dataSource.manager,
      `DELETE FROM monitor_site WHERE synced_at < $1 RETURNING site_code`,
      [new Date(syncStartedAt).toISOString()],
    );
    return deleted.length;
  }

  async site(siteCode: string): Promise<MonitoredSite | null> {
    const [row] = await this.dataSource.query(
      `SELECT site_code AS "siteCode", site_name AS "siteName", owner_org_unit_id AS "ownerOrgUnitId",
              owner_chain::text[] AS "ownerChain", homepage_url AS "homepageUrl", columns, first_seen_at AS "firstSeenAt"
         FROM monitor_site WHERE site_code = $1`,
      [siteCode],
    );
    return (row as MonitoredSite | undefined) ?? null;
  }

  /**
   * Claims up to `limit` tasks due at `now` that nobody holds (or whose lease ran out), skipping
   * rows another worker is claiming this instant, under a lease until `now + leaseMs`.
   */
  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedTask[]> {
    const rows = await this.dataSource.query(
      `WITH due AS (
         SELECT site_code, kind, target FROM monitor_task
          WHERE due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
          ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE monitor_task t SET lease_owner = $1, lease_until = $3
           FROM due WHERE t.site_code = due.site_code AND t.kind = due.kind AND t.target = due.target
         RETURNING t.site_code, t.kind, t.target, t.due_at
       )
       SELECT c.site_code AS "siteCode", c.kind, c.target, c.due_at AS "dueAt", s.owner_chain::text[] AS "ownerChain", s.columns
         FROM claimed c JOIN monitor_site s ON s.site_code = c.site_code`,
      [owner, new Date(now).toISOString(), new Date(now + leaseMs).toISOString(), limit],
    );
    return (rows as Array<Omit<ClaimedTask, 'owner'>>).map((row) => ({ ...row, dueAt: new Date(row.dueAt), owner }));
  }

  /**
   * Stores probes and adds them to their days, and moves their tasks to their next slots, all in
   * one transaction (a worker's completions are grouped: one commit for many probes), each only
   * while its claim is still the task's: false for those whose lease ran out and another worker
   * took over (nothing of theirs is stored). Daily rows are written in site order; a deadlock
   * with another worker's batch is retried.
   */
  async completeMany(items: Completion[], worker: string): Promise<boolean[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => this.completeIn(manager, items, worker));
      } catch (err) {
        if ((err as { code?: string }).code !== '40P01' || attempt >= 3) throw err;
      }
    }
  }

  private async completeIn(manager: EntityManager, items: Completion[], worker: string): Promise<boolean[]> {
    // Not waiting for the WAL flush: a crash may lose the last fraction of a second of
    // completions, and then loses them whole (the tasks keep their slots and leases, which run
    // out, and the probes are done again); nothing is ever half stored.
    await manager.query('SET LOCAL synchronous_commit = off');
    // The slot as the worker holds it: a JavaScript Date, to the millisecond. A due time written
    // in SQL (now(), an operator's UPDATE) has microseconds: compared whole, its completion
    // would never match and the probe would be done again at every lease's end.
    const moved = await returningRows<{ i: number }>(
      manager,
      `UPDATE monitor_task t SET due_at = d.next_due, lease_owner = NULL, lease_until = NULL
         FROM jsonb_to_recordset($1::jsonb) AS d(i int, site_code varchar, kind varchar, target text, owner varchar,
                                                 due_at timestamptz, next_due timestamptz)
        WHERE t.site_code = d.site_code AND t.kind = d.kind AND t.target = d.target AND t.lease_owner = d.owner
          AND date_trunc('milliseconds', t.due_at) = d.due_at
        RETURNING d.i`,
      [
        JSON.stringify(
          items.map(({ task, nextDueAt }, i) => ({
            i,
            site_code: task.siteCode,
            kind: task.kind,
            target: task.target,
            owner: task.owner,
            due_at: task.dueAt.toISOString(),
            next_due: nextDueAt.toISOString(),
          })),
        ),
      ],
    );
    const accepted = new Set(moved.map((row) => row.i));
    const kept = items.filter((_, i) => accepted.has(i)).sort((a, b) => a.task.siteCode.localeCompare(b.task.siteCode));
    if (kept.length === 0) return items.map(() => false);
    await manager.query(
      `INSERT INTO monitor_probe (site_code, kind, target, due_at, probed_at, worker, ok, cause, status, elapsed_ms, newest, blank, details)
       SELECT site_code, kind, target, due_at, probed_at, $2, ok, cause, status, elapsed_ms, newest, blank, details
         FROM jsonb_to_recordset($1::jsonb) AS p(site_code varchar, kind varchar, target text, due_at timestamptz,
              probed_at timestamptz, ok boolean, cause varchar, status int, elapsed_ms int, newest date, blank boolean, details jsonb)`,
      [
        JSON.stringify(
          kept.map(({ task, outcome }) => ({
            site_code: task.siteCode,
            kind: task.kind,
            target: task.target,
            due_at: task.dueAt.toISOString(),
            probed_at: outcome.probedAt.toISOString(),
            ok: outcome.ok,
            cause: outcome.cause,
            status: outcome.status,
            elapsed_ms: Math.round(outcome.elapsedMs),
            newest: outcome.newest,
            blank: outcome.blank,
            details: outcome.links ? { checked: outcome.links.checked, broken: outcome.links.broken } : {},
          })),
        ),
        worker,
      ],
    );
    await this.addHomepagesToDays(
      manager,
      kept.filter((item) => item.task.kind === 'HOMEPAGE'),
    );
    for (const { task, outcome } of kept) if (task.kind !== 'HOMEPAGE') await this.addToDay(manager, task, outcome);
    return items.map((_, i) => accepted.has(i));
  }

  /** Homepage visits summed per site and day, then added to the days' rows in one statement (site order). */
  private async addHomepagesToDays(manager: EntityManager, visits: Completion[]): Promise<void> {
    if (visits.length === 0) return;
    const days = new Map<
      string,
      {
        site_code: string;
        day: string;
        owner_chain: string;
        probes: number;
        failures: number;
        causes: Record<string, number>;
        newest: string | null;
      }
    >();
    for (const { task, outcome } of visits) {
      const day = beijingDay(task.dueAt);
      const key = `${task.siteCode}\n${day}`;
      const row = days.get(key) ?? {
        site_code: task.siteCode,
        day,
        owner_chain: `{${task.ownerChain.join(',')}}`,
        probes: 0,
        failures: 0,
        causes: {},
        newest: null,
      };
      row.probes++;
      if (!outcome.ok) {
        row.failures++;
        const cause = outcome.cause ?? 'unknown';
        row.causes[cause] = (row.causes[cause] ?? 0) + 1;
      }
      if (outcome.newest && (!row.newest || outcome.newest > row.newest)) row.newest = outcome.newest;
      days.set(key, row);
    }
    const rows = [...days.values()].sort(
      (a, b) => a.site_code.localeCompare(b.site_code) || a.day.localeCompare(b.day),
    );
    await manager.query(
      `INSERT INTO monitor_daily (site_code, day, owner_chain, homepage_probes, homepage_failures, failures_by_cause, homepage_newest)
       SELECT site_code, day, owner_chain::uuid[], probes, failures, causes, newest
         FROM jsonb_to_recordset($1::jsonb) AS d(site_code varchar, day date, owner_chain text, probes int,
              failures int, causes jsonb, newest date)
        ORDER BY site_code, day
       ON CONFLICT (site_code, day) DO UPDATE SET owner_chain = EXCLUDED.owner_chain,
         homepage_probes = monitor_daily.homepage_probes + EXCLUDED.homepage_probes,
         homepage_failures = monitor_daily.homepage_failures + EXCLUDED.homepage_failures,
         failures_by_cause = (
           SELECT COALESCE(jsonb_object_agg(k, n), '{}'::jsonb) FROM (
             SELECT e.key AS k, sum(e.value::int) AS n FROM (
               SELECT * FROM jsonb_each_text(monitor_daily.failures_by_cause)
               UNION ALL SELECT * FROM jsonb_each_text(EXCLUDED.failures_by_cause)) e
             GROUP BY e.key) s),
         homepage_newest = GREATEST(monitor_daily.homepage_newest, EXCLUDED.homepage_newest),
         updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }

  /** A manual probe (立即探测): stored with the others (its partition must exist), never counted in a day. */
  async recordManual(
    manager: EntityManager,
    siteCode: string,
    target: string,
    outcome: ProbeOutcome,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.insertProbe(manager, siteCode, 'MANUAL', target, outcome.probedAt, outcome, 'manual', details);
  }

  /** Takes the site's 立即探测 turn: false when its last one is less than `intervalSeconds` old. */
  async takeManualTurn(siteCode: string, intervalSeconds: number): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO monitor_manual (site_code, last_at) VALUES ($1, now())
       ON CONFLICT (site_code) DO UPDATE SET last_at = now()
        WHERE monitor_manual.last_at <= now() - make_interval(secs => $2)
       RETURNING site_code`,
      [siteCode, intervalSeconds],
    );
    return (rows as unknown[]).length > 0;
  }

  /** Gives the turn back (the probe could not run). */
  async releaseManualTurn(siteCode: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM monitor_manual WHERE site_code = $1`, [siteCode]);
  }

  async days(siteCode: string, from: string, to: string): Promise<DailyRow[]> {
    const rows = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, homepage_probes AS "homepageProbes", homepage_failures AS "homepageFailures",
              failures_by_cause AS "failuresByCause", to_char(homepage_newest, 'YYYY-MM-DD') AS "homepageNewest",
              column_probes AS "columnProbes", column_failures AS "columnFailures", columns, blank_columns AS "blankColumns",
              links_checked AS "linksChecked", broken_links AS "brokenLinks", broken
         FROM monitor_daily WHERE site_code = $1 AND day BETWEEN $2 AND $3 ORDER BY day`,
      [siteCode, from, to],
    );
    return rows as DailyRow[];
  }

  /** The partition of a Beijing day's probes, created if missing. */
  async ensurePartition(day: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      await this.createPartition(manager, day);
    });
  }

  /**
   * Partitions for today and the next days (Beijing time) exist; those whose day is more than
   * PROBE_RETENTION_DAYS old are dropped, and daily rows older than a year deleted.
   */
  async maintain(now: number): Promise<{ dropped: string[] }> {
    const today = beijingDayStart(now);
    const dropped: string[] = [];
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      for (let i = 0; i <= PARTITIONS_AHEAD; i++)
        await this.createPartition(manager, beijingDay(new Date(today + i * DAY_MS)));
      const cutoff = partitionName(beijingDay(new Date(today - PROBE_RETENTION_DAYS * DAY_MS)));
      const partitions = (await manager.query(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace
          WHERE p.relname = 'monitor_probe' AND n.nspname = current_schema()`,
      )) as Array<{ name: string }>;
      for (const { name } of partitions)
        if (/^monitor_probe_\d{8}$/.test(name) && name < cutoff) {
          await manager.query(`DROP TABLE IF EXISTS "${name}"`);
          dropped.push(name);
        }
      await manager.query(`DELETE FROM monitor_daily WHERE day < $1::date`, [
        beijingDay(new Date(today - DAILY_RETENTION_DAYS * DAY_MS)),
      ]);
    });
    return { dropped };
  }

  private async createPartition(manager: EntityManager, day: string): Promise<void> {
    const start = new Date(`${day}T00:00:00+08:00`);
    const end = new Date(start.getTime() + DAY_MS);
    await manager.query(
      `CREATE TABLE IF NOT EXISTS "${partitionName(day)}" PARTITION OF monitor_probe
         FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
    );
  }

  private async insertProbe(
    manager: EntityManager,
    siteCode: string,
    kind: TaskKind | 'MANUAL',
    target: string,
    dueAt: Date,
    outcome: ProbeOutcome,
    worker: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO monitor_probe (site_code, kind, target, due_at, probed_at, worker, ok, cause, status, elapsed_ms, newest, blank, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
      [
        siteCode,
        kind,
        target,
        dueAt.toISOString(),
        outcome.probedAt.toISOString(),
        worker,
        outcome.ok,
        outcome.cause,
        outcome.status,
        Math.round(outcome.elapsedMs),
        outcome.newest,
        outcome.blank,
        JSON.stringify(details),
      ],
    );
  }

  /** Adds a column or links probe to its site's row of the Beijing day it was due on. */
  private async addToDay(manager: EntityManager, task: ClaimedTask, outcome: ProbeOutcome): Promise<void> {
    const day = beijingDay(task.dueAt);
    const chain = `{${task.ownerChain.join(',')}}`;
    if (task.kind === 'COLUMN') {
      const registered = task.columns.find((column) => column.url === task.target);
      const entry: MonitoredColumn = {
        name: registered?.name ?? '',
        url: task.target,
        category: registered?.category ?? '',
        ok: outcome.ok,
        cause: outcome.ok ? null : outcome.cause,
        newest: outcome.newest,
        blank: outcome.blank === true,
      };
      await manager.query(
        `INSERT INTO monitor_daily (site_code, day, owner_chain, column_probes, column_failures, columns, blank_columns)
         VALUES ($1, $2, $3::uuid[], 1, $4, jsonb_build_array($5::jsonb), $6)
         ON CONFLICT (site_code, day) DO UPDATE SET owner_chain = EXCLUDED.owner_chain,
           column_probes = monitor_daily.column_probes + 1,
           column_failures = monitor_daily.column_failures + EXCLUDED.column_failures,
           columns = COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(monitor_daily.columns) e WHERE e ->> 'url' <> $7),
                              '[]'::jsonb) || jsonb_build_array($5::jsonb),
           blank_columns = (SELECT count(*) FROM jsonb_array_elements(monitor_daily.columns) e
                             WHERE e ->> 'url' <> $7 AND (e ->> 'blank')::boolean) + EXCLUDED.blank_columns,
           updated_at = now()`,
        [task.siteCode, day, chain, outcome.ok ? 0 : 1, JSON.stringify(entry), entry.blank ? 1 : 0, task.target],
      );
    } else if (outcome.links) {
      const broken = outcome.links.broken;
      await manager.query(
        `INSERT INTO monitor_daily (site_code, day, owner_chain, links_checked, broken_links, broken)
         VALUES ($1, $2, $3::uuid[], $4, $5, $6::jsonb)
         ON CONFLICT (site_code, day) DO UPDATE SET owner_chain = EXCLUDED.owner_chain,
           links_checked = EXCLUDED.links_checked, broken_links = EXCLUDED.broken_links, broken = EXCLUDED.broken,
           updated_at = now()`,
        [task.siteCode, day, chain, outcome.links.checked, broken.length, JSON.stringify(broken.slice(0, BROKEN_KEPT))],
      );
    }
  }
}
