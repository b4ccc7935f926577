import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AuditTrail, PollingLoop } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { DataSource } from 'typeorm';
import { ImportJobRepository } from '../jobs/import-job.repository';
import { IntakeConfig } from '../intake.settings';

const BATCH = 20;

/**
 * Deletes refused (FAILED) and dry-run (预检) uploads once IMPORT_RETENTION_SECONDS have
 * passed since their job ended: the object, then the job's row, audited. Accepted imports'
 * packages are kept (their record versions name them). Runs on the platform's PollingLoop
 * every quarter of the retention period, between 1 second and 1 hour; replicas share the
 * work (rows locked with SKIP LOCKED). The object goes first: if the row's deletion then
 * fails, the next round deletes the missing object again (a no-op in S3) and the row.
 */
@Injectable()
export class UploadRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ImportJobRepository,
    private readonly storage: ObjectStorage,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: IntakeConfig,
  ) {
    const everyMs = Math.min(3_600_000, Math.max(1000, (config.IMPORT_RETENTION_SECONDS * 1000) / 4));
    this.loop = new PollingLoop('upload-retention', everyMs, () => this.sweep());
  }

  onApplicationBootstrap(): void {
    this.loop.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One round: deletes up to a batch of expired uploads; true when there may be more. */
  async sweep(): Promise<boolean> {
    const bucket = bucketName(this.config, 'packages');
    return this.dataSource.transaction(async (manager) => {
      const expired = await this.jobs.lockExpired(manager, this.config.IMPORT_RETENTION_SECONDS, BATCH);
      for (const job of expired) {
        await this.storage.remove(bucket, job.object_key);
        await this.jobs.remove(manager, job.id);
        await this.audit.record(manager, {
          actor: null,
          action: 'import.package.expire',
          targetType: 'import-job',
          targetId: job.id,
          details: {
            orgUnitId: job.org_unit_id,
            fileName: job.file_name,
            size: Number(job.size),
            reason: job.dry_run && job.status === 'SUCCEEDED' ? 'dry-run' : 'refused',
            retentionSeconds: this.config.IMPORT_RETENTION_SECONDS,
          },
        });
      }
      return expired.length === BATCH;
    });
  }
}
