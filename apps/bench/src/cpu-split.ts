import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's times (100 on every Linux this runs on; asked, not assumed). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU milliseconds (user + system) of every live process whose command name starts with `prefix`. */
export function cpuOfCommand(prefix: string): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith(prefix)) continue;
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th;
      // cutime and cstime (14th, 15th) hold what its children used before they ended, so a
      // PostgreSQL backend that ends during the measurement is not subtracted from the total.
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Where the CPU of a load went, per request, in milliseconds. */
export interface CpuSplit {
  /** This process: the system under test (HTTP, Nest, the bus, JSON, the database driver). */
  server: number;
  /** PostgreSQL's processes (every backend of the server, whatever database). */
  postgres: number;
  /** The NATS server (0 on the embedded default). */
  nats: number;
  /** The load tool, in its own process. */
  load: number;
}

/**
 * Measures what `run` costs in CPU per request: this process (which hosts the system), the
 * PostgreSQL and NATS servers' processes, and the load tool (which reports its own). The
 * machine is shared: anything else PostgreSQL does meanwhile is counted too.
 */
export async function measureCpu<T extends { requests: number; loadCpuMs: number }>(
  run: () => Promise<T>,
): Promise<{ result: T; split: CpuSplit }> {
  const own = process.cpuUsage();
  const postgres = cpuOfCommand('postgres');
  const nats = cpuOfCommand('nats-server');
  const result = await run();
  const used = process.cpuUsage(own);
  const per = (ms: number) => ms / Math.max(1, result.requests);
  return {
    result,
    split: {
      server: per((used.user + used.system) / 1000),
      postgres: per(cpuOfCommand('postgres') - postgres),
      nats: per(cpuOfCommand('nats-server') - nats),
      load: per(result.loadCpuMs),
    },
  };
}

/** One thread of this process: its nice value and CPU so far (user and system), in milliseconds. */
export interface ThreadTimes {
  tid: number;
  nice: number;
  userMs: number;
  systemMs: number;
}

/** Every live thread of this process (Linux /proc/self/task): which work runs where, and at what cost. */
export function threadTimes(): ThreadTimes[] {
  const threads: ThreadTimes[] = [];
  for (const entry of readdirSync('/proc/self/task')) {
    try {
      // After the closing parenthesis: utime, stime are the 12th and 13th fields, nice the 17th.
      const fields = readFileSync(`/proc/self/task/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      threads.push({
        tid: Number(entry),
        nice: Number(fields[16]),
        userMs: (Number(fields[11]) * 1000) / TICKS_PER_SECOND,
        systemMs: (Number(fields[12]) * 1000) / TICKS_PER_SECOND,
      });
    } catch {
      // ended meanwhile
    }
  }
  return threads;
}

/** The machine's cores. */
export const CORES = cpus().length;

/** Requests per second the cores allow at this CPU per request. */
export function ceiling(split: CpuSplit): number {
  return (CORES * 1000) / (split.server + split.postgres + split.nats + split.load);
}
