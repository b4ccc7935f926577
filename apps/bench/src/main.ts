import { BenchMode, BenchResult, reportName, writeReport, writeSummary } from './report';
import { recordsListBench } from './records-list.bench';
import { importBench } from './import.bench';
import { seedBench } from './seed.bench';
import { consoleBench } from './console.bench';
import { uploadsBench } from './uploads.bench';
import { reviewAllBench } from './review-all.bench';
import { loginBench } from './login.bench';
import { busBench } from './bus.bench';
import { memoryBench } from './memory.bench';
import { statsBench } from './stats.bench';
import { exportBench } from './export.bench';
import { probeBench } from './probe.bench';
import { assessmentStatsBench } from './assessment-stats.bench';
import { monitorWorkersBench } from './monitor-workers.bench';

interface Benchmark {
  run: () => Promise<BenchResult>;
  /** Where it is meaningful: the embedded default, the servers, or both. */
  modes: BenchMode[];
}

const BOTH: BenchMode[] = ['embedded', 'servers'];

/**
 * `npm run bench [-- name…] [--mode embedded|servers]`: runs the benchmarks (each in the modes it
 * is meaningful in: `npm start`'s embedded default, and the PostgreSQL and NATS servers a
 * deployment uses), writes docs/benchmarks/<name>[.servers].md, then docs/PERFORMANCE.md from
 * every stored result.
 */
const BENCHMARKS: Record<string, Benchmark> = {
  seed: { run: seedBench, modes: ['embedded'] },
  'records-list': { run: recordsListBench, modes: BOTH },
  import: { run: importBench, modes: BOTH },
  'review-all': { run: reviewAllBench, modes: BOTH },
  login: { run: loginBench, modes: BOTH },
  bus: { run: busBench, modes: ['servers'] },
  uploads: { run: uploadsBench, modes: ['embedded'] },
  console: { run: consoleBench, modes: ['embedded'] },
  memory: { run: memoryBench, modes: BOTH },
  stats: { run: statsBench, modes: ['embedded'] },
  export: { run: exportBench, modes: ['embedded'] },
  probe: { run: probeBench, modes: ['embedded'] },
  'assessment-stats': { run: assessmentStatsBench, modes: ['embedded'] },
  'monitor-workers': { run: monitorWorkersBench, modes: ['servers'] },
};

function parseArgs(argv: string[]): { names: string[]; modes: BenchMode[] } {
  const names: string[] = [];
  let modes: BenchMode[] = BOTH;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mode' || arg.startsWith('--mode=')) {
      const value = arg.includes('=') ? arg.slice('--mode='.length) : argv[++i];
      if (value !== 'embedded' && value !== 'servers')
        throw new Error(`--mode must be embedded or servers, not ${value}`);
      modes = [value];
    } else names.push(arg);
  }
  return { names: names.length ? names : Object.keys(BENCHMARKS), modes };
}

async function main(): Promise<void> {
  const { names, modes } = parseArgs(process.argv.slice(2));
  for (const name of names) {
    if (!BENCHMARKS[name]) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  for (const name of names) {
    const bench = BENCHMARKS[name];
    for (const mode of bench.modes.filter((m) => modes.includes(m))) {
      process.env.BENCH_MODE = mode;
      process.stdout.write(`bench ${name} (${mode})…\n`);
      const result = { ...(await bench.run()), mode };
      for (const figure of result.figures) process.stdout.write(`  ${figure.label}: ${figure.value}\n`);
      for (const target of result.targets ?? [])
        process.stdout.write(
          `  [${target.met ? 'met' : 'MISSED'}] ${target.what}: ${target.measured} (target ${target.target})\n`,
        );
      process.stdout.write(`  → ${writeReport(result)} (${reportName(result)})\n`);
    }
  }
  process.stdout.write(`→ ${writeSummary()}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
