// Limits on what a package may cost to read. All sizes are REAL bytes: the reader counts
// inflated bytes as it inflates and never trusts the sizes a ZIP header claims.

export interface PackageLimits {
  /** Bytes of the .zip itself (the upload). */
  maxPackageBytes: number;
  /** Inflated bytes of any one entry (manifest.json included). */
  maxEntryBytes: number;
  /** Inflated bytes of all entries read, together. */
  maxTotalBytes: number;
  /** Forms per package (docs/PACKAGE-FORMAT.md: more than 5,000 is refused). */
  maxForms: number;
}

const MiB = 1024 * 1024;

/**
 * A form with 200 栏目 at their longest is about 0.3 MiB of JSON; a manifest of 5,000 forms
 * about 2.5 MiB; 5,000 ordinary forms about 50 MiB.
 */
export const DEFAULT_PACKAGE_LIMITS: Readonly<PackageLimits> = {
  maxPackageBytes: 100 * MiB,
  maxEntryBytes: 4 * MiB,
  maxTotalBytes: 256 * MiB,
  maxForms: 5000,
};

export function resolveLimits(limits: Partial<PackageLimits> = {}): PackageLimits {
  return { ...DEFAULT_PACKAGE_LIMITS, ...limits };
}

/** 1048576 → "1 MiB", for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${Math.round((bytes / MiB) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} 字节`;
}
