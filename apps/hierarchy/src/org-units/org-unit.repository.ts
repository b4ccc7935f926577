import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { OrgUnit } from './org-unit.entity';

/** Serialises seeding between replicas booting at once (transaction-scoped advisory lock). */
const SEED_LOCK = 0x67737202;
/** Preset units per INSERT statement (7 parameters each, well under PostgreSQL's 65,535). */
const INSERT_CHUNK = 500;

/** A unit's place in the tree, as the seed needs it. */
export interface UnitPlace {
  id: string;
  code: string;
  path: string;
}

export type NewOrgUnit = Pick<OrgUnit, 'id' | 'code' | 'name' | 'level' | 'kind' | 'parentId' | 'path'>;

/**
 * Every query on org_unit. Every "under" question is one indexed query. Methods taking a
 * manager run inside the caller's transaction (with its outbox and audit rows).
 */
@Injectable()
export class OrgUnitRepository {
  constructor(@InjectRepository(OrgUnit) private readonly units: Repository<OrgUnit>) {}

  findById(id: string): Promise<OrgUnit | null> {
    return this.units.findOne({ where: { id } });
  }

  findByCode(code: string): Promise<OrgUnit | null> {
    return this.units.findOne({ where: { code } });
  }

  findByIds(ids: string[]): Promise<OrgUnit[]> {
    return ids.length ? this.units.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findByCodes(codes: string[]): Promise<OrgUnit[]> {
    return codes.length ? this.units.find({ where: { code: In(codes) } }) : Promise.resolve([]);
  }

  /** Units whose name contains the text (no pattern characters: a plain substring), by code. */
  findByNameContaining(text: string, limit: number): Promise<OrgUnit[]> {
    return this.units
      .createQueryBuilder('u')
      .where('strpos(u.name, :text) > 0', { text })
      .orderBy('u.code')
      .take(limit)
      .getMany();
  }

  /** Every child of a unit, by code. */
  allChildren(parentId: string): Promise<OrgUnit[]> {
    return this.units.find({ where: { parentId }, order: { code: 'ASC' } });
  }

  async children(parentId: string, offset: number, limit: number): Promise<{ units: OrgUnit[]; total: number }> {
    const [units, total] = await this.units.findAndCount({
      where: { parentId },
      order: { code: 'ASC' },
      skip: offset,
      take: limit,
    });
    return { units, total };
  }

  /** Number of children of each given unit (0 when none). */
  async childCounts(ids: string[]): Promise<Map<string, number>> {
    const counts = new Map(ids.map((id) => [id, 0]));
    if (ids.length === 0) return counts;
    const rows: Array<{ parent_id: string; n: number }> = await this.units.query(
      'SELECT parent_id, count(*)::int AS n FROM org_unit WHERE parent_id = ANY($1::uuid[]) GROUP BY parent_id',
      [ids],
    );
    for (const row of rows) counts.set(row.parent_id, row.n);
    return counts;
  }

  /** All units strictly below the unit with this path. */
  async countBelow(path: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.units.query(
      `SELECT count(*)::int AS n FROM org_unit WHERE path LIKE $1`,
      [`${escapeLike(path)}.%`],
    );
    return rows[0].n;
  }

  /** The unit, locked for update until the transaction ends. */
  findForUpdate(manager: EntityManager, id: string): Promise<OrgUnit | null> {
    return manager.findOne(OrgUnit, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  getById(manager: EntityManager, id: string): Promise<OrgUnit> {
    return manager.findOneOrFail(OrgUnit, { where: { id } });
  }

  async codeExists(manager: EntityManager, code: string): Promise<boolean> {
    return (await manager.findOne(OrgUnit, { where: { code } })) !== null;
  }

  async insert(manager: EntityManager, unit: NewOrgUnit): Promise<OrgUnit> {
    return manager.save(manager.create(OrgUnit, unit));
  }

  async save(manager: EntityManager, unit: OrgUnit): Promise<OrgUnit> {
    return manager.save(unit);
  }

  /** Waits for any other seeding transaction, then holds the seed to this one. */
  async lockSeeding(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, 0)', [SEED_LOCK]);
  }

  allPlaces(manager: EntityManager): Promise<UnitPlace[]> {
    return manager.query('SELECT id, code, path FROM org_unit');
  }

  /** For the first start's progress: how many of these (preset) codes exist, all units, units with children. */
  async seedCounts(codes: readonly string[]): Promise<{ seeded: number; units: number; parents: number }> {
    const [row]: Array<{ seeded: number; units: number; parents: number }> = await this.units.query(
      `SELECT count(*) FILTER (WHERE code = ANY($1::text[]))::int AS seeded, count(*)::int AS units,
              count(DISTINCT parent_id)::int AS parents
         FROM org_unit`,
      [codes],
    );
    return row;
  }

  /** Inserts many units in few statements (the preset tree: 3,000+ units). */
  async insertMany(manager: EntityManager, units: readonly NewOrgUnit[]): Promise<void> {
    for (let i = 0; i < units.length; i += INSERT_CHUNK) {
      const chunk = units.slice(i, i + INSERT_CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((unit, index) => {
        values.push(unit.id, unit.code, unit.name, unit.level, unit.kind, unit.parentId, unit.path);
        const base = index * 7;
        return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7})`;
      });
      await manager.query(
        `INSERT INTO org_unit (id, code, name, level, kind, parent_id, path) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
  }
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
