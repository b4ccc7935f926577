import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CommitImportRequest, ImportSubjects } from '@app/contracts';
import { ImportsService } from './imports.service';

@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @MessagePattern(ImportSubjects.commit.name)
  commit(@Payload() request: CommitImportRequest) {
    return this.imports.commit(request);
  }
}
