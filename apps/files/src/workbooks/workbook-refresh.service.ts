import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountSubjects, FOLDERS, HierarchySubjects } from '@app/contracts';
import { APP_CONFIG, BusClient, JobRunner, StorageSettings } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FileRepository } from '../files/file.repository';
import { XLSX_TYPE } from '@app/contracts';
import { buildCredentialWorkbook, workbookName } from './credential-workbook';
import { RefreshRequest, WorkbookRefreshRepository } from './workbook-refresh.repository';

/**
 * Rebuilds parents' account workbooks. A request is stored (and acknowledged) at once;
 * a work queue (JobRunner) leases pending parents (SKIP LOCKED, so replicas share them),
 * builds each workbook from hierarchy's children and identity's credentials, stores it and
 * replaces the previous one. A request that arrives during a build makes it run again; a
 * failure is retried with backoff. So after any change the workbook ends up complete.
 */
@Injectable()
export class WorkbookRefreshService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runner: JobRunner<RefreshRequest>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly requests: WorkbookRefreshRepository,
    private readonly files: FileRepository,
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: StorageSettings,
  ) {
    this.runner = new JobRunner(
      dataSource,
      requests.queue,
      {
        perform: (job) => this.rebuild(job.row.parent_org_unit_id),
        succeeded: (manager, job) => requests.markBuilt(manager, job.row),
      },
      {
        name: 'workbook refresh',
        pollMs: 1000,
        // A build mostly waits (hierarchy, identity, S3, the database): a few at once fill the time.
        batchSize: 16,
        concurrency: 4,
        backoff: { baseMs: 1000, maxMs: 300_000 },
        leaseMs: 5 * 60_000,
      },
    );
  }

  async request(parentIds: string[]): Promise<{ queued: number }> {
    await this.requests.request(parentIds);
    return { queued: parentIds.length };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /** Builds and stores one parent's workbook, replacing the previous one. */
  async rebuild(parentId: string): Promise<void> {
    const [[parent], children] = await Promise.all([
      this.bus.request(HierarchySubjects.lookup, { ids: [parentId] }),
      this.bus.request(HierarchySubjects.lookup, { parentId }),
    ]);
    if (!parent) throw new Error(`unit ${parentId} not found`);
    const credentials = children.length
      ? await this.bus.request(AccountSubjects.credentials, { orgUnitIds: children.map((child) => child.id) })
      : [];
    const withAccount = new Set(credentials.map((credential) => credential.orgUnitId));
    // Never hand out a workbook with a child missing: its account is still being created, and
    // identity asks for this parent's workbook again in the transaction that creates it (at
    // the first start a parent's children can come in different batches). So this request is
    // done; waiting and retrying here only delayed the first start by the backoff.
    if (children.some((child) => !withAccount.has(child.id))) return;
    const bytes = await buildCredentialWorkbook(parent, children, credentials);
    const bucket = bucketName(this.config, 'files');
    const key = `workbooks/${parentId}/${randomUUID()}.xlsx`;
    await this.storage.put(bucket, key, bytes, XLSX_TYPE);
    const old = await this.files.replaceWorkbook({
      ownerOrgUnitId: parentId,
      folder: FOLDERS.collaboration,
      name: workbookName(parent.name),
      bucket,
      objectKey: key,
      size: bytes.length,
      contentType: XLSX_TYPE,
    });
    if (old && old !== key) await this.storage.remove(bucket, old).catch(() => undefined);
  }
}
