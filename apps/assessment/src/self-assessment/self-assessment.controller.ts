import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AssessmentSubjects,
  ReopenSelfAssessmentRequest,
  SaveSelfAssessmentRequest,
  SiteRequest,
} from '@app/contracts';
import { SelfAssessmentService } from './self-assessment.service';

@Controller()
export class SelfAssessmentController {
  constructor(private readonly selfAssessments: SelfAssessmentService) {}

  @MessagePattern(AssessmentSubjects.getSelf.name)
  get(@Payload() request: SiteRequest) {
    return this.selfAssessments.get(request.actor, request.siteCode);
  }

  @MessagePattern(AssessmentSubjects.saveSelf.name)
  save(@Payload() request: SaveSelfAssessmentRequest) {
    return this.selfAssessments.save(request.actor, request.siteCode, request.vetoes, request.items);
  }

  @MessagePattern(AssessmentSubjects.submitSelf.name)
  submit(@Payload() request: SiteRequest) {
    return this.selfAssessments.submit(request.actor, request.siteCode);
  }

  @MessagePattern(AssessmentSubjects.reopenSelf.name)
  reopen(@Payload() request: ReopenSelfAssessmentRequest) {
    return this.selfAssessments.reopen(request.actor, request.siteCode, request.reason);
  }
}
