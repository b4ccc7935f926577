import { Inject, Injectable } from '@nestjs/common';
import { AccountSubjects, StartupReport } from '@app/contracts';
import { APP_CONFIG, Outbox, SeedSettings, StartupProbe } from '@app/platform';
import { OrgUnitRepository } from '../org-units/org-unit.repository';
import { buildPresetTree } from '.';

/**
 * Hierarchy's share of the first start, for the health answer: the preset units present
 * (the seed inserts them in one transaction), and the account requests identity has not
 * answered yet.
 */
@Injectable()
export class SeedProgress implements StartupProbe {
  private readonly presetCodes: string[];
  /** Once every preset unit is there it stays there (units are never deleted): no need to look again. */
  private seeded = false;

  constructor(
    private readonly units: OrgUnitRepository,
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) config: SeedSettings,
  ) {
    this.presetCodes = buildPresetTree(config.PRESET_TREE).map((unit) => unit.code);
  }

  async report(): Promise<StartupReport> {
    const counts = await this.units.seedCounts(this.seeded ? [] : this.presetCodes);
    if (this.seeded) counts.seeded = this.presetCodes.length;
    else this.seeded = counts.seeded === this.presetCodes.length;
    const pending = await this.outbox.pendingCount(AccountSubjects.ensureUnitAccounts);
    return {
      complete: this.seeded,
      pending,
      counts: {
        presetUnits: this.presetCodes.length,
        presetUnitsSeeded: counts.seeded,
        units: counts.units,
        parentUnits: counts.parents,
      },
    };
  }
}
