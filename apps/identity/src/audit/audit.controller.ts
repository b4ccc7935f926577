import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccountSubjects,
  ActorRequest,
  AppendAuditRequest,
  ExportAuditRequest,
  ExportSubjects,
  SearchAuditRequest,
  WriteAuditExportRequest,
} from '@app/contracts';
import { AuditExportService } from './audit-export.service';
import { AuditService } from './audit.service';

@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly exports: AuditExportService,
  ) {}

  @MessagePattern(ExportSubjects.auditJob.name)
  exportJob(@Payload() request: WriteAuditExportRequest) {
    return this.exports.write(request.jobId, request.requester, request.filters, request.key);
  }

  @MessagePattern(AccountSubjects.appendAudit.name)
  async append(@Payload() request: AppendAuditRequest) {
    return { stored: await this.audit.append(request.entries) };
  }

  @MessagePattern(AccountSubjects.searchAudit.name)
  search(@Payload() request: SearchAuditRequest) {
    return this.audit.search(request);
  }

  @MessagePattern(AccountSubjects.verifyAudit.name)
  verify(@Payload() request: ActorRequest) {
    return this.audit.verify(request.actor);
  }

  @MessagePattern(AccountSubjects.exportedAudit.name)
  exported(@Payload() request: ExportAuditRequest) {
    return this.audit.exported(request);
  }
}
