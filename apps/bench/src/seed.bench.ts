import { BenchResult, sampleMemory } from './report';
import { seconds, startBenchSystem, waitForSeed } from './bench-system';

/**
 * First start of the whole system on empty storage: seeding the national tree (~3,300
 * units), one account per unit (hash + sealed initial password) and every parent's
 * account workbook, all through the real services in one process.
 */
export async function seedBench(): Promise<BenchResult> {
  const peakMemory = sampleMemory();
  const bench = await startBenchSystem('seed');
  const { db, startedAt } = bench;
  const ready = Date.now() - startedAt;
  const { units, parents, accountsAt, workbooksAt } = await waitForSeed(db, startedAt);
  const peak = peakMemory();
  await bench.stop();
  return {
    name: 'seed',
    title: 'Seeding the national tree with accounts and workbooks (first start)',
    figures: [
      { label: 'org units seeded', value: String(units) },
      { label: 'parents with a workbook', value: String(parents) },
      { label: 'services booted, tree inserted (hierarchy ready)', value: seconds(ready) },
      { label: 'every unit has its account', value: seconds(accountsAt) },
      { label: 'every parent’s workbook stored', value: seconds(workbooksAt) },
      { label: 'accounts per second', value: String(Math.round(units / (accountsAt / 1000))) },
      { label: 'peak resident memory of the process', value: `${peak} MiB` },
    ],
    notes: [
      'One process: all six services and the gateway on the in-process bus, embedded PostgreSQL and S3 (s3rver) on the same 2-core machine.',
      'Initial passwords are hashed with scrypt N=2^10 (random 58-bit secrets; see docs/SECURITY.md) in libuv’s pool, 8 at a time.',
      'Times are from the start of the boot; the account and workbook steps run after boot, through the transactional outboxes.',
    ],
  };
}
