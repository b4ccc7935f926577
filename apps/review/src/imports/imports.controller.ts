import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CommitImportRequest, CommitStateRequest, ImportSubjects } from '@app/contracts';
import { ImportsService } from './imports.service';

@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @MessagePattern(ImportSubjects.commit.name)
  commit(@Payload() request: CommitImportRequest) {
    return this.imports.commit(request);
  }

  @MessagePattern(ImportSubjects.commitState.name)
  commitState(@Payload() request: CommitStateRequest) {
    return this.imports.commitState(request.jobId);
  }
}
