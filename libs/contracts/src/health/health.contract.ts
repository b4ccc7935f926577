import { ServiceName } from '../services';
import { Subject, subject } from '../subject';

export type DependencyState = 'up' | 'down';

/** What a service says of itself when asked `<service>.health.check`. */
export interface HealthReply {
  service: ServiceName;
  status: 'up' | 'degraded';
  instanceId: string;
  uptimeSeconds: number;
  dependencies: Record<string, DependencyState>;
}

export type HealthRequest = Record<string, never>;

export function healthSubject(service: ServiceName): Subject<HealthRequest, HealthReply> {
  return subject<HealthRequest, HealthReply>(`${service}.health.check`);
}
