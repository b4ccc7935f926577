import { ClientProxy } from '@nestjs/microservices';
import type { ServiceName } from '@app/contracts';
import { createServer, Server } from 'node:http';
import { BusTransport } from '../bus/transport';
import { enableProcessMetrics, METRICS_CONTENT_TYPE, renderMetrics } from '../metrics/metrics';
import { HealthProbe } from './health-probe';

/** The apps that run as processes of their own. */
export type ProbedApp = 'gateway' | ServiceName;

/** The liveness probe's path on the probe port (200 while the process can recover by itself). */
export const LIVENESS_PATH = '/livez';
/** The readiness probe's path on the probe port (200 when the process can serve). */
export const READINESS_PATH = '/readyz';

/**
 * The probe port of every app in a container: the image's HEALTH_PORT (deploy/Dockerfile), and
 * the one every manifest and the compose file set and probe. Each container has its own
 * network, so the apps share it there; it is also the gateway's port run on its own.
 */
export const CONTAINER_HEALTH_PORT = 9000;

/**
 * The probe port of each app run on its own (`npm run start:svc`) when HEALTH_PORT is unset:
 * several apps on one host need ports apart (`0` turns the port off).
 */
export const DEFAULT_HEALTH_PORTS: Readonly<Record<ProbedApp, number>> = {
  gateway: CONTAINER_HEALTH_PORT,
  identity: 9001,
  hierarchy: 9002,
  intake: 9003,
  review: 9004,
  files: 9005,
  notification: 9006,
  assessment: 9007,
};

/** HEALTH_PORT as an app run on its own reads it: unset is the app's default, 0 is off. */
export function healthPortFor(app: ProbedApp, configured: number | undefined): number {
  return configured ?? DEFAULT_HEALTH_PORTS[app];
}

const CHECK_TIMEOUT_MS = 2000;

export interface ProbeAnswer {
  status: 200 | 503;
  body: Record<string, unknown>;
}

/** What a process has to be probed once it has booted. */
export interface ProcessHealthTargets {
  /** The app's bus client (readiness connects it if it has not yet). */
  busClient: ClientProxy;
  /** Its databases (one per service; the launcher's process has six, on one server). */
  probes: HealthProbe[];
  /** More of the readiness body: the gateway reports each service's state here (never a condition). */
  report?: () => Promise<Record<string, unknown>>;
}

/**
 * Liveness and readiness of one process, for the probe port.
 *
 * - live: 200 while the process can still recover by itself; 503 when only a restart helps: a
 *   bus connection closed for good, or the bus unreachable for longer than
 *   BUS_DOWN_RESTART_SECONDS (0: never for that). The database is not a liveness matter: the
 *   pool reconnects by itself, and a restart would not bring PostgreSQL back.
 * - ready: 200 when it can serve: booted, bus reachable (a round trip), database answering;
 *   else 503 naming what is down.
 */
export class ProcessHealth {
  private targets?: ProcessHealthTargets;

  constructor(
    private readonly app: string,
    private readonly transport: BusTransport,
    private readonly busDownRestartSeconds: number,
  ) {}

  /** The process has booted: from now on readiness asks its bus and database. */
  attach(targets: ProcessHealthTargets): void {
    this.targets = targets;
  }

  live(): ProbeAnswer {
    const bus = this.transport.busState();
    if (bus.closedForGood)
      return {
        status: 503,
        body: { status: 'restart', app: this.app, reason: '总线连接已关闭，无法自行恢复', detail: bus.detail },
      };
    const downSeconds = bus.downSince === undefined ? 0 : Math.floor((Date.now() - bus.downSince) / 1000);
    if (!bus.reachable && this.busDownRestartSeconds > 0 && downSeconds >= this.busDownRestartSeconds)
      return {
        status: 503,
        body: {
          status: 'restart',
          app: this.app,
          reason: `总线已 ${downSeconds} 秒不可达（超过 BUS_DOWN_RESTART_SECONDS=${this.busDownRestartSeconds}）`,
          detail: bus.detail,
        },
      };
    return {
      status: 200,
      body: {
        status: 'live',
        app: this.app,
        bus: bus.reachable ? 'up' : 'down',
        ...(downSeconds && { busDownSeconds: downSeconds }),
      },
    };
  }

  async ready(): Promise<ProbeAnswer> {
    const targets = this.targets;
    if (!targets)
      return {
        status: 503,
        body: { status: 'not-ready', app: this.app, down: ['startup'], checks: { startup: 'down' } },
      };
    const checks: Record<string, 'up' | 'down'> = {};
    const detail: Record<string, string> = {};
    const [bus, databases, report] = await Promise.all([
      this.transport.checkBus(targets.busClient, CHECK_TIMEOUT_MS),
      Promise.all(
        targets.probes.map((probe) =>
          withTimeout(probe.check(), CHECK_TIMEOUT_MS).then(
            () => ({ name: probe.name, error: undefined }),
            (err: unknown) => ({ name: probe.name, error: err instanceof Error ? err.message : String(err) }),
          ),
        ),
      ),
      targets.report?.().catch(() => undefined),
    ]);
    checks.bus = bus.reachable ? 'up' : 'down';
    if (!bus.reachable && bus.detail) detail.bus = bus.detail;
    for (const { name, error } of databases) {
      if (checks[name] === 'down') continue;
      checks[name] = error === undefined ? 'up' : 'down';
      if (error !== undefined) detail[name] = error;
    }
    const down = Object.keys(checks).filter((name) => checks[name] === 'down');
    return {
      status: down.length === 0 ? 200 : 503,
      body: {
        status: down.length === 0 ? 'ready' : 'not-ready',
        app: this.app,
        ...(down.length > 0 && { down }),
        checks,
        ...(Object.keys(detail).length > 0 && { detail }),
        ...report,
      },
    };
  }
}

export interface ProbeServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Where the probe port serves the process's Prometheus metrics. */
export const METRICS_PATH = '/metrics';

/**
 * The probe port: `GET /livez` (LIVENESS_PATH) and `GET /readyz` (READINESS_PATH), JSON, and
 * `GET /metrics` (Prometheus text), nothing else (404). Plain node:http, apart from the app's
 * own HTTP stack, so it answers while the app boots or is stuck.
 */
export async function startProbeServer(port: number, health: ProcessHealth, host = '0.0.0.0'): Promise<ProbeServer> {
  enableProcessMetrics();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const answer = (result: ProbeAnswer) => {
      res.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(result.body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return void res.end();
    }
    if (path === LIVENESS_PATH) return answer(health.live());
    if (path === READINESS_PATH)
      return void health.ready().then(answer, (err: unknown) =>
        answer({
          status: 503,
          body: { status: 'not-ready', error: err instanceof Error ? err.message : String(err) },
        }),
      );
    if (path === METRICS_PATH)
      return void renderMetrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
          res.end(text);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(err instanceof Error ? err.message : String(err));
        },
      );
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({ code: 'NOT_FOUND', message: `只有 ${LIVENESS_PATH}、${READINESS_PATH} 与 ${METRICS_PATH}` }),
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `健康检查端口 HEALTH_PORT=${port} 已被占用（同一主机上的多个服务须各设不同的 HEALTH_PORT，0 为关闭）`
            : `健康检查端口 ${port} 无法监听：${err.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('无响应')), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
