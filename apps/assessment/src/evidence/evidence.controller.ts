import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BeginEvidenceRequest, CompleteEvidenceRequest, EvidenceRequest, EvidenceSubjects } from '@app/contracts';
import { EvidenceService } from './evidence.service';

@Controller()
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @MessagePattern(EvidenceSubjects.begin.name)
  begin(@Payload() request: BeginEvidenceRequest) {
    return this.evidence.begin(request.actor, request);
  }

  @MessagePattern(EvidenceSubjects.complete.name)
  complete(@Payload() request: CompleteEvidenceRequest) {
    return this.evidence.complete(request.actor, request.id, request.size);
  }

  @MessagePattern(EvidenceSubjects.abort.name)
  abort(@Payload() request: EvidenceRequest) {
    return this.evidence.abort(request.actor, request.id);
  }

  @MessagePattern(EvidenceSubjects.locate.name)
  locate(@Payload() request: EvidenceRequest) {
    return this.evidence.locate(request.actor, request.id);
  }

  @MessagePattern(EvidenceSubjects.remove.name)
  remove(@Payload() request: EvidenceRequest) {
    return this.evidence.remove(request.actor, request.id);
  }
}
