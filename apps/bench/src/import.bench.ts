import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { ApiClient, loginDownTheTree } from '@app/testing';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readUpload } from '../../intake/src/jobs/read-upload';
import { BENCH_ROOT_PASSWORD, count, seconds, startBenchSystem, waitForSeed } from './bench-system';
import { BenchResult, sampleMemory } from './report';

const FORMS = 5000;
const COLUMNS = 10;

/** A 5,000-form package end to end: upload → intake reads and validates → review commits. */
export async function importBench(): Promise<BenchResult> {
  const bench = await startBenchSystem('import');
  // Measured on a settled system, not while the first start still seeds the national tree.
  await waitForSeed(bench.db, bench.startedAt);
  const anonymous = new ApiClient(bench.baseUrl);
  const city = (await loginDownTheTree(anonymous, BENCH_ROOT_PASSWORD, ['130000', '130300'])).get('130300')!;
  const forms = Array.from({ length: FORMS }, (_, n) => createSampleForm(n, { columnCount: COLUMNS }));
  const bytes = await writePackage(forms, {
    fillerUnit: '秦皇岛市人民政府办公室',
    generator: { name: 'bench', version: '1' },
  });

  const peakMemory = sampleMemory();
  // How long the event loop (the one every request of the one-process default shares) stalls.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const dryRun = await timeImport(city, bytes, true);
  const first = await timeImport(city, bytes, false);
  const again = await timeImport(city, bytes, false);
  loopDelay.disable();
  const peak = peakMemory();
  // For comparison: the same package read on the event loop itself, as intake did before.
  const inThreadStarted = performance.now();
  await readUpload('zip', bytes, bench.config.IMPORT_MAX_UPLOAD_BYTES);
  const inThread = performance.now() - inThreadStarted;
  const records = await count(bench.db, 'SELECT count(*)::int AS n FROM review.record');
  await bench.stop();
  if (records !== FORMS) throw new Error(`expected ${FORMS} records, found ${records}`);
  const perSecond = (ms: number) => `${Math.round(FORMS / (ms / 1000))} forms/s`;
  return {
    name: 'import',
    title: `Importing a ${FORMS.toLocaleString('en')}-form package end to end`,
    figures: [
      { label: 'package', value: `${FORMS} forms × ${COLUMNS} 栏目, ${(bytes.length / 2 ** 20).toFixed(1)} MiB ZIP` },
      { label: 'dry run (预检): upload → report', value: `${seconds(dryRun)} (${perSecond(dryRun)})` },
      { label: 'first import: upload → 5,000 records created', value: `${seconds(first)} (${perSecond(first)})` },
      { label: 're-import of the same package (all unchanged)', value: `${seconds(again)} (${perSecond(again)})` },
      { label: 'peak resident memory of the process', value: `${peak} MiB` },
      {
        label: 'longest event-loop stall during the three imports (package read on a worker thread)',
        value: `${Math.round(loopDelay.max / 1e6)} ms (p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms)`,
      },
      {
        label: 'the same package read on the event loop instead (the stall it would cause)',
        value: `${Math.round(inThread)} ms`,
      },
    ],
    notes: [
      'One process: gateway, intake and review with the other services on the in-process bus, embedded PostgreSQL and S3, 2 cores.',
      'Measured from the start of the HTTP upload to the job reading SUCCEEDED (polled every 100 ms).',
      'The review commit applies the batch in one transaction with set-based statements (one per table).',
      'Event-loop stalls: perf_hooks.monitorEventLoopDelay in the one process during the three imports. Packages over 128 KiB and every Excel template are read on a worker thread; what stalls remain come from moving the forms between services (JSON on the bus) and the review commit.',
      "A/B on 2026-11-26 (same machine, worker file removed so intake reads on its event loop): longest stall 2,121 ms (p99 484 ms) against 493 ms (p99 105 ms) with the worker; throughput within noise (dry run 4.4 s vs 5.1 s, import 5.2 s vs 5.5 s); peak memory 521 MiB vs 803 MiB (the worker's heap and the copies across threads).",
    ],
  };
}

async function timeImport(client: ApiClient, bytes: Uint8Array, dryRun: boolean): Promise<number> {
  const started = Date.now();
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), 'bench.zip');
  const res = await fetch(`${client.baseUrl}/api/v1/imports?dryRun=${dryRun}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}` },
    body: form,
  });
  const { jobId } = (await res.json()) as { jobId: string };
  for (;;) {
    const job = await client.get(`/imports/${jobId}`);
    if (job.body.status === 'SUCCEEDED') return Date.now() - started;
    if (job.body.status === 'FAILED') throw new Error(`import failed: ${JSON.stringify(job.body.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
