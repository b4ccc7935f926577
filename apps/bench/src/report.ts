import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { transparentHugePages } from '../../standalone/src/malloc-settings';

/** Where a benchmark ran: `npm start`'s embedded default, or the servers a deployment uses. */
export type BenchMode = 'embedded' | 'servers';

/**
 * One row of the performance targets: what was measured, its target, and the limit it is
 * compared with, measured in the same run. `met` is decided by the benchmark from the numbers,
 * never written by hand.
 */
export interface BenchTarget {
  /** What is measured, e.g. "import a 5,000-form package, upload → SUCCEEDED". */
  what: string;
  /** The target as the issue states it, e.g. "≥ 2,000 forms/s and ≥ 0.3 of the limit". */
  target: string;
  /** The measured figure, e.g. "2,480 forms/s (median of 3)". */
  measured: string;
  /** The limit measured beside it in the same run, e.g. "batched INSERT 10,300 forms/s". */
  limit?: string;
  /** measured ÷ limit (or limit ÷ measured for times), as the target states it. */
  ratio?: number;
  met: boolean;
  /** For a miss: where the time goes (the profile), and what limits it. */
  profile?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  figures: Array<{ label: string; value: string }>;
  notes: string[];
  /** The targets this benchmark checks (rows of docs/PERFORMANCE.md). */
  targets?: BenchTarget[];
  /** Set by the runner. */
  mode?: BenchMode;
}

const DOCS = resolve(__dirname, '../../../../docs');
const BENCHMARKS = join(DOCS, 'benchmarks');

export function machineDescription(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/**
 * What changes glibc's malloc in the benchmark's processes (`npm run bench` sets them as `npm start`
 * does) and the kernel's transparent huge pages, which that tunable depends on.
 */
export function mallocDescription(): string {
  return `MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '(unset)'}, GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? '(unset)'}, transparent huge pages ${transparentHugePages() ?? 'unknown'}`;
}

/** The report's file name: `<name>` on the embedded default, `<name>.servers` on the servers. */
export function reportName(result: Pick<BenchResult, 'name' | 'mode'>): string {
  return result.mode === 'servers' ? `${result.name}.servers` : result.name;
}

/** Writes `docs/benchmarks/<name>.md` (for people) and `.json` (for comparing runs and the summary). */
export function writeReport(result: BenchResult): string {
  mkdirSync(BENCHMARKS, { recursive: true });
  const machine = machineDescription();
  const when = new Date().toISOString();
  const where =
    result.mode === 'servers'
      ? 'on the servers a deployment uses (PostgreSQL and NATS servers of this machine)'
      : "on `npm start`'s embedded default (embedded PostgreSQL and S3, in-process bus)";
  const md = [
    `# ${result.title}`,
    '',
    `Measured ${when} on ${machine}, ${where}, by \`npm run bench -- ${result.name}\` (${mallocDescription()}).`,
    '',
    ...(result.targets?.length ? [...targetTable(result.targets), ''] : []),
    '| measure | value |',
    '|---|---|',
    ...result.figures.map((figure) => `| ${figure.label} | ${figure.value} |`),
    '',
    ...result.notes.map((note) => `- ${note}`),
    ...(result.targets ?? [])
      .filter((target) => !target.met && target.profile)
      .map((target) => `- **Missed: ${target.what}.** ${target.profile}`),
    '',
  ].join('\n');
  const file = join(BENCHMARKS, `${reportName(result)}.md`);
  writeFileSync(file, md);
  writeFileSync(join(BENCHMARKS, `${reportName(result)}.json`), JSON.stringify({ ...result, when, machine }, null, 2));
  return file;
}

function cell(text: string | undefined): string {
  return (text ?? '—').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function targetTable(targets: BenchTarget[], link?: string): string[] {
  return [
    `| what | target | measured | limit beside it | ratio | met |${link ? ' bench |' : ''}`,
    `|---|---|---|---|---|---|${link ? '---|' : ''}`,
    ...targets.map(
      (t) =>
        `| ${cell(t.what)} | ${cell(t.target)} | ${cell(t.measured)} | ${cell(t.limit)} | ${
          t.ratio === undefined ? '—' : t.ratio.toFixed(2)
        } | ${t.met ? 'yes' : '**no**'} |${link ? ` ${link} |` : ''}`,
    ),
  ];
}

interface StoredResult extends BenchResult {
  when: string;
  machine: string;
}

/**
 * Writes docs/PERFORMANCE.md from every stored result in docs/benchmarks (the latest run of each
 * benchmark in each mode): the targets with their limits and ratios, the misses with their
 * profiles, and the links to each benchmark's own page.
 */
export function writeSummary(): string {
  const stored: StoredResult[] = existsSync(BENCHMARKS)
    ? readdirSync(BENCHMARKS)
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => JSON.parse(readFileSync(join(BENCHMARKS, file), 'utf8')) as StoredResult)
    : [];
  const section = (mode: BenchMode, heading: string, intro: string): string[] => {
    const results = stored.filter((r) => (r.mode ?? 'embedded') === mode && r.targets?.length);
    if (!results.length) return [];
    const rows = results.flatMap((r) => {
      // Which run: the date and the CPU (a shared machine's runs may land on different hosts).
      const cpu = r.machine
        .replace(/^\d+ × /, '')
        .split(',')[0]
        .replace(/\(R\)|Processor|CPU/g, '')
        .trim();
      const link = `[${r.name}](benchmarks/${reportName(r)}.md), ${r.when.slice(0, 16).replace('T', ' ')} UTC, ${cpu}`;
      return targetTable(r.targets!, link).slice(2);
    });
    return [
      `## ${heading}`,
      '',
      intro,
      '',
      '| what | target | measured | limit beside it | ratio | met | bench, run, CPU |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ];
  };
  const misses = stored.flatMap((r) =>
    (r.targets ?? [])
      .filter((t) => !t.met)
      .map(
        (t) =>
          `- **${t.what}** (${r.mode === 'servers' ? 'servers' : 'embedded'}): ${t.measured} against ${t.target}. ${
            t.profile ?? ''
          }`,
      ),
  );
  const others = stored.filter((r) => !r.targets?.length);
  const md = [
    '# Performance',
    '',
    'This page is written by `npm run bench` from the results in [benchmarks/](benchmarks/); do not edit it',
    'by hand. Each target is measured beside the limit it is compared with, in the same run, because the',
    'machine is shared and absolute times move between runs. Each benchmark page gives its own figures, the',
    'machine, the date and how it was measured.',
    '',
    `Machines: ${[...new Set(stored.map((r) => r.machine))].join('; ') || '—'}.`,
    `Runs: ${
      stored.length
        ? `${stored
            .map((r) => r.when)
            .sort()[0]
            .slice(0, 10)} to ${stored
            .map((r) => r.when)
            .sort()
            .at(-1)!
            .slice(0, 10)}`
        : '—'
    }.`,
    '',
    ...section(
      'embedded',
      'On the embedded default (`npm start`: one process, embedded PostgreSQL and S3, in-process bus)',
      'What a newcomer gets from `npm start`.',
    ),
    ...section(
      'servers',
      'On the servers a deployment uses (PostgreSQL server, NATS server)',
      'The same benchmarks with the database on the machine’s PostgreSQL server (a fresh database per run) and the services talking over its NATS server.',
    ),
    ...(misses.length ? ['## Targets missed, and what limits them', '', ...misses, ''] : []),
    ...(others.length
      ? [
          '## Other measurements',
          '',
          ...others.map((r) => `- [${r.title}](benchmarks/${reportName(r)}.md) (${r.when.slice(0, 10)})`),
          '',
        ]
      : []),
  ].join('\n');
  const file = join(DOCS, 'PERFORMANCE.md');
  writeFileSync(file, md);
  return file;
}

/** Samples this process's resident memory until stopped; returns the peak in MiB. */
export function sampleMemory(intervalMs = 100): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), intervalMs);
  return () => {
    clearInterval(timer);
    return Math.round(peak / 2 ** 20);
  };
}

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  return percentile(values, 0.5);
}

/** The value below which the fraction `p` of the values lie (nearest rank, no interpolation). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** `requests` calls one after the other: each one's time in ms. */
export async function timed(requests: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}
