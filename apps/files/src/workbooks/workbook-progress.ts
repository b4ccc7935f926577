import { Injectable } from '@nestjs/common';
import { StartupReport } from '@app/contracts';
import { StartupProbe } from '@app/platform';
import { FileRepository } from '../files/file.repository';
import { WorkbookRefreshRepository } from './workbook-refresh.repository';

/** Files' share of the first start, for the health answer: workbooks stored, and those still to build. */
@Injectable()
export class WorkbookProgress implements StartupProbe {
  constructor(
    private readonly files: FileRepository,
    private readonly requests: WorkbookRefreshRepository,
  ) {}

  async report(): Promise<StartupReport> {
    const [workbooks, pending] = await Promise.all([this.files.workbookCount(), this.requests.pendingCount()]);
    return { complete: true, pending, counts: { workbooks } };
  }
}
