import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ExportRecordsRequest, ExportSubjects, WriteRecordsExportRequest } from '@app/contracts';
import { RecordsExportService } from './records-export.service';

@Controller()
export class RecordsExportController {
  constructor(private readonly exports: RecordsExportService) {}

  @MessagePattern(ExportSubjects.records.name)
  records(@Payload() request: ExportRecordsRequest) {
    return this.exports.exportNow(request.actor, request.filters, request.key, request.maxRows);
  }

  @MessagePattern(ExportSubjects.recordsJob.name)
  recordsJob(@Payload() request: WriteRecordsExportRequest) {
    return this.exports.exportForJob(request.jobId, request.requester, request.filters, request.key);
  }
}
