import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountSubjects, UnitAccountSpec } from '@app/contracts';
import { APP_CONFIG, Outbox, SeedSettings } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NewOrgUnit, OrgUnitRepository } from '../org-units/org-unit.repository';
import { buildPresetTree, PresetUnit } from '.';

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
    private readonly units: OrgUnitRepository,
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: SeedSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { inserted } = await this.seed(buildPresetTree(this.config.PRESET_TREE));
    if (inserted > 0) this.logger.log({ msg: 'preset tree seeded', tree: this.config.PRESET_TREE, inserted });
  }

  async seed(preset: readonly PresetUnit[] = buildPresetTree()): Promise<SeedOutcome> {
    const inserted = await this.dataSource.transaction(async (manager) => {
      await this.units.lockSeeding(manager);
      const known = new Map((await this.units.allPlaces(manager)).map((place) => [place.code, place]));
      const fresh: NewOrgUnit[] = [];
      for (const unit of preset) {
        if (known.has(unit.code)) continue;
        const parent = unit.parentCode ? known.get(unit.parentCode) : undefined;
        if (unit.parentCode && !parent)
          throw new Error(`preset unit ${unit.code} comes before its parent ${unit.parentCode}`);
        const row: NewOrgUnit = {
          id: randomUUID(),
          code: unit.code,
          name: unit.name,
          level: unit.level,
          kind: unit.kind,
          parentId: parent?.id ?? null,
          path: parent ? `${parent.path}.${unit.code}` : unit.code,
        };
        known.set(unit.code, row);
        fresh.push(row);
      }
      await this.units.insertMany(manager, fresh);
      const accounts: UnitAccountSpec[] = fresh.map((row) => ({
        orgUnitId: row.id,
        code: row.code,
        parentId: row.parentId,
      }));
      for (let i = 0; i < accounts.length; i += ACCOUNT_CHUNK) {
        await this.outbox.enqueue(manager, AccountSubjects.ensureUnitAccounts, {
          units: accounts.slice(i, i + ACCOUNT_CHUNK),
        });
      }
      return fresh.length;
    });
    return { inserted };
  }
}
