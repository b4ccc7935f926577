import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  HierarchyErrorCodes,
  HierarchySubjects,
  Importer,
  ImportSubjects,
  IntakeErrorCodes,
  PackageKind,
} from '@app/contracts';
import { SiteForm } from '@app/forms';
import {
  APP_CONFIG,
  BusClient,
  DomainError,
  newCorrelationId,
  PollingLoop,
  returningRows,
  runWithContext,
} from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { isPackageRefusal } from './read-upload';
import { readUploadOffThread } from './read-upload-thread';
import { IntakeConfig } from '../intake.settings';

/** Staged forms per bus message: JSON kept well under NATS's 1 MB. */
const CHUNK_BYTES = 400 * 1024;
const POLL_MS = 500;
const MAX_ATTEMPTS = 8;

interface ClaimedJob {
  id: string;
  org_unit_id: string;
  actor: Actor;
  dry_run: boolean;
  kind: PackageKind;
  object_key: string;
  attempts: number;
}

/**
 * Runs import jobs. Every intake replica runs one; a job is claimed with a lease
 * (SKIP LOCKED: one replica per job) that the holder keeps renewing. If the replica dies,
 * the lease runs out and another replica takes the job over from the start; review's
 * commit is idempotent per job, so the outcome is as if it ran once. Busy is not failure:
 * jobs wait in the queue.
 */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger(ImportWorker.name);
  private readonly loop = new PollingLoop('import', POLL_MS, () => this.runNext(), this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: IntakeConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Looks for work now (a job was just queued). */
  trigger(): void {
    this.loop.trigger();
  }

  /** Claims and runs one job; true when there was one (there may be more). */
  private async runNext(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    await runWithContext({ correlationId: newCorrelationId(), service: 'intake' }, () => this.run(job));
    return true;
  }

  private async claim(): Promise<ClaimedJob | undefined> {
    const [job] = await returningRows<ClaimedJob>(
      this.dataSource,
      `UPDATE import_job SET status = 'RUNNING', lease_owner = $1, lease_until = now() + make_interval(secs => $2::float / 1000),
              started_at = coalesce(started_at, now()), attempts = attempts + 1
        WHERE id = (SELECT id FROM import_job
                     WHERE next_attempt_at <= now() AND (status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now()))
                     ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, org_unit_id, actor, dry_run, kind, object_key, attempts`,
      [this.instance, this.config.IMPORT_LEASE_MS],
    );
    return job;
  }

  private async run(job: ClaimedJob): Promise<void> {
    const renew = setInterval(
      () => void this.renewLease(job.id),
      Math.max(250, Math.floor(this.config.IMPORT_LEASE_MS / 3)),
    );
    try {
      const bytes = await this.storage.get(bucketName(this.config, 'packages'), job.object_key);
      const upload = await readUploadOffThread({
        kind: job.kind,
        bytes,
        maxUploadBytes: this.config.IMPORT_MAX_UPLOAD_BYTES,
      });
      const importer = await this.importer(job.actor);
      await this.progress(job.id, 0, upload.forms.length + upload.invalid.length);
      const chunks = chunkForms(upload.forms);
      let done = upload.invalid.length;
      for (const [index, forms] of chunks.entries()) {
        await this.bus.request(ImportSubjects.stage, {
          jobId: job.id,
          chunk: index,
          forms: forms as unknown as Array<Record<string, unknown>>,
        });
        done += forms.length;
        await this.progress(job.id, done);
      }
      const report = await this.bus.request(
        ImportSubjects.commit,
        {
          jobId: job.id,
          importer,
          dryRun: job.dry_run,
          chunks: chunks.length,
          invalid: upload.invalid,
          packageKey: job.object_key,
        },
        { timeoutMs: Math.max(this.config.BUS_TIMEOUT_MS, 120_000) },
      );
      await this.finish(job.id, 'SUCCEEDED', { report });
    } catch (err) {
      await this.fail(job, err);
    } finally {
      clearInterval(renew);
    }
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

  private async fail(job: ClaimedJob, err: unknown): Promise<void> {
    if (isPackageRefusal(err)) {
      await this.finish(job.id, 'FAILED', { error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (job.attempts >= MAX_ATTEMPTS) {
      this.logger.error({ msg: 'import job gave up', jobId: job.id, attempts: job.attempts, error: message });
      await this.finish(job.id, 'FAILED', {
        error: { code: IntakeErrorCodes.IMPORT_FAILED, message: '导入多次重试仍未成功，请联系技术支持' },
      });
      return;
    }
    // A service was down or the bus broke: back to the queue, tried again later.
    const delayMs = Math.min(60_000, 1000 * 2 ** job.attempts);
    this.logger.warn({ msg: 'import job will be retried', jobId: job.id, attempts: job.attempts, error: message });
    await this.dataSource.query(
      `UPDATE import_job SET status = 'QUEUED', lease_owner = NULL, lease_until = NULL, next_attempt_at = now() + make_interval(secs => $2::float / 1000) WHERE id = $1 AND lease_owner = $3`,
      [job.id, delayMs, this.instance],
    );
  }

  private async finish(
    id: string,
    status: 'SUCCEEDED' | 'FAILED',
    outcome: { report?: unknown; error?: unknown },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_job SET status = $2, report = $3, error = $4, finished_at = now(), lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $5`,
      [
        id,
        status,
        outcome.report === undefined ? null : JSON.stringify(outcome.report),
        outcome.error === undefined ? null : JSON.stringify(outcome.error),
        this.instance,
      ],
    );
  }

  private async progress(id: string, done: number, total?: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_job SET progress_done = $2, progress_total = coalesce($3, progress_total) WHERE id = $1 AND lease_owner = $4`,
      [id, done, total ?? null, this.instance],
    );
  }

  private async renewLease(id: string): Promise<void> {
    await this.dataSource
      .query(
        `UPDATE import_job SET lease_until = now() + make_interval(secs => $2::float / 1000) WHERE id = $1 AND lease_owner = $3 AND status = 'RUNNING'`,
        [id, this.config.IMPORT_LEASE_MS, this.instance],
      )
      .catch((err: unknown) => this.logger.warn({ msg: 'lease renewal failed', jobId: id, error: String(err) }));
  }
}

/** Splits forms into chunks of at most CHUNK_BYTES of JSON each. */
export function chunkForms(forms: SiteForm[]): SiteForm[][] {
  const chunks: SiteForm[][] = [];
  let current: SiteForm[] = [];
  let size = 0;
  for (const form of forms) {
    const bytes = Buffer.byteLength(JSON.stringify(form));
    if (current.length && size + bytes > CHUNK_BYTES) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(form);
    size += bytes;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
