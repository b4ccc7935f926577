import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Actor, MonitoringSubjects } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { IsOptional, Matches } from 'class-validator';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { ApiErrors } from '../openapi/api-errors';
import { MonitoringViewDto, ProbeNowResultDto } from './monitoring.responses';

export class MonitoringQuery {
  @ApiPropertyOptional({ format: 'date', description: '开始日期（北京时间，含）；默认为结束日期前6天' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '开始日期应为有效日期，格式为 YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: '结束日期（北京时间，含）；默认为今天' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '结束日期应为有效日期，格式为 YYYY-MM-DD' })
  to?: string;
}

/**
 * 监测 of one site: what the scheduled probes found day by day and the vetoes and deductions it
 * proposes; 立即探测 of its homepage. Assessment decides who may see which site (others: 404
 * SITE_NOT_FOUND) and who may probe (units above the owner, and the root).
 */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller('sites/:siteCode')
export class MonitoringController {
  constructor(private readonly bus: BusClient) {}

  @Access('site-own', 'unit-subtree')
  @Get('monitoring')
  @ApiOperation({
    summary: '查看网站的监测结果：逐日首页可用性、更新、栏目、链接，及建议的单项否决和扣分',
    description: '网站本身（网站登录），及其主办单位和上级单位可以查看；日期范围最长366天，默认最近7天。',
  })
  @ApiOkResponse({ type: MonitoringViewDto })
  @ApiErrors('monitoring.get')
  get(@CurrentActor() actor: Actor, @Param('siteCode') siteCode: string, @Query() query: MonitoringQuery) {
    return this.bus.request(MonitoringSubjects.get, {
      actor,
      siteCode,
      ...(query.from && { from: query.from }),
      ...(query.to && { to: query.to }),
    });
  }

  @Access('unit-subtree')
  @Post('probe')
  @HttpCode(200)
  @ApiOperation({
    summary: '立即探测网站首页',
    description: '主办单位的上级单位（及国务院办公厅）可以发起；同一网站60秒内（可配置）只能探测一次。',
  })
  @ApiOkResponse({ type: ProbeNowResultDto })
  @ApiErrors('monitoring.probe')
  probe(@CurrentActor() actor: Actor, @Param('siteCode') siteCode: string) {
    return this.bus.request(MonitoringSubjects.probe, { actor, siteCode }, { timeoutMs: 30_000 });
  }
}
