import { postgresOptions } from '@app/platform';
import { DataSource } from 'typeorm';
import { MonitorRepository } from '../../assessment/src/monitoring/monitor.repository';
import { MonitorWorker } from '../../assessment/src/monitoring/monitor-worker';

/**
 * A monitoring worker process of the monitor-workers benchmark: on each `{at}` message it sets
 * its clock to `at`, runs what is due and answers `{stored}`. Argument: the database URL.
 */
async function main(): Promise<void> {
  const dataSource = await new DataSource(
    postgresOptions({
      service: 'assessment',
      schema: 'assessment',
      config: { DATABASE_URL: process.argv[2], DATABASE_POOL_SIZE: 10 },
      migrations: [],
    }),
  ).initialize();
  let clock = 0;
  const worker = new MonitorWorker(new MonitorRepository(dataSource), {
    perDay: 24,
    concurrency: Number(process.argv[3] ?? 32),
    leaseMs: 120_000,
    linksPerDay: 0,
    allowPrivateTargets: true,
    now: () => clock,
  });
  process.on('message', (message: { at?: number; stop?: boolean }) => {
    if (message.stop) return void dataSource.destroy().then(() => process.exit(0));
    clock = message.at!;
    void worker.runDue().then(
      (stored) => process.send!({ stored }),
      (err: unknown) => process.send!({ error: String(err) }),
    );
  });
  process.send!({ ready: true });
}

void main();
