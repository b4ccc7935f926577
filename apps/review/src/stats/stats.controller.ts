import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SendRemindersRequest, StatsSubjects, UnitStatsRequest, ZeroReportRequest } from '@app/contracts';
import { StatsService } from './stats.service';

@Controller()
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @MessagePattern(StatsSubjects.units.name)
  units(@Payload() request: UnitStatsRequest) {
    return this.stats.units(request.actor, request.orgUnitId);
  }

  @MessagePattern(StatsSubjects.remind.name)
  remind(@Payload() request: SendRemindersRequest) {
    return this.stats.remind(request.actor, request.orgUnitIds);
  }

  @MessagePattern(StatsSubjects.declareZeroReport.name)
  declareZeroReport(@Payload() request: ZeroReportRequest) {
    return this.stats.declareZeroReport(request.actor, request.orgUnitId);
  }

  @MessagePattern(StatsSubjects.withdrawZeroReport.name)
  withdrawZeroReport(@Payload() request: ZeroReportRequest) {
    return this.stats.withdrawZeroReport(request.actor, request.orgUnitId);
  }
}
