import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ServiceName } from '@app/contracts';
import { transportFromConfig } from '../bus/transport';
import { loadSettings, SettingsClass, SettingsOf } from '../config/app-config';
import { healthPortFor, ProbeServer, ProcessHealth, startProbeServer } from '../health/process-health';
import { logCrashes } from '../logging/crash-log';
import { BUS_CLIENT_PROXY } from '../tokens';
import { DATABASE_PROBE, HealthProbe } from '../health/health-probe';
import { createServiceApp } from './create-service-app';
import { BaseConfig, ServiceRuntime } from './runtime';

/** Alone, an app has no in-process peers: it needs NATS. */
export const SEPARATE_PROCESS_NEEDS = {
  NATS_URL: '单独运行的服务须通过 NATS 通信（一体化运行请用 npm start）',
} as const;

/**
 * Entry point of a service run as its own process (`npm run start:svc -- <service>`):
 * its own settings from the environment (a bad or missing one stops the boot, named),
 * NATS required, the probe port (HEALTH_PORT) up before the boot so liveness answers while
 * it waits for NATS, stops cleanly on SIGTERM/SIGINT.
 */
export async function runService<S extends readonly SettingsClass[]>(
  service: ServiceName,
  settings: S,
  moduleFor: (runtime: ServiceRuntime<SettingsOf<S> & BaseConfig>) => DynamicModule,
): Promise<void> {
  logCrashes(service);
  let app: INestMicroservice | undefined;
  let probes: ProbeServer | undefined;
  try {
    const config = loadSettings(settings, process.env, {}, { require: SEPARATE_PROCESS_NEEDS }) as SettingsOf<S> &
      BaseConfig;
    const runtime = { config, transport: transportFromConfig(config) };
    const health = new ProcessHealth(service, runtime.transport, config.BUS_DOWN_RESTART_SECONDS);
    const port = healthPortFor(service, config.HEALTH_PORT);
    if (port > 0) probes = await startProbeServer(port, health);
    app = await createServiceApp(moduleFor(runtime), { service, ...runtime });
    health.attach(serviceHealthTargets(app));
  } catch (err) {
    process.stderr.write(`${service} 启动失败：${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const stop = async () => {
    await app?.close();
    await probes?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

/** What readiness asks of a booted service: its bus client and its database. */
export function serviceHealthTargets(app: INestMicroservice): { busClient: ClientProxy; probes: HealthProbe[] } {
  return {
    busClient: app.get<ClientProxy>(BUS_CLIENT_PROXY, { strict: false }),
    probes: [app.get<HealthProbe>(DATABASE_PROBE, { strict: false })],
  };
}
