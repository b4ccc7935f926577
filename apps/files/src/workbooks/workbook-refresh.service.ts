import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountSubjects, FOLDERS, HierarchySubjects } from '@app/contracts';
import { APP_CONFIG, BusClient, PollingLoop, returningRows, StorageSettings } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildCredentialWorkbook, workbookName, XLSX_TYPE } from './credential-workbook';

const BATCH = 10;
const POLL_MS = 1000;
const CLAIM_MINUTES = 5;

interface Claimed {
  parent_org_unit_id: string;
  version: string;
  attempts: number;
}

/**
 * Rebuilds parents' account workbooks. A request is stored (and acknowledged) at once;
 * a worker claims pending parents (SKIP LOCKED, so replicas share them), builds each
 * workbook from hierarchy's children and identity's credentials, stores it and replaces
 * the previous one. A request that arrives during a build makes it run again; a failure
 * is retried later. So after any change the workbook ends up complete.
 */
@Injectable()
export class WorkbookRefreshService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkbookRefreshService.name);
  private readonly loop = new PollingLoop('workbook refresh', POLL_MS, () => this.refreshRound(), this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: StorageSettings,
  ) {}

  async request(parentIds: string[]): Promise<{ queued: number }> {
    if (parentIds.length > 0) {
      await this.dataSource.query(
        `INSERT INTO workbook_refresh (parent_org_unit_id) SELECT unnest($1::uuid[])
         ON CONFLICT (parent_org_unit_id) DO UPDATE SET requested_at = clock_timestamp(), version = workbook_refresh.version + 1, claimed_until = NULL, attempts = 0`,
        [parentIds],
      );
    }
    this.loop.trigger();
    return { queued: parentIds.length };
  }

  onApplicationBootstrap(): void {
    this.loop.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Claims a batch of pending parents and rebuilds each; more may wait when the batch was full. */
  private async refreshRound(): Promise<boolean> {
    const claimed = await this.claim();
    for (const row of claimed) await this.refreshOne(row);
    return claimed.length === BATCH;
  }

  private claim(): Promise<Claimed[]> {
    return returningRows<Claimed>(
      this.dataSource,
      `UPDATE workbook_refresh SET claimed_until = now() + make_interval(mins => $2)
        WHERE parent_org_unit_id IN (
          SELECT parent_org_unit_id FROM workbook_refresh
           WHERE claimed_until IS NULL OR claimed_until < now()
           ORDER BY requested_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING parent_org_unit_id, version, attempts`,
      [BATCH, CLAIM_MINUTES],
    );
  }

  private async refreshOne(row: Claimed): Promise<void> {
    try {
      await this.rebuild(row.parent_org_unit_id);
      // Done, unless another request came in meanwhile: then it runs again.
      await this.dataSource.query('DELETE FROM workbook_refresh WHERE parent_org_unit_id = $1 AND version = $2', [
        row.parent_org_unit_id,
        row.version,
      ]);
      await this.dataSource.query('UPDATE workbook_refresh SET claimed_until = NULL WHERE parent_org_unit_id = $1', [
        row.parent_org_unit_id,
      ]);
    } catch (err) {
      const delaySeconds = Math.min(300, 2 ** Math.min(row.attempts, 8));
      this.logger.warn({
        msg: 'workbook refresh failed, will retry',
        parentOrgUnitId: row.parent_org_unit_id,
        attempts: row.attempts + 1,
        error: err instanceof Error ? err.message : String(err),
      });
      await this.dataSource
        .query(
          `UPDATE workbook_refresh SET attempts = attempts + 1, last_error = $2, claimed_until = now() + make_interval(secs => $3) WHERE parent_org_unit_id = $1`,
          [row.parent_org_unit_id, String(err), delaySeconds],
        )
        .catch(() => undefined);
    }
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
    const missing = children.filter((child) => !credentials.some((credential) => credential.orgUnitId === child.id));
    // Never hand out a workbook with a child missing: its account is still being created.
    if (missing.length)
      throw new Error(`accounts not yet created for ${missing.map((child) => child.code).join(', ')}`);
    const bytes = await buildCredentialWorkbook(parent, children, credentials);
    const bucket = bucketName(this.config, 'files');
    const key = `workbooks/${parentId}/${randomUUID()}.xlsx`;
    await this.storage.put(bucket, key, bytes, XLSX_TYPE);
    const previous: Array<{ object_key: string }> = await this.dataSource.query(
      `WITH old AS (SELECT object_key FROM file WHERE owner_org_unit_id = $1 AND kind = 'credential-workbook')
       INSERT INTO file (owner_org_unit_id, folder, kind, name, bucket, object_key, size, content_type)
       VALUES ($1, $2, 'credential-workbook', $3, $4, $5, $6, $7)
       ON CONFLICT (owner_org_unit_id) WHERE kind = 'credential-workbook'
       DO UPDATE SET name = EXCLUDED.name, object_key = EXCLUDED.object_key, size = EXCLUDED.size, updated_at = now(), created_at = now()
       RETURNING (SELECT object_key FROM old) AS object_key`,
      [parentId, FOLDERS.collaboration, workbookName(parent.name), bucket, key, bytes.length, XLSX_TYPE],
    );
    const old = previous[0]?.object_key;
    if (old && old !== key) await this.storage.remove(bucket, old).catch(() => undefined);
  }
}
