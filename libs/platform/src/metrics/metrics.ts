import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics: one registry per process, served as `GET /metrics` on the
 * probe port (HEALTH_PORT). In `npm start` the six services and the gateway share the process,
 * so every metric a service records carries a `service` label. Labels stay bounded: route
 * templates and subject names, never raw URLs, ids or user input.
 */
export const metricsRegistry = new Registry();

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

export const httpRequestDuration = new Histogram({
  name: 'gsr_http_request_duration_seconds',
  help: 'HTTP requests at the gateway: duration by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const busRequestDuration = new Histogram({
  name: 'gsr_bus_request_duration_seconds',
  help: 'Bus requests made by a service (client side): duration by subject and outcome (ok, error, unavailable)',
  labelNames: ['service', 'subject', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const busHandlerDuration = new Histogram({
  name: 'gsr_bus_handler_duration_seconds',
  help: 'Bus messages handled by a service: duration by subject pattern and outcome (ok, error)',
  labelNames: ['service', 'subject', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'gsr_job_duration_seconds',
  help: 'Work-queue jobs (imports, outbox, mail, workbooks): one attempt, by queue and outcome (succeeded, failed, retry)',
  labelNames: ['service', 'queue', 'outcome'] as const,
  buckets: JOB_BUCKETS,
  registers: [metricsRegistry],
});

export const importJobs = new Gauge({
  name: 'gsr_import_jobs',
  help: 'Import jobs not finished yet, by state (QUEUED, RUNNING): the import queue depth',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
});

export const queueBacklog = new Gauge({
  name: 'gsr_queue_backlog',
  help: 'Work not done yet in a work queue (outbox, mail, import, workbook-refresh)',
  labelNames: ['service', 'queue'] as const,
  registers: [metricsRegistry],
});

export const queueOldestAge = new Gauge({
  name: 'gsr_queue_oldest_age_seconds',
  help: 'Age of the oldest work not done yet in a work queue (0 when empty)',
  labelNames: ['service', 'queue'] as const,
  registers: [metricsRegistry],
});

export const loginFailures = new Counter({
  name: 'gsr_login_failures_total',
  help: 'Refused logins by reason (credentials: wrong username or password, locked: the failure locked the account, throttled: refused before the check)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const dbPoolConnections = new Gauge({
  name: 'gsr_db_pool_connections',
  help: 'A service’s PostgreSQL pool by state (total, idle, waiting: callers queued for a connection)',
  labelNames: ['service', 'state'] as const,
  registers: [metricsRegistry],
});

export const dbPoolMax = new Gauge({
  name: 'gsr_db_pool_max',
  help: 'A service’s PostgreSQL pool size (DATABASE_POOL_SIZE)',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
});

export const scrapeCollectorErrors = new Counter({
  name: 'gsr_metrics_collector_errors_total',
  help: 'Gauges read at scrape time that failed or timed out (their last value is kept)',
  labelNames: ['collector'] as const,
  registers: [metricsRegistry],
});

/** Reads a gauge's source (a database count, a pool) at scrape time. */
export type ScrapeCollector = () => Promise<void> | void;

const collectors = new Map<symbol, { name: string; collect: ScrapeCollector }>();

/** Adds a collector run before each scrape; answers its removal (on shutdown). */
export function registerScrapeCollector(name: string, collect: ScrapeCollector): () => void {
  const key = Symbol(name);
  collectors.set(key, { name, collect });
  return () => void collectors.delete(key);
}

let processMetrics = false;

/** Node's own process metrics (CPU, memory, event loop, GC), once per process. */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/**
 * The exposition text: every collector runs first, each bounded by `timeoutMs`. A collector
 * that fails or is slow (the database is down) keeps its last value and is counted in
 * gsr_metrics_collector_errors_total: the scrape itself never fails for it.
 */
export async function renderMetrics(timeoutMs = 1000): Promise<string> {
  await Promise.all(
    [...collectors.values()].map(({ name, collect }) =>
      withTimeout(Promise.resolve().then(collect), timeoutMs).catch(() =>
        scrapeCollectorErrors.inc({ collector: name }),
      ),
    ),
  );
  return metricsRegistry.metrics();
}

export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;

/** Seconds since `startedNs` (process.hrtime.bigint()). */
export function secondsSince(startedNs: bigint): number {
  return Number(process.hrtime.bigint() - startedNs) / 1e9;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
