import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  CommonErrorCodes,
  HierarchyErrorCodes,
  HierarchySubjects,
  Importer,
  IntakeErrorCodes,
} from '@app/contracts';
import {
  APP_CONFIG,
  BusClient,
  DomainError,
  importJobs,
  Job,
  JobContext,
  JobRunner,
  newCorrelationId,
  registerScrapeCollector,
} from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { DataSource } from 'typeorm';
import { ImportJobRepository, QueuedImport } from './import-job.repository';
import { isPackageRefusal } from './read-upload';
import { ImportStageRepository } from './import-stage.repository';
import { endReaderThreads, prepareUploadOffThread } from './read-upload-thread';
import { commitWatched } from './watched-commit';
import { IntakeConfig } from '../intake.settings';

const POLL_MS = 500;
const MAX_ATTEMPTS = 8;

/**
 * Runs import jobs, a leased work queue (JobRunner). Every intake replica runs one; a job
 * is claimed with a lease (SKIP LOCKED: one replica per job) that the holder keeps renewing.
 * If the replica dies, the lease runs out and another replica takes the job over from the
 * start; the old holder can no longer write to it, and review's commit is idempotent per
 * job, so the outcome is as if it ran once. Busy is not failure: jobs wait in the queue.
 */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runner: JobRunner<QueuedImport, unknown>;
  private stopCollecting?: () => void;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly jobs: ImportJobRepository,
    private readonly stage: ImportStageRepository,
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: IntakeConfig,
  ) {
    this.runner = new JobRunner<QueuedImport, unknown>(
      dataSource,
      jobs.queue,
      {
        // Under the upload request's correlation id, on whichever replica runs or takes it over.
        context: (job) => ({ correlationId: job.row.correlation_id ?? newCorrelationId(), service: 'intake' }),
        perform: (job, context) => this.run(job, context),
        succeeded: (manager, job, report) => jobs.markSucceeded(manager, job.id, report),
        // A refused package fails at once, and so does a request a service refused as invalid
        // (retrying the same content cannot help); anything else (a service was down, the bus
        // broke) goes back to the queue with backoff, and fails after MAX_ATTEMPTS.
        isFinal: (err) => finalFailure(err) !== undefined,
        failed: async (manager, job, err) => {
          await stage.clear(manager, job.id);
          await jobs.markFailed(
            manager,
            job.id,
            finalFailure(err) ?? {
              code: IntakeErrorCodes.IMPORT_FAILED,
              message: '导入多次重试仍未成功，请联系技术支持',
            },
          );
        },
      },
      {
        name: 'import',
        pollMs: POLL_MS,
        batchSize: 1,
        concurrency: 1,
        backoff: { baseMs: 2000, maxMs: 60_000 },
        leaseMs: config.IMPORT_LEASE_MS,
        stopMs: config.IMPORT_SHUTDOWN_MS,
        maxAttempts: MAX_ATTEMPTS,
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // The import queue's depth by state (gsr_import_jobs), read from the table at scrape time.
    this.stopCollecting = registerScrapeCollector('intake:import-jobs', async () => {
      const depth = await this.jobs.depth();
      for (const state of ['QUEUED', 'RUNNING'] as const) importJobs.set({ state }, depth[state]);
    });
    await this.runner.start();
  }

  /**
   * On SIGTERM, before the bus and the database close: takes no more jobs, lets the one in
   * progress finish within IMPORT_SHUTDOWN_MS, else hands it back to the queue.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopCollecting?.();
    await this.runner.stop();
    await endReaderThreads();
  }

  /**
   * Reads the job's package (on a worker thread), stages its forms in PostgreSQL and asks
   * review to commit them: only the job id and counts cross the bus, whatever the package's
   * size; the report's rows come back the same way (review writes them, intake serves them).
   */
  private async run(job: Job<QueuedImport>, context: JobContext<QueuedImport>): Promise<unknown> {
    const { row } = job;
    const progress = (done: number, total?: number) =>
      context.whileHeld((manager) => this.jobs.recordProgress(manager, job.id, done, total));
    // Rows of jobs that ended without a commit deleting them (cheap: by primary key and age).
    await this.stage.sweepStale();
    const bytes = await this.storage.get(bucketName(this.config, 'packages'), row.object_key);
    const prepared = await prepareUploadOffThread(
      { kind: row.kind, bytes, maxUploadBytes: this.config.IMPORT_MAX_UPLOAD_BYTES },
      !row.dry_run,
    );
    const importer = await this.importer(row.actor);
    const staged = prepared.forms + prepared.invalid;
    await progress(0, staged);
    await this.stage.write(job.id, prepared.batches);
    await progress(staged);
    return commitWatched(
      this.bus,
      { jobId: job.id, importer, dryRun: row.dry_run, staged, packageKey: row.object_key },
      { timeoutMs: Math.max(this.config.BUS_TIMEOUT_MS, 120_000) },
    );
  }

  private async importer(actor: Actor): Promise<Importer> {
    const chain = await this.bus.request(HierarchySubjects.lookup, { ancestorsOf: actor.orgUnitId! });
    const unit = chain[chain.length - 1];
    if (!unit || unit.id !== actor.orgUnitId)
      throw new DomainError(HierarchyErrorCodes.ORG_UNIT_NOT_FOUND, '导入单位不存在');
    // 地区/部门: the names below the root, e.g. 河北省 秦皇岛市 (the root's own records: its name).
    const regionName = (chain.length > 1 ? chain.slice(1) : chain).map((u) => u.name).join(' ');
    return { actor, orgUnitId: unit.id, code: unit.code, chain: chain.map((u) => u.id), regionName };
  }
}

/**
 * The job's failure when retrying cannot help — the package is refused, or a service refused
 * the request as invalid (the same content would be refused again) — else undefined.
 */
export function finalFailure(err: unknown): { code: string; message: string; details?: unknown } | undefined {
  if (isPackageRefusal(err)) return { code: err.code, message: err.message, details: err.details };
  if (err instanceof DomainError && err.code === CommonErrorCodes.VALIDATION_FAILED)
    return {
      code: IntakeErrorCodes.IMPORT_FAILED,
      message: '上报文件中有系统无法保存的内容，请用离线填报工具重新生成后导入',
    };
  return undefined;
}
