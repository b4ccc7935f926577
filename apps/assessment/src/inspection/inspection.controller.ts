import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateInspectionRequest,
  InspectionRequest,
  InspectionSiteRequest,
  InspectionSubjects,
  ListInspectionsRequest,
  ReopenInspectionSiteRequest,
  SaveInspectionSiteRequest,
} from '@app/contracts';
import { InspectionService } from './inspection.service';

@Controller()
export class InspectionController {
  constructor(private readonly inspections: InspectionService) {}

  @MessagePattern(InspectionSubjects.create.name)
  create(@Payload() request: CreateInspectionRequest) {
    return this.inspections.create(request.actor, request.name, request.orgUnitId, request.sample);
  }

  @MessagePattern(InspectionSubjects.list.name)
  list(@Payload() request: ListInspectionsRequest) {
    return this.inspections.list(request.actor, request.page, request.pageSize);
  }

  @MessagePattern(InspectionSubjects.get.name)
  get(@Payload() request: InspectionRequest) {
    return this.inspections.get(request.actor, request.inspectionId);
  }

  @MessagePattern(InspectionSubjects.close.name)
  close(@Payload() request: InspectionRequest) {
    return this.inspections.close(request.actor, request.inspectionId);
  }

  @MessagePattern(InspectionSubjects.getSite.name)
  getSite(@Payload() request: InspectionSiteRequest) {
    return this.inspections.getSite(request.actor, request.inspectionId, request.siteCode);
  }

  @MessagePattern(InspectionSubjects.saveSite.name)
  saveSite(@Payload() request: SaveInspectionSiteRequest) {
    return this.inspections.saveSite(
      request.actor,
      request.inspectionId,
      request.siteCode,
      request.vetoes,
      request.items,
    );
  }

  @MessagePattern(InspectionSubjects.submitSite.name)
  submitSite(@Payload() request: InspectionSiteRequest) {
    return this.inspections.submitSite(request.actor, request.inspectionId, request.siteCode);
  }

  @MessagePattern(InspectionSubjects.reopenSite.name)
  reopenSite(@Payload() request: ReopenInspectionSiteRequest) {
    return this.inspections.reopenSite(request.actor, request.inspectionId, request.siteCode, request.reason);
  }
}
