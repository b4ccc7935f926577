import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BulkRecordRequest,
  ChangeRequestRequest,
  LifecycleRequestRequest,
  ListRecordsRequest,
  RecordRequest,
  RecordSubjects,
  ReturnRecordRequest,
  SiteCodeRecoveryRequest,
  UpdateRecordRequest,
} from '@app/contracts';
import { SiteCodeRecoveryService } from '../recovery/site-code-recovery.service';
import { WorkflowService } from '../workflow/workflow.service';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { RecordEditService } from './record-edit.service';
import { RecordsQueryService } from './records-query.service';

@Controller()
export class RecordsController {
  constructor(
    private readonly query: RecordsQueryService,
    private readonly edit: RecordEditService,
    private readonly workflow: WorkflowService,
    private readonly recovery: SiteCodeRecoveryService,
    private readonly lifecycle: LifecycleService,
  ) {}

  @MessagePattern(RecordSubjects.changeRequest.name)
  changeRequest(@Payload() request: ChangeRequestRequest) {
    return this.lifecycle.changeRequest(request.actor, request.id, request.content, request.reason);
  }

  @MessagePattern(RecordSubjects.lifecycleRequest.name)
  lifecycleRequest(@Payload() request: LifecycleRequestRequest) {
    return this.lifecycle.lifecycleRequest(
      request.actor,
      request.id,
      request.kind,
      request.reason,
      request.expectedReopenDate,
    );
  }

  @MessagePattern(RecordSubjects.withdrawRequest.name)
  withdrawRequest(@Payload() request: RecordRequest) {
    return this.lifecycle.withdraw(request.actor, request.id);
  }

  @MessagePattern(RecordSubjects.list.name)
  list(@Payload() request: ListRecordsRequest) {
    return this.query.list(request);
  }

  @MessagePattern(RecordSubjects.get.name)
  get(@Payload() request: RecordRequest) {
    return this.query.get(request.actor, request.id);
  }

  @MessagePattern(RecordSubjects.history.name)
  history(@Payload() request: RecordRequest) {
    return this.query.history(request.actor, request.id);
  }

  @MessagePattern(RecordSubjects.update.name)
  update(@Payload() request: UpdateRecordRequest) {
    return this.edit.update(request.actor, request.id, request.content);
  }

  @MessagePattern(RecordSubjects.remove.name)
  remove(@Payload() request: RecordRequest) {
    return this.edit.remove(request.actor, request.id);
  }

  @MessagePattern(RecordSubjects.submit.name)
  submit(@Payload() request: RecordRequest) {
    return this.workflow.submit(request.actor, request.id);
  }

  @MessagePattern(RecordSubjects.approve.name)
  approve(@Payload() request: RecordRequest) {
    return this.workflow.approve(request.actor, request.id);
  }

  @MessagePattern(RecordSubjects.return.name)
  return(@Payload() request: ReturnRecordRequest) {
    return this.workflow.return(request.actor, request.id, request.reason);
  }

  @MessagePattern(RecordSubjects.submitAll.name)
  submitAll(@Payload() request: BulkRecordRequest) {
    return this.workflow.submitAll(request.actor);
  }

  @MessagePattern(RecordSubjects.reviewAll.name)
  reviewAll(@Payload() request: BulkRecordRequest) {
    return this.workflow.reviewAll(request.actor);
  }

  @MessagePattern(RecordSubjects.recoverSiteCode.name)
  recoverSiteCode(@Payload() request: SiteCodeRecoveryRequest) {
    return this.recovery.recover(request);
  }
}
