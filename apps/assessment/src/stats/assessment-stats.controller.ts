import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AssessmentFailuresRequest,
  AssessmentStatsExportedRequest,
  AssessmentStatsRequest,
  AssessmentStatsSubjects,
} from '@app/contracts';
import { AssessmentStatsService } from './assessment-stats.service';

@Controller()
export class AssessmentStatsController {
  constructor(private readonly stats: AssessmentStatsService) {}

  @MessagePattern(AssessmentStatsSubjects.stats.name)
  units(@Payload() request: AssessmentStatsRequest) {
    return this.stats.stats(request.actor, request.orgUnitId);
  }

  @MessagePattern(AssessmentStatsSubjects.exported.name)
  exported(@Payload() request: AssessmentStatsExportedRequest) {
    return this.stats.exported(request.actor, request.orgUnitId, request.rows, request.failures);
  }

  @MessagePattern(AssessmentStatsSubjects.failures.name)
  failures(@Payload() request: AssessmentFailuresRequest) {
    return this.stats.failures(request.actor, request.orgUnitId, request.page, request.pageSize);
  }
}
