import { readFileSync } from 'node:fs';

/**
 * glibc malloc settings for the identity service's process, where every login runs one scrypt
 * at our cost (N=2^15, r=8). They must be in the environment when the process starts: glibc
 * reads them before any JavaScript runs. Other C libraries (musl, macOS) ignore them.
 *
 * - MALLOC_MMAP_THRESHOLD_: each hash asks for 32 MiB and 3 KiB, just over the largest block
 *   glibc will ever serve from its heap by itself (32 MiB). So by default every login maps
 *   32 MiB afresh and unmaps it after, and the kernel faults in and zeroes 8,192 pages each
 *   time. A threshold just above that size serves the hash from the heap, where the next one
 *   finds it again.
 * - MALLOC_TRIM_THRESHOLD_: the heap keeps up to 80 MiB free at its top rather than giving it
 *   back, so the hashing threads' memory stays mapped between logins (the price: it stays
 *   resident once logins have needed it).
 * - MALLOC_ARENA_MAX: one arena. glibc otherwise gives each thread that allocates an arena of
 *   its own, and drops such an arena's heap once all of it is free: the hash's memory would be
 *   mapped afresh again.
 *
 * Only identity gets them: in a process that also reads packages (intake, the one process of
 * `npm start`) every large buffer then comes from the heap too, and the dry run was slower.
 * Figures in docs/OPERATIONS.md (Memory).
 */
export const MALLOC_SETTINGS = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_MMAP_THRESHOLD_: String(33 * 2 ** 20),
  MALLOC_TRIM_THRESHOLD_: String(80 * 2 ** 20),
} as const;

/** The app whose processes start with MALLOC_SETTINGS. */
export const MALLOC_SETTINGS_APP = 'identity';

/**
 * glibc settings every process of the system starts with: `npm start`, `npm run start:svc` and
 * `npm run bench` (package.json, where the operator's own values win), `npm run cluster` and the
 * image (deploy/Dockerfile). identity's deployments add MALLOC_SETTINGS over them.
 *
 * - GLIBC_TUNABLES=glibc.malloc.hugetlb=1: glibc asks the kernel for transparent huge pages
 *   (madvise) for the large blocks it maps and for its heap, so the kernel faults memory in
 *   2 MiB at a time instead of 4 KiB: a full-cost scrypt (32 MiB) costs some hundreds of faults
 *   instead of 8,192. On a 2-core AMD EPYC VM (2026-12-03) one hash took 64–70 ms instead of
 *   160 ms, 3–8 ms of it in the kernel instead of 55 ms, and two threads hashed 28.3 per second
 *   instead of 11.6. It needs the kernel's transparent huge pages at `madvise` or `always`
 *   (/sys/kernel/mm/transparent_hugepage/enabled); with `never`, or another C library, it
 *   changes nothing.
 * - MALLOC_ARENA_MAX=2: glibc otherwise gives each thread that allocates an arena of its own
 *   (up to 8 per core) and keeps what it frees there. With huge pages that kept memory grows:
 *   `npm start` held 244 MiB two minutes after a 3,000-form import and 全部审核 with the tunable
 *   alone, 187 MiB with both (idle 150 MiB).
 */
export const PROCESS_MALLOC_SETTINGS = {
  MALLOC_ARENA_MAX: '2',
  GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
} as const;

/** The glibc settings an app's process starts with: PROCESS_MALLOC_SETTINGS, and identity's own over them. */
export function mallocSettingsFor(app: string): Record<string, string> {
  return { ...PROCESS_MALLOC_SETTINGS, ...(app === MALLOC_SETTINGS_APP && MALLOC_SETTINGS) };
}

/** The kernel's transparent huge pages mode (`always`, `madvise`, `never`), which the tunable needs; undefined where unknown. */
export function transparentHugePages(): string | undefined {
  try {
    return /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
