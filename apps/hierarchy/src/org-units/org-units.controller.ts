import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  GetOrgUnitRequest,
  HierarchySubjects,
  ListChildrenRequest,
  LookupOrgUnitsRequest,
  UpdateContactRequest,
} from '@app/contracts';
import { OrgUnitsService } from './org-units.service';

@Controller()
export class OrgUnitsController {
  constructor(private readonly orgUnits: OrgUnitsService) {}

  @MessagePattern(HierarchySubjects.get.name)
  get(@Payload() request: GetOrgUnitRequest) {
    return this.orgUnits.get(request.actor, request.id);
  }

  @MessagePattern(HierarchySubjects.children.name)
  children(@Payload() request: ListChildrenRequest) {
    return this.orgUnits.children(request.actor, request.id, request.page, request.pageSize);
  }

  @MessagePattern(HierarchySubjects.updateContact.name)
  updateContact(@Payload() request: UpdateContactRequest) {
    return this.orgUnits.updateContact(request);
  }

  @MessagePattern(HierarchySubjects.lookup.name)
  lookup(@Payload() request: LookupOrgUnitsRequest) {
    return this.orgUnits.lookup(request);
  }
}
