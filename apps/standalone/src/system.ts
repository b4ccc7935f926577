import { INestMicroservice } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SERVICE_NAMES, ServiceName, StartupProgress } from '@app/contracts';
import { ClientProxy } from '@nestjs/microservices';
import {
  BUS_CLIENT_PROXY,
  createServiceApp,
  ProbeServer,
  ProcessHealth,
  serviceHealthTargets,
  ServiceRuntime,
  startProbeServer,
} from '@app/platform';
import { createGatewayApp, GatewayOptions } from '../../gateway/src/create-gateway-app';
import { SERVICE_MODULES } from './services';
import { StartupReadiness } from '../../gateway/src/health/startup-readiness';

export interface RunningSystem {
  gateway: NestExpressApplication;
  services: Map<ServiceName, INestMicroservice>;
  /** The probe port (`/livez`, `/readyz`) of the whole process, when `healthPort` was given. */
  probes?: ProbeServer;
  close(): Promise<void>;
}

/**
 * Boots the six services (each its own Nest app) and the gateway on one runtime. The
 * launcher runs this on the in-process transport; tests run it on both transports.
 */
export async function startSystem(
  runtime: ServiceRuntime,
  options: GatewayOptions & {
    services?: readonly ServiceName[];
    /** Serve `/livez` and `/readyz` for the whole process on this port (0: any free one); unset: none. */
    healthPort?: number;
  } = {},
): Promise<RunningSystem> {
  const services = new Map<ServiceName, INestMicroservice>();
  let gateway: NestExpressApplication | undefined;
  let probes: ProbeServer | undefined;
  const health = new ProcessHealth(
    options.processName ?? 'system',
    runtime.transport,
    runtime.config.BUS_DOWN_RESTART_SECONDS ?? 0,
  );
  const close = async () => {
    await gateway?.close();
    await Promise.all([...services.values()].map((app) => app.close()));
    await probes?.close();
  };
  try {
    if (options.healthPort !== undefined) probes = await startProbeServer(options.healthPort, health, '127.0.0.1');
    await Promise.all(
      (options.services ?? SERVICE_NAMES).map(async (service) => {
        services.set(
          service,
          await createServiceApp(SERVICE_MODULES[service](runtime), {
            service,
            processName: options.processName,
            ...runtime,
          }),
        );
      }),
    );
    gateway = await createGatewayApp(runtime, options);
    await gateway.listen(runtime.config.PORT, '127.0.0.1');
    // Ready: the bus (in-process: always) and every service's database answer.
    health.attach({
      busClient: gateway.get<ClientProxy>(BUS_CLIENT_PROXY),
      probes: [...services.values()].flatMap((app) => serviceHealthTargets(app).probes),
    });
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  return { gateway, services, probes, close };
}

/**
 * Resolves once the first start's work is done: the preset tree, every unit's account (bm0100
 * linked to its unit) and every parent's workbook (see StartupReadiness). Until then the
 * gateway already answers: health 503 `starting` with the progress, login 503 SERVICE_STARTING.
 * A later start finds it all there and resolves at the first look.
 */
export async function untilStarted(
  system: RunningSystem,
  onProgress?: (progress: StartupProgress) => void,
  pollMs = 200,
): Promise<void> {
  const readiness = system.gateway.get(StartupReadiness);
  for (;;) {
    const state = await readiness.state();
    if (state.ready) return;
    if (state.progress) onProgress?.(state.progress);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
