import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

const CHECK_VIOLATION = '23514';

/** The per-owner 标识码 counters (0001–9999). */
@Injectable()
export class SiteCodeCounterRepository {
  /**
   * Takes `counts.get(owner)` consecutive numbers for each owner and answers the first of each
   * block, or null when an owner's counter would pass 9999 (the row's CHECK; the caller's
   * transaction is then aborted). The UPSERT locks each counter row until the transaction
   * ends, so two approvals of one owner's records queue on it: no gaps, no duplicates, a
   * rollback gives the numbers back. Owners are taken in code order so concurrent batches
   * lock in one order.
   */
  async reserve(manager: EntityManager, counts: Map<string, number>): Promise<Map<string, number> | null> {
    const owners = [...counts.keys()].sort();
    if (owners.length === 0) return new Map();
    try {
      const rows: Array<{ owner_code: string; last_sequence: number }> = await manager.query(
        `INSERT INTO site_code_counter (owner_code, last_sequence)
         SELECT owner_code, n FROM unnest($1::varchar[], $2::int[]) AS t(owner_code, n) ORDER BY owner_code
         ON CONFLICT (owner_code) DO UPDATE SET last_sequence = site_code_counter.last_sequence + EXCLUDED.last_sequence
         RETURNING owner_code, last_sequence`,
        [owners, owners.map((owner) => counts.get(owner))],
      );
      return new Map(rows.map((row) => [row.owner_code, row.last_sequence - (counts.get(row.owner_code) ?? 0) + 1]));
    } catch (err) {
      if ((err as { code?: string }).code === CHECK_VIOLATION) return null;
      throw err;
    }
  }
}
