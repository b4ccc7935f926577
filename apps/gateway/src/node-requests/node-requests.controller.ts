import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, NODE_REQUEST_STATUSES, NodeRequestStatus, NodeRequestSubjects } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { NodeRequestApprovedDto, NodeRequestPageDto, NodeRequestViewDto } from './node-requests.responses';
import { Access } from '../auth/access';

export class CreateBody {
  @ApiProperty({ description: '新单位名称' }) @IsString() @MaxLength(100) name: string;
  @ApiProperty({ description: '新单位代码：NNNNNN（GB/T 2260）、bmNNNN 或 NNBMNN', example: '130371' })
  @IsString()
  @MaxLength(16)
  code: string;
  @ApiProperty({ description: '申请理由' }) @IsString() @MaxLength(500) reason: string;
}

export class ListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NODE_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(NODE_REQUEST_STATUSES, { message: 'status 应为 PENDING、APPROVED 或 REJECTED' })
  status?: NodeRequestStatus;
}

export class RejectBody {
  @ApiProperty({ description: '驳回理由' })
  @IsString()
  @MaxLength(500)
  reason: string;
}

@ApiTags('node-requests')
@ApiBearerAuth()
@Controller('node-requests')
export class NodeRequestsController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-own')
  @Post()
  @ApiOperation({ summary: '提交新增节点申请（上级为本单位）' })
  @ApiCreatedResponse({ type: NodeRequestViewDto })
  @ApiErrors('nodeRequests.create')
  create(@CurrentActor() actor: Actor, @Body() body: CreateBody) {
    return this.bus.request(NodeRequestSubjects.create, { actor, ...body });
  }

  @Access('unit-own')
  @Get()
  @ApiOperation({ summary: '新增节点申请列表（国务院办公厅看全部，其他单位看本单位的）' })
  @ApiOkResponse({ type: NodeRequestPageDto })
  @ApiErrors('nodeRequests.list')
  list(@CurrentActor() actor: Actor, @Query() query: ListQuery) {
    return this.bus.request(NodeRequestSubjects.list, {
      actor,
      status: query.status,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @Access('root')
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '批准（仅国务院办公厅）' })
  @ApiOkResponse({ type: NodeRequestApprovedDto })
  @ApiErrors('nodeRequests.approve')
  approve(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(NodeRequestSubjects.approve, { actor, id });
  }

  @Access('root')
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: '驳回（仅国务院办公厅，须填写理由）' })
  @ApiOkResponse({ type: NodeRequestViewDto })
  @ApiErrors('nodeRequests.reject')
  reject(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: RejectBody) {
    return this.bus.request(NodeRequestSubjects.reject, { actor, id, reason: body.reason });
  }
}
