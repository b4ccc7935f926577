import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, auditEntry, AuditSettings, PollingLoop } from '@app/platform';
import { DataSource } from 'typeorm';
import { AuditLogRepository } from './audit-log.repository';

/** How often the purge looks for entries past the retention period. */
const PURGE_EVERY_MS = 60 * 60 * 1000;
/** Entries removed per transaction; a full batch runs the next one at once. */
const PURGE_BATCH = 5000;

/**
 * Keeps the audit log for AUDIT_RETENTION_DAYS (at least 180): removes the oldest entries
 * past it, hourly and at boot, holding the chain's head like an append (replicas take turns).
 * The hash of the last removed entry becomes the chain's anchor, so what remains still
 * verifies; the purge itself is an entry of the log.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private readonly loop = new PollingLoop(
    'audit-retention',
    PURGE_EVERY_MS,
    async () => (await this.purge()) === PURGE_BATCH,
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditLogRepository,
    @Inject(APP_CONFIG) private readonly config: AuditSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One purge round; answers how many entries it removed. */
  async purge(now = new Date()): Promise<number> {
    const days = this.config.AUDIT_RETENTION_DAYS;
    const cutoff = new Date(now.getTime() - days * 24 * 3600 * 1000);
    return this.dataSource.transaction(async (manager) => {
      const head = await this.log.lockHead(manager);
      const { purged, throughSeq } = await this.log.purgeBefore(manager, head, cutoff, PURGE_BATCH);
      if (purged === 0) return 0;
      await this.log.insert(manager, [
        auditEntry('identity', {
          actor: null,
          action: 'audit.purge',
          targetType: 'audit-log',
          details: { purged, throughSeq, retentionDays: days, cutoff: cutoff.toISOString() },
        }),
      ]);
      this.logger.log({ msg: 'audit log entries past retention purged', purged, throughSeq, retentionDays: days });
      return purged;
    });
  }
}
