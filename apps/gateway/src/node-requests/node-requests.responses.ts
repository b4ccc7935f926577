import { ApiProperty } from '@nestjs/swagger';
import { NODE_REQUEST_STATUSES, NodeRequestStatus, NodeRequestView } from '@app/contracts';
import { PageOf } from '../openapi/page.dto';

export class NodeRequestViewDto implements NodeRequestView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, description: '拟新增单位的名称' }) name: string;
  @ApiProperty({ type: String, description: '拟新增单位的代码', example: '130371' }) code: string;
  @ApiProperty({ type: String, description: '申请理由' }) reason: string;
  @ApiProperty({ enum: NODE_REQUEST_STATUSES }) status: NodeRequestStatus;
  @ApiProperty({ type: String, format: 'uuid', description: '上级单位（提出申请的单位）' }) parentId: string;
  @ApiProperty({ type: String }) parentName: string;
  @ApiProperty({ type: String, description: '提出申请的账号' }) requestedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: '审批的账号' }) decidedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: '驳回理由' }) decisionReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '批准后新建的单位' })
  orgUnitId: string | null;
}

export const NodeRequestPageDto = PageOf(NodeRequestViewDto, 'NodeRequestPage');

export class NodeRequestApprovedDto {
  @ApiProperty({ type: String, format: 'uuid', description: '新建的单位' }) orgUnitId: string;
}
