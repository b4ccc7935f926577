import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MonitoringRequest, MonitoringSubjects, SiteRequest } from '@app/contracts';
import { MonitoringService } from './monitoring.service';

@Controller()
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @MessagePattern(MonitoringSubjects.get.name)
  get(@Payload() request: MonitoringRequest) {
    return this.monitoring.view(request.actor, request.siteCode, request.from, request.to);
  }

  @MessagePattern(MonitoringSubjects.probe.name)
  probe(@Payload() request: SiteRequest) {
    return this.monitoring.probeNow(request.actor, request.siteCode);
  }
}
