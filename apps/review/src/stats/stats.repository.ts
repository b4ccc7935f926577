import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RECORD_LIFECYCLES, RECORD_STATUSES, RecordLifecycle, RecordStatus, UnitCounts } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { ZERO_REPORT_LOCK, zeroReportBucket } from '../migrations/1765420000000-UnitStats';

/** A unit's delta rows are folded into one per (status, lifecycle) once there are more than this many. */
const FOLD_AT = 64;

/** The day a reminder counts for: the calendar day in Beijing. */
const REMINDER_DAY = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

export function emptyCounts(): UnitCounts {
  return {
    websites: 0,
    byStatus: Object.fromEntries(RECORD_STATUSES.map((status) => [status, 0])) as Record<RecordStatus, number>,
    byLifecycle: Object.fromEntries(RECORD_LIFECYCLES.map((state) => [state, 0])) as Record<RecordLifecycle, number>,
    lastActivityAt: null,
  };
}

interface CountRow {
  unit_id: string;
  status: RecordStatus;
  lifecycle: RecordLifecycle;
  n: string;
  last_at: Date | null;
  rows?: number;
}

function addRow(counts: UnitCounts, row: CountRow): void {
  const n = Number(row.n);
  counts.websites += n;
  counts.byStatus[row.status] = (counts.byStatus[row.status] ?? 0) + n;
  counts.byLifecycle[row.lifecycle] = (counts.byLifecycle[row.lifecycle] ?? 0) + n;
  const at = row.last_at ? row.last_at.toISOString() : null;
  if (at && (!counts.lastActivityAt || at > counts.lastActivityAt)) counts.lastActivityAt = at;
}

/** Counts per unit subtree (kept by the triggers of migration UnitStats), 零报送 and 催报 rows. */
@Injectable()
export class StatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** What each unit's subtree holds, per status and lifecycle: sums of the kept deltas. */
  async subtreeCounts(unitIds: string[]): Promise<Map<string, UnitCounts>> {
    const result = new Map(unitIds.map((id) => [id, emptyCounts()]));
    if (unitIds.length === 0) return result;
    const rows: CountRow[] = await this.dataSource.query(
      `SELECT unit_id, status, lifecycle, sum(n)::text AS n, max(last_at) AS last_at, count(*)::int AS rows
         FROM unit_stats WHERE unit_id = ANY($1::uuid[]) GROUP BY unit_id, status, lifecycle`,
      [unitIds],
    );
    const deltaRows = new Map<string, number>();
    for (const row of rows) {
      addRow(result.get(row.unit_id)!, row);
      deltaRows.set(row.unit_id, (deltaRows.get(row.unit_id) ?? 0) + (row.rows ?? 0));
    }
    const grown = [...deltaRows].filter(([, count]) => count > FOLD_AT).map(([id]) => id);
    // One unit per statement, in a fixed order: two readers folding at once never deadlock.
    for (const id of grown.sort()) await this.fold(id);
    return result;
  }

  /** The records the unit itself owns (本级), counted directly: one owner holds at most 9,999. */
  async ownCounts(unitId: string): Promise<UnitCounts> {
    const counts = emptyCounts();
    const rows: CountRow[] = await this.dataSource.query(
      `SELECT owner_org_unit_id AS unit_id, status, lifecycle, count(*)::text AS n, max(updated_at) AS last_at
         FROM record WHERE owner_org_unit_id = $1 GROUP BY owner_org_unit_id, status, lifecycle`,
      [unitId],
    );
    for (const row of rows) addRow(counts, row);
    return counts;
  }

  /** Which of the units have 零报送 declared. */
  async zeroReports(unitIds: string[]): Promise<Map<string, Date>> {
    if (unitIds.length === 0) return new Map();
    const rows: Array<{ org_unit_id: string; declared_at: Date }> = await this.dataSource.query(
      `SELECT org_unit_id, declared_at FROM zero_report WHERE org_unit_id = ANY($1::uuid[])`,
      [unitIds],
    );
    return new Map(rows.map((row) => [row.org_unit_id, row.declared_at]));
  }

  /** How many records wait at each unit (held there, not finally approved). */
  async waitingAt(unitIds: string[]): Promise<Map<string, number>> {
    if (unitIds.length === 0) return new Map();
    const rows: Array<{ unit_id: string; n: number }> = await this.dataSource.query(
      `SELECT holder_org_unit_id AS unit_id, count(*)::int AS n FROM record
        WHERE holder_org_unit_id = ANY($1::uuid[]) AND status <> 'APPROVED' GROUP BY holder_org_unit_id`,
      [unitIds],
    );
    return new Map(rows.map((row) => [row.unit_id, row.n]));
  }

  /**
   * Declares 零报送 unless the unit owns a record: answers the declaration time, or null when
   * refused (`hasRecords`) or already declared (`declaredAt` of the existing one).
   */
  async declareZeroReport(
    manager: EntityManager,
    unitId: string,
    username: string,
  ): Promise<{ created: boolean; declaredAt: Date | null; hasRecords: boolean }> {
    // Exclusive on the unit's bucket: an insert of records in flight finishes first (and is seen
    // below), or waits for this declaration and then withdraws it (the insert trigger).
    await manager.query(`SELECT pg_advisory_xact_lock(${ZERO_REPORT_LOCK}, ${zeroReportBucket('$1::uuid')})`, [unitId]);
    const [owned] = await manager.query(`SELECT EXISTS (SELECT 1 FROM record WHERE owner_org_unit_id = $1) AS has`, [
      unitId,
    ]);
    if (owned.has) return { created: false, declaredAt: null, hasRecords: true };
    const inserted: Array<{ declared_at: Date }> = await manager.query(
      `INSERT INTO zero_report (org_unit_id, declared_by) VALUES ($1, $2)
       ON CONFLICT (org_unit_id) DO NOTHING RETURNING declared_at`,
      [unitId, username],
    );
    if (inserted.length) return { created: true, declaredAt: inserted[0].declared_at, hasRecords: false };
    const [existing] = await manager.query(`SELECT declared_at FROM zero_report WHERE org_unit_id = $1`, [unitId]);
    return { created: false, declaredAt: existing?.declared_at ?? null, hasRecords: false };
  }

  /** Withdraws the unit's 零报送: true when there was one. */
  async withdrawZeroReport(manager: EntityManager, unitId: string): Promise<boolean> {
    // As a SELECT: TypeORM answers a bare DELETE … RETURNING as [rows, count].
    const [{ n }]: Array<{ n: number }> = await manager.query(
      `WITH gone AS (DELETE FROM zero_report WHERE org_unit_id = $1 RETURNING org_unit_id)
       SELECT count(*)::int AS n FROM gone`,
      [unitId],
    );
    return n > 0;
  }

  /**
   * Records today's reminder of each unit that has none yet (the primary key enforces one per
   * unit and day, whoever sends it): answers the units recorded, with the day.
   */
  async recordReminders(
    manager: EntityManager,
    unitIds: string[],
    sender: { orgUnitId: string; username: string },
  ): Promise<Array<{ unitId: string; day: string }>> {
    if (unitIds.length === 0) return [];
    const rows: Array<{ org_unit_id: string; day: string }> = await manager.query(
      `INSERT INTO reminder (org_unit_id, day, sender_org_unit_id, sender_username)
       SELECT id, ${REMINDER_DAY}, $2, $3 FROM unnest($1::uuid[]) AS u(id)
       ON CONFLICT (org_unit_id, day) DO NOTHING RETURNING org_unit_id, day::text AS day`,
      [unitIds, sender.orgUnitId, sender.username],
    );
    return rows.map((row) => ({ unitId: row.org_unit_id, day: row.day }));
  }

  private async fold(unitId: string): Promise<void> {
    await this.dataSource.query(
      `WITH gone AS (DELETE FROM unit_stats WHERE unit_id = $1 RETURNING status, lifecycle, n, last_at)
       INSERT INTO unit_stats (unit_id, status, lifecycle, n, last_at)
       SELECT $1, status, lifecycle, sum(n), max(last_at) FROM gone GROUP BY status, lifecycle
       HAVING sum(n) <> 0 OR max(last_at) IS NOT NULL`,
      [unitId],
    );
  }
}
