import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkQueue } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

export interface RefreshRequest {
  parent_org_unit_id: string;
  version: string;
}

/**
 * The `workbook_refresh` table: one row per parent unit whose account workbook must be
 * rebuilt, a work queue with leases (a build can take a while, and a request arriving
 * meanwhile must not wait for it).
 */
@Injectable()
export class WorkbookRefreshRepository {
  readonly queue: WorkQueue<RefreshRequest>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.queue = new WorkQueue<RefreshRequest>(dataSource, {
      table: 'workbook_refresh',
      key: 'parent_org_unit_id',
      columns: ['parent_org_unit_id', 'version'],
      pending: 'true',
      order: 'requested_at',
      since: 'requested_at',
      leased: true,
    });
  }

  /**
   * Asks for these parents' workbooks to be rebuilt and wakes the workers. A parent already
   * waiting is due at once again; one being built now is built once more afterwards (its
   * version moves on).
   */
  async request(parentIds: string[]): Promise<void> {
    if (parentIds.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO workbook_refresh (parent_org_unit_id) SELECT unnest($1::uuid[])
         ON CONFLICT (parent_org_unit_id) DO UPDATE SET requested_at = clock_timestamp(), version = workbook_refresh.version + 1, attempts = 0, next_attempt_at = now()`,
        [parentIds],
      );
      await this.queue.wake(manager);
    });
  }

  /** For the first start's progress: parents whose workbook is still to be (re)built. */
  async pendingCount(): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query('SELECT count(*)::int AS n FROM workbook_refresh');
    return row.n;
  }

  /** The build of this version is done: the request goes, unless a newer one came meanwhile. */
  async markBuilt(manager: EntityManager, request: RefreshRequest): Promise<void> {
    await manager.query('DELETE FROM workbook_refresh WHERE parent_org_unit_id = $1 AND version = $2', [
      request.parent_org_unit_id,
      request.version,
    ]);
  }
}
