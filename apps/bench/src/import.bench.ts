import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { ApiClient, loginDownTheTree } from '@app/testing';
import { BENCH_ROOT_PASSWORD, count, seconds, startBenchSystem } from './bench-system';
import { BenchResult, sampleMemory } from './report';

const FORMS = 5000;
const COLUMNS = 10;

/** A 5,000-form package end to end: upload → intake reads and validates → review commits. */
export async function importBench(): Promise<BenchResult> {
  const bench = await startBenchSystem('import');
  const anonymous = new ApiClient(bench.baseUrl);
  const city = (await loginDownTheTree(anonymous, BENCH_ROOT_PASSWORD, ['130000', '130300'])).get('130300')!;
  const forms = Array.from({ length: FORMS }, (_, n) => createSampleForm(n, { columnCount: COLUMNS }));
  const bytes = await writePackage(forms, { fillerUnit: '秦皇岛市人民政府办公室', generator: { name: 'bench', version: '1' } });

  const peakMemory = sampleMemory();
  const dryRun = await timeImport(city, bytes, true);
  const first = await timeImport(city, bytes, false);
  const again = await timeImport(city, bytes, false);
  const peak = peakMemory();
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
    ],
    notes: [
      'One process: gateway, intake and review with the other services on the in-process bus, embedded PostgreSQL and S3, 2 cores.',
      'Measured from the start of the HTTP upload to the job reading SUCCEEDED (polled every 100 ms).',
      'The review commit applies the batch in one transaction with set-based statements (one per table).',
    ],
  };
}

async function timeImport(client: ApiClient, bytes: Uint8Array, dryRun: boolean): Promise<number> {
  const started = Date.now();
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), 'bench.zip');
  const res = await fetch(`${client.baseUrl}/api/v1/imports?dryRun=${dryRun}`, { method: 'POST', headers: { authorization: `Bearer ${client.token}` }, body: form });
  const { jobId } = (await res.json()) as { jobId: string };
  for (;;) {
    const job = await client.get(`/imports/${jobId}`);
    if (job.body.status === 'SUCCEEDED') return Date.now() - started;
    if (job.body.status === 'FAILED') throw new Error(`import failed: ${JSON.stringify(job.body.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
