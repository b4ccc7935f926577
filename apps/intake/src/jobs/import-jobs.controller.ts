import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetImportRequest, IntakeSubjects, ListImportsRequest, StartImportRequest } from '@app/contracts';
import { ImportJobsService } from './import-jobs.service';

@Controller()
export class ImportJobsController {
  constructor(private readonly jobs: ImportJobsService) {}

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

  @MessagePattern(IntakeSubjects.list.name)
  list(@Payload() request: ListImportsRequest) {
    return this.jobs.list(request.actor, request.page, request.pageSize);
  }
}
