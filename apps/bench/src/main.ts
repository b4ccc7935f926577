import { BenchResult, writeReport } from './report';
import { recordsListBench } from './records-list.bench';
import { importBench } from './import.bench';
import { seedBench } from './seed.bench';
import { consoleBench } from './console.bench';
import { uploadsBench } from './uploads.bench';
import { reviewAllBench, reviewAllNatsBench } from './review-all.bench';
import { loginBench } from './login.bench';
import { busBench } from './bus.bench';

/** `npm run bench [-- name…]`: runs the benchmarks and writes docs/benchmarks/<name>.md. */
const BENCHMARKS: Record<string, () => Promise<BenchResult>> = {
  seed: seedBench,
  'records-list': recordsListBench,
  import: importBench,
  console: consoleBench,
  uploads: uploadsBench,
  'review-all': reviewAllBench,
  'review-all-nats': reviewAllNatsBench,
  login: loginBench,
  bus: busBench,
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const names = asked.length ? asked : Object.keys(BENCHMARKS);
  for (const name of names) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.stdout.write(`bench ${name}…\n`);
    const result = await bench();
    for (const figure of result.figures) process.stdout.write(`  ${figure.label}: ${figure.value}\n`);
    process.stdout.write(`  → ${writeReport(result)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
