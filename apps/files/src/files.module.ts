import { DynamicModule, Module } from '@nestjs/common';
import {
  CreateOutbox1764190000000,
  DatabaseModule,
  OutboxModule,
  PlatformModule,
  ServiceRuntime,
  STARTUP_PROBE,
} from '@app/platform';
import { StorageModule } from '@app/storage';
import { StoredFile } from './files/file.entity';
import { FilesController } from './files/files.controller';
import { FileRepository } from './files/file.repository';
import { FilesService } from './files/files.service';
import { CreateFiles1764200000000 } from './migrations/1764200000000-CreateFiles';
import { WorkbookRefreshQueue1764400000000 } from './migrations/1764400000000-WorkbookRefreshQueue';
import { ExportJobs1765430000000 } from './migrations/1765430000000-ExportJobs';
import { AuditExportJobs1765430000001 } from './migrations/1765430000001-AuditExportJobs';
import { ExportJobRepository } from './exports/export-job.repository';
import { ExportsService } from './exports/exports.service';
import { WorkbookRefreshRepository } from './workbooks/workbook-refresh.repository';
import { WorkbookRefreshService } from './workbooks/workbook-refresh.service';
import { WorkbookProgress } from './workbooks/workbook-progress';
import { FilesConfig } from './files.settings';

export const FILES_MIGRATIONS = [
  CreateOutbox1764190000000,
  CreateFiles1764200000000,
  WorkbookRefreshQueue1764400000000,
  ExportJobs1765430000000,
  AuditExportJobs1765430000001,
];

/** 文件中心 metadata; the objects themselves live in object storage. */
@Module({})
export class FilesModule {
  static register(runtime: ServiceRuntime<FilesConfig>): DynamicModule {
    return {
      module: FilesModule,
      imports: [
        PlatformModule.forApp({ service: 'files', ...runtime }),
        DatabaseModule.forService({
          service: 'files',
          schema: 'files',
          config: runtime.config,
          entities: [StoredFile],
          migrations: FILES_MIGRATIONS,
        }),
        StorageModule.forService(runtime.config, ['files', 'packages']),
        OutboxModule.register(),
      ],
      controllers: [FilesController],
      providers: [
        FileRepository,
        FilesService,
        WorkbookRefreshRepository,
        WorkbookRefreshService,
        ExportJobRepository,
        ExportsService,
        { provide: STARTUP_PROBE, useClass: WorkbookProgress },
      ],
    };
  }
}
