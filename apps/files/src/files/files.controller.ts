import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateExportRequest,
  DownloadFileRequest,
  FilesSubjects,
  GetExportRequest,
  ListFilesRequest,
  RefreshWorkbooksRequest,
} from '@app/contracts';
import { ExportsService } from '../exports/exports.service';
import { WorkbookRefreshService } from '../workbooks/workbook-refresh.service';
import { FilesService } from './files.service';

@Controller()
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly workbooks: WorkbookRefreshService,
    private readonly exports: ExportsService,
  ) {}

  @MessagePattern(FilesSubjects.createExport.name)
  createExport(@Payload() request: CreateExportRequest) {
    return this.exports.create(request.actor, request.kind, request.filters, request.auditFilters);
  }

  @MessagePattern(FilesSubjects.downloadExport.name)
  downloadExport(@Payload() request: GetExportRequest) {
    return this.exports.download(request.actor, request.id);
  }

  @MessagePattern(FilesSubjects.getExport.name)
  getExport(@Payload() request: GetExportRequest) {
    return this.exports.get(request.actor, request.id);
  }

  @MessagePattern(FilesSubjects.list.name)
  list(@Payload() request: ListFilesRequest) {
    return this.files.list(request.actor, request.folder, request.page, request.pageSize);
  }

  @MessagePattern(FilesSubjects.download.name)
  download(@Payload() request: DownloadFileRequest) {
    return this.files.download(request.actor, request.id);
  }

  @MessagePattern(FilesSubjects.refreshWorkbooks.name)
  refresh(@Payload() request: RefreshWorkbooksRequest) {
    return this.workbooks.request(request.parentOrgUnitIds);
  }
}
