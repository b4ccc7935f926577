import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  BeginUploadRequest,
  CommonErrorCodes,
  IntakeErrorCodes,
  UPLOAD_LEASE_MS,
  UPLOAD_RETRY_AFTER_SECONDS,
  UploadLease,
  uploadQuotaMessage,
} from '@app/contracts';
import { APP_CONFIG, DomainError } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ImportJobRepository } from '../jobs/import-job.repository';
import { IntakeConfig } from '../intake.settings';
import { UploadLeaseRepository } from './upload-lease.repository';

/**
 * What a unit may upload: at most IMPORT_UPLOADS_PER_UNIT uploads at once and at most
 * IMPORT_QUOTA_BYTES of packages kept. Counted in intake's database, so the limits hold across
 * every gateway replica; a gateway holds a lease per upload while its bytes stream in.
 */
@Injectable()
export class UploadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly leases: UploadLeaseRepository,
    private readonly jobs: ImportJobRepository,
    @Inject(APP_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async begin(request: BeginUploadRequest): Promise<UploadLease> {
    const orgUnitId = unitOf(request.actor);
    return this.dataSource.transaction(async (manager) => {
      await this.leases.lockUnit(manager, orgUnitId);
      const active = await this.leases.active(manager, orgUnitId);
      const limit = this.config.IMPORT_UPLOADS_PER_UNIT;
      if (active.count >= limit)
        throw new DomainError(
          IntakeErrorCodes.UPLOAD_LIMIT_REACHED,
          `本单位正在上传的文件已达 ${limit} 个（同时上传的上限），请等其中一个上传完成后再试`,
          { limit, retryAfterSeconds: UPLOAD_RETRY_AFTER_SECONDS },
        );
      const used = (await this.jobs.storedBytes(manager, orgUnitId)) + active.reservedBytes;
      this.checkQuota(used, request.minBytes);
      const leaseId = randomUUID();
      await this.leases.insert(manager, {
        id: leaseId,
        orgUnitId,
        reservedBytes: request.reserveBytes,
        leaseMs: UPLOAD_LEASE_MS,
      });
      const quotaBytes = this.config.IMPORT_QUOTA_BYTES;
      return { leaseId, remainingBytes: Math.max(0, quotaBytes - used), quotaBytes, leaseMs: UPLOAD_LEASE_MS };
    });
  }

  async renew(actor: Actor, leaseId: string): Promise<{ renewed: boolean }> {
    const renewed = await this.leases.renew(this.dataSource.manager, leaseId, unitOf(actor), UPLOAD_LEASE_MS);
    return { renewed };
  }

  async end(actor: Actor, leaseId: string): Promise<{ ended: boolean }> {
    return { ended: await this.leases.remove(this.dataSource.manager, leaseId, unitOf(actor)) };
  }

  /**
   * In the transaction creating an import job: the stored upload must still fit the quota
   * (another upload of the unit may have finished first), and its lease ends.
   */
  async settle(manager: EntityManager, actor: Actor, leaseId: string | undefined, size: number): Promise<void> {
    const orgUnitId = unitOf(actor);
    await this.leases.lockUnit(manager, orgUnitId);
    this.checkQuota(await this.jobs.storedBytes(manager, orgUnitId), size);
    if (leaseId) await this.leases.remove(manager, leaseId, orgUnitId);
  }

  private checkQuota(usedBytes: number, moreBytes: number): void {
    const quotaBytes = this.config.IMPORT_QUOTA_BYTES;
    if (usedBytes + moreBytes > quotaBytes) throw quotaExceeded(quotaBytes, usedBytes);
  }
}

function quotaExceeded(quotaBytes: number, usedBytes: number): DomainError {
  return new DomainError(IntakeErrorCodes.UPLOAD_QUOTA_EXCEEDED, uploadQuotaMessage(quotaBytes, usedBytes), {
    quotaBytes,
    usedBytes,
  });
}

function unitOf(actor: Actor): string {
  if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以导入网站信息');
  return actor.orgUnitId;
}
