import { Injectable } from '@nestjs/common';
import { returningRows } from '@app/platform';
import { EntityManager } from 'typeorm';

/** The `upload_lease` table: uploads in progress, per unit (see the migration). */
@Injectable()
export class UploadLeaseRepository {
  /**
   * Serialises the upload bookkeeping of one unit (leases, quota) until the transaction
   * ends, so two replicas cannot both take the last slot or the last bytes.
   */
  async lockUnit(manager: EntityManager, orgUnitId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('intake.upload:' || $1))`, [orgUnitId]);
  }

  /** The unit's uploads in progress (leases not run out), and the bytes they reserve. */
  async active(manager: EntityManager, orgUnitId: string): Promise<{ count: number; reservedBytes: number }> {
    const [row]: Array<{ count: number; reserved: string }> = await manager.query(
      `SELECT count(*)::int AS count, coalesce(sum(reserved_bytes), 0)::text AS reserved
         FROM upload_lease WHERE org_unit_id = $1 AND expires_at > now()`,
      [orgUnitId],
    );
    return { count: row.count, reservedBytes: Number(row.reserved) };
  }

  async insert(
    manager: EntityManager,
    lease: { id: string; orgUnitId: string; reservedBytes: number; leaseMs: number },
  ): Promise<void> {
    // Leases of this unit that ran out are dropped on the way (their gateway died).
    await manager.query(`DELETE FROM upload_lease WHERE org_unit_id = $1 AND expires_at <= now()`, [lease.orgUnitId]);
    await manager.query(
      `INSERT INTO upload_lease (id, org_unit_id, reserved_bytes, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')`,
      [lease.id, lease.orgUnitId, lease.reservedBytes, lease.leaseMs],
    );
  }

  async renew(manager: EntityManager, id: string, orgUnitId: string, leaseMs: number): Promise<boolean> {
    const rows = await returningRows<{ id: string }>(
      manager,
      `UPDATE upload_lease SET expires_at = now() + $3 * interval '1 millisecond'
        WHERE id = $1 AND org_unit_id = $2 RETURNING id`,
      [id, orgUnitId, leaseMs],
    );
    return rows.length > 0;
  }

  async remove(manager: EntityManager, id: string, orgUnitId: string): Promise<boolean> {
    const rows = await returningRows<{ id: string }>(
      manager,
      `DELETE FROM upload_lease WHERE id = $1 AND org_unit_id = $2 RETURNING id`,
      [id, orgUnitId],
    );
    return rows.length > 0;
  }
}
