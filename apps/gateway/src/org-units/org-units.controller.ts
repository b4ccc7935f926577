import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Actor, HierarchySubjects, StatsSubjects } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { OrgUnitDetailDto, OrgUnitPageDto } from './org-units.responses';
import { Access } from '../auth/access';
import { ZeroReportStateDto } from '../stats/stats.responses';

export class ZeroReportBody {
  @ApiPropertyOptional({ type: Boolean, default: true, description: 'true（默认）声明零报送；false 撤回声明' })
  @IsOptional()
  @IsBoolean({ message: 'declared 应为 true 或 false' })
  declared?: boolean;
}

export class ContactBody {
  // Generous bounds only: the field rules (with their Chinese messages) are hierarchy's.
  @ApiProperty({ description: '联系人姓名' }) @IsString() @MaxLength(200) name: string;
  @ApiProperty({ description: '办公电话，区号-号码', example: '0335-3031234' })
  @IsString()
  @MaxLength(200)
  officePhone: string;
  @ApiProperty({ description: '手机，11位' }) @IsString() @MaxLength(200) mobile: string;
  @ApiProperty({ description: '电子邮箱' }) @IsString() @MaxLength(200) email: string;
  @ApiProperty({ description: '所在处室（部门）' }) @IsString() @MaxLength(200) department: string;
}

@ApiTags('org-units')
@ApiBearerAuth()
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-subtree')
  @Get(':id')
  @ApiOperation({ summary: '单位详情（仅本单位及下级）' })
  @ApiOkResponse({ type: OrgUnitDetailDto })
  @ApiErrors('orgUnits.get')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(HierarchySubjects.get, { actor, id });
  }

  @Access('unit-subtree')
  @Get(':id/children')
  @ApiOperation({ summary: '下级单位列表（仅本单位及下级）' })
  @ApiOkResponse({ type: OrgUnitPageDto })
  @ApiErrors('orgUnits.children')
  children(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Query() query: PageQuery) {
    return this.bus.request(HierarchySubjects.children, { actor, id, page: query.page, pageSize: query.pageSize });
  }

  @Access('unit-own')
  @Put(':id/contact')
  @ApiOperation({ summary: '维护本单位联系人信息' })
  @ApiOkResponse({ type: OrgUnitDetailDto })
  @ApiErrors('orgUnits.updateContact')
  updateContact(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: ContactBody) {
    return this.bus.request(HierarchySubjects.updateContact, { actor, id, ...body });
  }

  @Access('unit-own')
  @Post(':id/zero-report')
  @HttpCode(200)
  @ApiOperation({
    summary: '声明零报送：本单位没有政府网站（仅本单位；已有网站信息时拒绝，导入或新建网站后自动撤回）',
  })
  @ApiOkResponse({ type: ZeroReportStateDto })
  @ApiErrors('orgUnits.declareZeroReport')
  declareZeroReport(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ZeroReportBody = {},
  ) {
    // {declared: false} withdraws, as DELETE does: both forms are in the API contract.
    return body.declared === false
      ? this.bus.request(StatsSubjects.withdrawZeroReport, { actor, orgUnitId: id })
      : this.bus.request(StatsSubjects.declareZeroReport, { actor, orgUnitId: id });
  }

  @Access('unit-own')
  @Delete(':id/zero-report')
  @ApiOperation({ summary: '撤回本单位的零报送声明' })
  @ApiOkResponse({ type: ZeroReportStateDto })
  @ApiErrors('orgUnits.withdrawZeroReport')
  withdrawZeroReport(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(StatsSubjects.withdrawZeroReport, { actor, orgUnitId: id });
  }
}
