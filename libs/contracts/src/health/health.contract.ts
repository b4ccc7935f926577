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
  /** The first start's work this service owns (hierarchy, identity and files report it; see StartupReport). */
  startup?: StartupReport;
}

/** One step of the first start, in numbers a person reads: so many done of so many. */
export interface StepProgress {
  done: number;
  total: number;
}

/** The first start's progress in the gateway's health answer (status `starting`): preset units seeded, their accounts created, the workbooks built. */
export interface StartupProgress {
  units: StepProgress;
  accounts: StepProgress;
  workbooks: StepProgress;
}

/**
 * A service's share of the first start: the preset tree (hierarchy), its accounts (identity),
 * their workbooks (files). The gateway reads the three in that order — each one's work is
 * requested by the one before through an outbox — and the system is ready when all three are
 * `complete` with nothing `pending`.
 */
export interface StartupReport {
  /** This service's own part is there: hierarchy, every preset unit; identity, bm0100 linked to its unit. */
  complete: boolean;
  /** Work this service has queued and not yet seen done: hierarchy, account requests identity has not answered; identity, workbook requests files has not answered; files, workbooks still to build. */
  pending: number;
  /** Counts a person understands: hierarchy `presetUnits`, `presetUnitsSeeded`, `units`, `parentUnits`; identity `unitAccounts`; files `workbooks`. */
  counts: Record<string, number>;
}

export type HealthRequest = Record<string, never>;

export function healthSubject(service: ServiceName): Subject<HealthRequest, HealthReply> {
  return subject<HealthRequest, HealthReply>(`${service}.health.check`);
}
