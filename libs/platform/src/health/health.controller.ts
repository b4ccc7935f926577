import { Controller, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { HealthReply, healthSubject, ServiceName } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { HealthProbe, KNOWN_PROBES, STARTUP_PROBE, StartupProbe } from './health-probe';

const PROBE_TIMEOUT_MS = 2000;
const controllers = new Map<ServiceName, Type<HealthHandler>>();

export interface HealthHandler {
  /** Tells replicas apart in health answers (and in tests, which replica answered). */
  readonly instanceId: string;
  check(): Promise<HealthReply>;
}

/** The controller that answers `<service>.health.check` for one service (one class per service). */
export function createHealthController(service: ServiceName): Type<HealthHandler> {
  let controller = controllers.get(service);
  if (!controller) controllers.set(service, (controller = defineHealthController(service)));
  return controller;
}

function defineHealthController(service: ServiceName): Type<HealthHandler> {
  @Controller()
  class HealthController implements HealthHandler {
    readonly instanceId = randomUUID();
    private readonly startedAt = Date.now();
    private probes?: HealthProbe[];
    private startupProbe?: StartupProbe | null;

    constructor(private readonly moduleRef: ModuleRef) {}

    @MessagePattern(healthSubject(service).name)
    async check(): Promise<HealthReply> {
      const dependencies: HealthReply['dependencies'] = {};
      await Promise.all(
        this.registeredProbes().map(async (probe) => {
          dependencies[probe.name] = (await withTimeout(probe.check()).then(
            () => true,
            () => false,
          ))
            ? 'up'
            : 'down';
        }),
      );
      const degraded = Object.values(dependencies).some((state) => state === 'down');
      const startupProbe = this.registeredStartupProbe();
      const startup = startupProbe && !degraded ? await startupProbe.report() : undefined;
      return {
        service,
        status: degraded ? 'degraded' : 'up',
        instanceId: this.instanceId,
        uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
        dependencies,
        ...(startup && { startup }),
      };
    }

    private registeredStartupProbe(): StartupProbe | null {
      if (this.startupProbe === undefined) {
        try {
          this.startupProbe = this.moduleRef.get<StartupProbe>(STARTUP_PROBE, { strict: false });
        } catch {
          this.startupProbe = null;
        }
      }
      return this.startupProbe;
    }

    private registeredProbes(): HealthProbe[] {
      this.probes ??= KNOWN_PROBES.flatMap((token) => {
        try {
          return [this.moduleRef.get<HealthProbe>(token, { strict: false })];
        } catch {
          return [];
        }
      });
      return this.probes;
    }
  }
  return HealthController;
}

function withTimeout(promise: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
