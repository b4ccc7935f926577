import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BeginUploadRequest,
  GetImportRequest,
  ImportReportPageRequest,
  IntakeSubjects,
  ListImportsRequest,
  StartImportRequest,
  UploadLeaseRequest,
} from '@app/contracts';
import { UploadsService } from '../uploads/uploads.service';
import { ImportJobsService } from './import-jobs.service';

@Controller()
export class ImportJobsController {
  constructor(
    private readonly jobs: ImportJobsService,
    private readonly uploads: UploadsService,
  ) {}

  @MessagePattern(IntakeSubjects.beginUpload.name)
  beginUpload(@Payload() request: BeginUploadRequest) {
    return this.uploads.begin(request);
  }

  @MessagePattern(IntakeSubjects.renewUpload.name)
  renewUpload(@Payload() request: UploadLeaseRequest) {
    return this.uploads.renew(request.actor, request.leaseId);
  }

  @MessagePattern(IntakeSubjects.endUpload.name)
  endUpload(@Payload() request: UploadLeaseRequest) {
    return this.uploads.end(request.actor, request.leaseId);
  }

  @MessagePattern(IntakeSubjects.start.name)
  start(@Payload() request: StartImportRequest) {
    return this.jobs.start(request);
  }

  @MessagePattern(IntakeSubjects.get.name)
  get(@Payload() request: GetImportRequest) {
    return this.jobs.get(request.actor, request.id);
  }

  @MessagePattern(IntakeSubjects.packageOf.name)
  packageOf(@Payload() request: GetImportRequest) {
    return this.jobs.packageOf(request.actor, request.id);
  }

  @MessagePattern(IntakeSubjects.report.name)
  report(@Payload() request: ImportReportPageRequest) {
    return this.jobs.reportPage(request.actor, request.id, request.page, request.pageSize);
  }

  @MessagePattern(IntakeSubjects.list.name)
  list(@Payload() request: ListImportsRequest) {
    return this.jobs.list(request.actor, request.page, request.pageSize);
  }
}
