import { NoControlCharacters } from '../common/text';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Page, MAX_PAGE } from '../common/actor';
import { subject } from '../subject';
import { ActorRequest } from './org-unit.contract';

export const NODE_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type NodeRequestStatus = (typeof NODE_REQUEST_STATUSES)[number];

export interface NodeRequestView {
  id: string;
  name: string;
  code: string;
  reason: string;
  status: NodeRequestStatus;
  parentId: string;
  parentName: string;
  requestedBy: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  orgUnitId: string | null;
}

export class CreateNodeRequest extends ActorRequest {
  @IsString()
  @MinLength(2, { message: '单位名称至少2个字' })
  @MaxLength(100, { message: '单位名称不超过100个字' })
  @NoControlCharacters('单位名称')
  name: string;

  @IsString()
  @MaxLength(16)
  code: string;

  @IsString()
  @MinLength(2, { message: '请填写申请理由' })
  @MaxLength(500, { message: '申请理由不超过500个字' })
  @NoControlCharacters('申请理由', { multiline: true })
  reason: string;
}

export class ListNodeRequests extends ActorRequest {
  @IsOptional()
  @IsIn(NODE_REQUEST_STATUSES)
  status?: NodeRequestStatus;

  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number;

  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number;
}

export class DecideNodeRequest extends ActorRequest {
  @IsUUID('4')
  id: string;
}

export class RejectNodeRequest extends DecideNodeRequest {
  @IsString()
  @MinLength(2, { message: '请填写驳回理由' })
  @MaxLength(500)
  @NoControlCharacters('驳回理由', { multiline: true })
  reason: string;
}

export const NodeRequestSubjects = {
  create: subject<CreateNodeRequest, NodeRequestView>('hierarchy.nodeRequest.create'),
  list: subject<ListNodeRequests, Page<NodeRequestView>>('hierarchy.nodeRequest.list'),
  approve: subject<DecideNodeRequest, { orgUnitId: string }>('hierarchy.nodeRequest.approve'),
  reject: subject<RejectNodeRequest, NodeRequestView>('hierarchy.nodeRequest.reject'),
};
