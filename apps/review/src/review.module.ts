import { DynamicModule, Module } from '@nestjs/common';
import { CreateOutbox1764190000000, DatabaseModule, OutboxModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { StorageModule } from '@app/storage';
import { RecordsExportController } from './exports/records-export.controller';
import { RecordsExportService } from './exports/records-export.service';
import { ImportsController } from './imports/imports.controller';
import { ImportRepository } from './imports/import.repository';
import { ImportsService } from './imports/imports.service';
import { CreateRecords1764210000000 } from './migrations/1764210000000-CreateRecords';
import { RecordWorkflow1764220000000 } from './migrations/1764220000000-RecordWorkflow';
import { RecoveryAttempts1764300000000 } from './migrations/1764300000000-RecoveryAttempts';
import { RecordListScale1764700000000 } from './migrations/1764700000000-RecordListScale';
import { ImportsByReference1765100000000 } from './migrations/1765100000000-ImportsByReference';
import { RecordLifecycle1765410000000 } from './migrations/1765410000000-RecordLifecycle';
import { UnitStats1765420000000 } from './migrations/1765420000000-UnitStats';
import { CodeMailBatches1765510000000 } from './migrations/1765510000000-CodeMailBatches';
import { RecordSite1765600000000 } from './migrations/1765600000000-RecordSite';
import { RecordEditService } from './records/record-edit.service';
import { SiteRecord } from './records/record.entity';
import { RecordsController } from './records/records.controller';
import { RecordRepository } from './records/record.repository';
import { RecordsQueryService } from './records/records-query.service';
import { RecoveryRepository } from './recovery/recovery.repository';
import { SiteCodeRecoveryService } from './recovery/site-code-recovery.service';
import { SiteAccessService } from './sites/site-access.service';
import { SitesController } from './sites/sites.controller';
import { CodeMailRepository } from './workflow/code-mail.repository';
import { CodeMailSender } from './workflow/code-mail-sender';
import { SiteCodeCounterRepository } from './workflow/site-code-counter.repository';
import { SiteCodes } from './workflow/site-codes';
import { WorkflowService } from './workflow/workflow.service';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { LifecycleRepository } from './lifecycle/lifecycle.repository';
import { ReviewConfig } from './review.settings';
import { StatsController } from './stats/stats.controller';
import { StatsRepository } from './stats/stats.repository';
import { StatsService } from './stats/stats.service';

export const REVIEW_MIGRATIONS = [
  CreateOutbox1764190000000,
  CreateRecords1764210000000,
  RecordWorkflow1764220000000,
  RecoveryAttempts1764300000000,
  RecordListScale1764700000000,
  ImportsByReference1765100000000,
  RecordLifecycle1765410000000,
  UnitStats1765420000000,
  CodeMailBatches1765510000000,
  RecordSite1765600000000,
];

/** The records: form content versions, workflow state, the list/search read side, 标识码 counters. */
@Module({})
export class ReviewModule {
  static register(runtime: ServiceRuntime<ReviewConfig>): DynamicModule {
    return {
      module: ReviewModule,
      imports: [
        PlatformModule.forApp({ service: 'review', ...runtime }),
        DatabaseModule.forService({
          service: 'review',
          schema: 'review',
          config: runtime.config,
          entities: [SiteRecord],
          migrations: REVIEW_MIGRATIONS,
        }),
        // Exports are written into 文件中心's bucket (files registers and serves them).
        StorageModule.forService(runtime.config, ['files'], { occasional: true }),
        OutboxModule.register(),
      ],
      controllers: [ImportsController, RecordsController, StatsController, RecordsExportController, SitesController],
      providers: [
        RecordRepository,
        ImportRepository,
        RecoveryRepository,
        SiteCodeCounterRepository,
        CodeMailRepository,
        CodeMailSender,
        ImportsService,
        RecordsQueryService,
        RecordsExportService,
        RecordEditService,
        WorkflowService,
        LifecycleService,
        LifecycleRepository,
        SiteCodes,
        SiteCodeRecoveryService,
        StatsRepository,
        StatsService,
        SiteAccessService,
      ],
    };
  }
}
