import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AuditTrail, PollingLoop } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { DataSource, EntityManager } from 'typeorm';
import { IntakeConfig } from '../intake.settings';

/** Where the gateway stores uploads: `imports/<unit id>/<random>.<zip|xlsx>`. */
export const UPLOAD_PREFIX = 'imports/';
const BATCH = 200;
/** One sweeping replica at a time (a transaction-level advisory lock). */
const SWEEP_LOCK = 0x67737204;
const UNIT_IN_KEY = /^imports\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i;

export interface OrphanSweepResult {
  /** Keys deleted. */
  removed: string[];
}

/**
 * Nothing is kept without a job. An upload is stored first and its job created after; when
 * the job is never created (the gateway's request to intake timed out, the gateway died in
 * between), the object would stay forever. This sweep deletes every object under the uploads
 * prefix that no import job names and that is older than IMPORT_ORPHAN_GRACE_SECONDS (so an
 * upload whose job is being created right now is never touched), audited per object. Runs on
 * the platform's PollingLoop every quarter of the grace period (1 second to 15 minutes); each
 * batch is settled by one replica at a time (a transaction-level advisory lock).
 */
@Injectable()
export class OrphanUploadSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OrphanUploadSweep');
  private readonly loop: PollingLoop;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: ObjectStorage,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: IntakeConfig,
  ) {
    const everyMs = Math.min(900_000, Math.max(1000, (config.IMPORT_ORPHAN_GRACE_SECONDS * 1000) / 4));
    this.loop = new PollingLoop(
      'orphan-upload-sweep',
      everyMs,
      async () => {
        await this.sweep();
        return false;
      },
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * One pass over the uploads prefix: deletes the objects no job names that were stored
   * before `now` minus the grace period. Does nothing while another replica sweeps.
   */
  async sweep(now = new Date()): Promise<OrphanSweepResult> {
    const graceSeconds = this.config.IMPORT_ORPHAN_GRACE_SECONDS;
    const cutoff = now.getTime() - graceSeconds * 1000;
    const bucket = bucketName(this.config, 'packages');
    const removed: string[] = [];
    let batch: Array<{ key: string; size: number; lastModified: Date }> = [];
    // Listed outside any transaction (no database connection held while S3 answers); each
    // batch is settled in a short transaction under the sweep lock.
    const settle = async () => {
      const objects = batch;
      batch = [];
      removed.push(
        ...(await this.dataSource.transaction(async (manager) => {
          const [{ locked }]: Array<{ locked: boolean }> = await manager.query(
            'SELECT pg_try_advisory_xact_lock($1) AS locked',
            [SWEEP_LOCK],
          );
          return locked ? this.removeUnclaimed(manager, bucket, objects, now, graceSeconds) : [];
        })),
      );
    };
    for await (const object of this.storage.list(bucket, UPLOAD_PREFIX)) {
      if (object.lastModified.getTime() >= cutoff) continue;
      batch.push(object);
      if (batch.length === BATCH) await settle();
    }
    if (batch.length) await settle();
    return { removed };
  }

  private async removeUnclaimed(
    manager: EntityManager,
    bucket: string,
    objects: Array<{ key: string; size: number; lastModified: Date }>,
    now: Date,
    graceSeconds: number,
  ): Promise<string[]> {
    const claimed: Array<{ object_key: string }> = await manager.query(
      'SELECT object_key FROM import_job WHERE object_key = ANY($1)',
      [objects.map((object) => object.key)],
    );
    const named = new Set(claimed.map((row) => row.object_key));
    const removed: string[] = [];
    for (const object of objects) {
      if (named.has(object.key)) continue;
      // Another replica may have swept it since it was listed: one removal, one audit entry.
      if (!(await this.storage.stat(bucket, object.key))) continue;
      await this.storage.remove(bucket, object.key);
      const unit = UNIT_IN_KEY.exec(object.key)?.[1] ?? null;
      const ageSeconds = Math.round((now.getTime() - object.lastModified.getTime()) / 1000);
      this.logger.warn({ msg: 'orphan upload deleted (no import job names it)', key: object.key, ageSeconds });
      await this.audit.record(manager, {
        actor: null,
        action: 'import.package.orphan',
        targetType: unit ? 'org-unit' : undefined,
        targetId: unit ?? undefined,
        details: { objectKey: object.key, size: object.size, ageSeconds, graceSeconds },
      });
      removed.push(object.key);
    }
    return removed;
  }
}
