import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountSubjects, UnitAccountSpec } from '@app/contracts';
import { APP_CONFIG, AppConfig, Outbox } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { buildPresetTree, PresetUnit } from '.';

const SEED_LOCK = 0x67737202;
const INSERT_CHUNK = 500;
/** Units per identity message: well under NATS's 1 MB. */
const ACCOUNT_CHUNK = 500;

export interface SeedOutcome {
  inserted: number;
}

/**
 * Seeds the preset tree (national, or the sample: setting PRESET_TREE) on first start, idempotently: under an advisory lock, it
 * inserts the preset units that are missing (all of them the first time, none after) and,
 * in the same transaction, asks identity (through the outbox) for their accounts.
 */
@Injectable()
export class SeedTreeService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedTreeService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { inserted } = await this.seed(buildPresetTree(this.config.PRESET_TREE));
    if (inserted > 0) this.logger.log({ msg: 'preset tree seeded', tree: this.config.PRESET_TREE, inserted });
  }

  async seed(preset: readonly PresetUnit[] = buildPresetTree()): Promise<SeedOutcome> {
    const inserted = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, 0)', [SEED_LOCK]);
      const existing: Array<{ id: string; code: string; path: string }> = await manager.query(
        'SELECT id, code, path FROM org_unit',
      );
      const known = new Map(existing.map((row) => [row.code, row]));
      const fresh: Array<{ id: string; unit: PresetUnit; parentId: string | null; path: string }> = [];
      for (const unit of preset) {
        if (known.has(unit.code)) continue;
        const parent = unit.parentCode ? known.get(unit.parentCode) : undefined;
        if (unit.parentCode && !parent)
          throw new Error(`preset unit ${unit.code} comes before its parent ${unit.parentCode}`);
        const row = { id: randomUUID(), code: unit.code, path: parent ? `${parent.path}.${unit.code}` : unit.code };
        known.set(unit.code, row);
        fresh.push({ id: row.id, unit, parentId: parent?.id ?? null, path: row.path });
      }
      for (let i = 0; i < fresh.length; i += INSERT_CHUNK) await insertUnits(manager, fresh.slice(i, i + INSERT_CHUNK));
      const accounts: UnitAccountSpec[] = fresh.map((row) => ({
        orgUnitId: row.id,
        code: row.unit.code,
        parentId: row.parentId,
      }));
      for (let i = 0; i < accounts.length; i += ACCOUNT_CHUNK) {
        await this.outbox.enqueue(manager, AccountSubjects.ensureUnitAccounts, {
          units: accounts.slice(i, i + ACCOUNT_CHUNK),
        });
      }
      return fresh.length;
    });
    if (inserted > 0) this.outbox.poke();
    return { inserted };
  }
}

async function insertUnits(
  manager: EntityManager,
  rows: Array<{ id: string; unit: PresetUnit; parentId: string | null; path: string }>,
): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((row, index) => {
    values.push(row.id, row.unit.code, row.unit.name, row.unit.level, row.unit.kind, row.parentId, row.path);
    const base = index * 7;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7})`;
  });
  await manager.query(
    `INSERT INTO org_unit (id, code, name, level, kind, parent_id, path) VALUES ${tuples.join(', ')}`,
    values,
  );
}
