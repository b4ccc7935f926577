import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { OrgUnit } from './org-unit.entity';

/** Queries on the tree. Every "under" question is one indexed query. */
@Injectable()
export class OrgUnitRepository {
  constructor(@InjectRepository(OrgUnit) readonly units: Repository<OrgUnit>) {}

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
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
