import type { StartupReport } from '@app/contracts';

/** A dependency a service reports on in its health answer (database, object storage…). */
export interface HealthProbe {
  readonly name: string;
  /** Resolves when the dependency answers; rejects otherwise. */
  check(): Promise<void>;
}

/** Tokens under which modules register their probes; the health handler asks for each. */
export const DATABASE_PROBE = Symbol('DATABASE_PROBE');
export const STORAGE_PROBE = Symbol('STORAGE_PROBE');
export const KNOWN_PROBES = [DATABASE_PROBE, STORAGE_PROBE];

/** A service's report on the first start's work it owns (hierarchy, identity, files register one). */
export interface StartupProbe {
  report(): Promise<StartupReport>;
}

/** The token a module registers its StartupProbe under; the health handler includes its report. */
export const STARTUP_PROBE = Symbol('STARTUP_PROBE');
