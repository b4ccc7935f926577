import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateNodeRequest,
  DecideNodeRequest,
  ListNodeRequests,
  NodeRequestSubjects,
  RejectNodeRequest,
} from '@app/contracts';
import { NodeRequestsService } from './node-requests.service';

@Controller()
export class NodeRequestsController {
  constructor(private readonly nodeRequests: NodeRequestsService) {}

  @MessagePattern(NodeRequestSubjects.create.name)
  create(@Payload() request: CreateNodeRequest) {
    return this.nodeRequests.create(request);
  }

  @MessagePattern(NodeRequestSubjects.list.name)
  list(@Payload() request: ListNodeRequests) {
    return this.nodeRequests.list(request.actor, request.status, request.page, request.pageSize);
  }

  @MessagePattern(NodeRequestSubjects.approve.name)
  approve(@Payload() request: DecideNodeRequest) {
    return this.nodeRequests.approve(request.actor, request.id);
  }

  @MessagePattern(NodeRequestSubjects.reject.name)
  reject(@Payload() request: RejectNodeRequest) {
    return this.nodeRequests.reject(request.actor, request.id, request.reason);
  }
}
