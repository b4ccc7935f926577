import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Actor, NotificationSubjects } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { NoticePageDto, NoticeViewDto } from './notices.responses';
import { Access } from '../auth/access';

export class ListQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: '只列未读' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === '1' || value === true)
  @IsBoolean()
  unreadOnly?: boolean;
}

@ApiTags('notices')
@ApiBearerAuth()
@Controller('notices')
export class NoticesController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-own')
  @Get()
  @ApiOperation({ summary: '本单位的站内消息，含未读数' })
  @ApiOkResponse({ type: NoticePageDto })
  @ApiErrors('notices.list')
  list(@CurrentActor() actor: Actor, @Query() query: ListQuery) {
    return this.bus.request(NotificationSubjects.listNotices, {
      actor,
      unreadOnly: query.unreadOnly,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @Access('unit-own')
  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: '标记为已读' })
  @ApiOkResponse({ type: NoticeViewDto })
  @ApiErrors('notices.markRead')
  markRead(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(NotificationSubjects.markRead, { actor, id });
  }
}
