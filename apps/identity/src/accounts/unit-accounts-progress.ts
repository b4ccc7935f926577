import { Injectable } from '@nestjs/common';
import { FilesSubjects, StartupReport } from '@app/contracts';
import { Outbox, StartupProbe } from '@app/platform';
import { AccountRepository } from './account.repository';
import { ROOT_USERNAME } from './system-accounts.bootstrap';

/**
 * Identity's share of the first start, for the health answer: the units' accounts made so
 * far, bm0100 linked to the root unit, and the workbook requests files has not answered yet.
 */
@Injectable()
export class UnitAccountsProgress implements StartupProbe {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly outbox: Outbox,
  ) {}

  async report(): Promise<StartupReport> {
    const { unitAccounts, rootLinked } = await this.accounts.unitAccountCounts(ROOT_USERNAME);
    const pending = await this.outbox.pendingCount(FilesSubjects.refreshWorkbooks);
    return { complete: rootLinked, pending, counts: { unitAccounts } };
  }
}
