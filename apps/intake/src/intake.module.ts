import { DynamicModule, Module } from '@nestjs/common';
import { CreateOutbox1764190000000, DatabaseModule, OutboxModule, PlatformModule, ServiceRuntime } from '@app/platform';
import { StorageModule } from '@app/storage';
import { ImportJobRepository } from './jobs/import-job.repository';
import { ImportJobsController } from './jobs/import-jobs.controller';
import { ImportJobsService } from './jobs/import-jobs.service';
import { ImportStageRepository } from './jobs/import-stage.repository';
import { ImportWorker } from './jobs/import-worker';
import { CreateImportJobs1764210000000 } from './migrations/1764210000000-CreateImportJobs';
import { ImportJobLastError1764400000000 } from './migrations/1764400000000-ImportJobLastError';
import { UploadLeases1764900000000 } from './migrations/1764900000000-UploadLeases';
import { ImportJobObjectKey1765100000000 } from './migrations/1765100000000-ImportJobObjectKey';
import { OrphanUploadSweep } from './uploads/orphan-sweep';
import { ImportStage1765200000000 } from './migrations/1765200000000-ImportStage';
import { ImportJobCorrelation1765400000000 } from './migrations/1765400000000-ImportJobCorrelation';
import { UploadLeaseRepository } from './uploads/upload-lease.repository';
import { UploadRetention } from './uploads/upload-retention';
import { UploadsService } from './uploads/uploads.service';
import { IntakeConfig } from './intake.settings';

export const INTAKE_MIGRATIONS = [
  CreateOutbox1764190000000,
  CreateImportJobs1764210000000,
  ImportJobLastError1764400000000,
  UploadLeases1764900000000,
  ImportJobObjectKey1765100000000,
  ImportStage1765200000000,
  ImportJobCorrelation1765400000000,
];

/** Import jobs: reads, verifies and validates packages; stateless CPU work, scales out as a queue group. */
@Module({})
export class IntakeModule {
  static register(runtime: ServiceRuntime<IntakeConfig>): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forApp({ service: 'intake', ...runtime }),
        DatabaseModule.forService({
          service: 'intake',
          schema: 'intake',
          config: runtime.config,
          entities: [],
          migrations: INTAKE_MIGRATIONS,
        }),
        StorageModule.forService(runtime.config, ['packages']),
        OutboxModule.register(),
      ],
      controllers: [ImportJobsController],
      providers: [
        ImportJobRepository,
        ImportJobsService,
        ImportStageRepository,
        ImportWorker,
        UploadLeaseRepository,
        UploadsService,
        UploadRetention,
        OrphanUploadSweep,
      ],
    };
  }
}
