import { SERVICE_NAMES, ServiceName } from '@app/contracts';
import { StartupReadiness } from './startup-readiness';

/** How long the readiness probe waits for one service's health answer (they are asked at once). */
const SERVICE_PROBE_TIMEOUT_MS = 2000;

/**
 * Each service as the gateway sees it, for the body of the gateway's `/readyz`: reported,
 * never a condition of the gateway's readiness.
 */
export async function servicesReport(
  readiness: StartupReadiness,
): Promise<{ services: Record<ServiceName, 'up' | 'degraded' | 'unreachable'> }> {
  const states = await Promise.all(
    SERVICE_NAMES.map(async (service) => [service, (await readiness.probe(service, SERVICE_PROBE_TIMEOUT_MS)).status]),
  );
  return { services: Object.fromEntries(states) as Record<ServiceName, 'up' | 'degraded' | 'unreachable'> };
}
