import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Actor, InspectionSubjects, SAMPLE_MODES, SampleMode } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import {
  IsDefined,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { ReopenBody, SaveSelfAssessmentBody } from './self-assessment.controller';
import { SaveSelfAssessmentBodyDto } from './self-assessment.responses';
import { InspectionDetailDto, InspectionPageDto, InspectionSiteDto } from './inspections.responses';

export class SampleBody {
  @ApiProperty({ enum: SAMPLE_MODES, description: 'all 全部；percent 按比例（value 为百分比）；count 按数量' })
  @IsIn(SAMPLE_MODES, { message: '抽查方式 mode 应为 all（全部）、percent（按比例）或 count（按数量）' })
  mode: SampleMode;

  @ApiPropertyOptional({ description: 'percent：大于0且不超过100；count：不小于1的整数；all：不填' })
  @IsOptional()
  @IsNumber({}, { message: '抽查比例或数量 value 应为数字' })
  value?: number;

  @ApiPropertyOptional({ description: '随机种子（1–64个字符）；不填则随机生成。同一种子、同一批网站抽出的名单相同' })
  @IsOptional()
  @IsString({ message: '随机种子 seed 应为文字' })
  @MaxLength(64, { message: '随机种子应为1–64个字符' })
  seed?: string;
}

export class CreateInspectionBody {
  @ApiProperty({ description: '检查名称（不超过100字）' })
  @IsString({ message: '请填写检查名称' })
  @MaxLength(100, { message: '检查名称不超过100个字' })
  name: string;

  @ApiProperty({ format: 'uuid', description: '检查的单位：本单位或下级单位（检查其及其下级的网站）' })
  @IsUUID('4', { message: 'orgUnitId 应为单位编号' })
  orgUnitId: string;

  @ApiProperty({ type: () => SampleBody })
  @IsDefined({ message: '请给出抽查方式 sample' })
  @IsObject({ message: '抽查方式 sample 应为对象 {mode, value, seed}' })
  @ValidateNested()
  @Type(() => SampleBody)
  sample: SampleBody;
}

const SITE_CODE = 'siteCode';

/**
 * 检查打分: a unit inspects its subtree (or a unit below): the running coded sites are sampled
 * with a seed, inspectors score each sampled site on the score sheet beside its 自查评分, and a
 * submitted result becomes the site's official verdict. Assessment decides who may see which
 * inspection (the inspecting unit and units above it; others 404 INSPECTION_NOT_FOUND).
 */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller('inspections')
export class InspectionsController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-subtree')
  @Post()
  @ApiOperation({
    summary: '发起检查打分：按全部、比例或数量，用随机种子从本单位（或下级单位）辖区运行中的网站抽取名单',
  })
  @ApiOkResponse({ type: InspectionDetailDto })
  @ApiErrors('inspections.create')
  create(@CurrentActor() actor: Actor, @Body() body: CreateInspectionBody) {
    return this.bus.request(InspectionSubjects.create, {
      actor,
      name: body.name,
      orgUnitId: body.orgUnitId,
      sample: body.sample,
    });
  }

  @Access('unit-subtree')
  @Get()
  @ApiOperation({ summary: '检查打分列表：本单位及下级单位发起的检查，最新的在前，含进度' })
  @ApiOkResponse({ type: InspectionPageDto })
  @ApiErrors('inspections.list')
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.bus.request(InspectionSubjects.list, { actor, page: query.page, pageSize: query.pageSize });
  }

  @Access('unit-subtree')
  @Get(':id')
  @ApiOperation({ summary: '查看检查：抽查方式、随机种子、进度和抽中的网站' })
  @ApiOkResponse({ type: InspectionDetailDto })
  @ApiErrors('inspections.get')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(InspectionSubjects.get, { actor, inspectionId: id });
  }

  @Access('unit-subtree')
  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '结束检查：之后不能再打分或退回；已提交的结论保留' })
  @ApiOkResponse({ type: InspectionDetailDto })
  @ApiErrors('inspections.close')
  close(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(InspectionSubjects.close, { actor, inspectionId: id });
  }

  @Access('unit-subtree')
  @Get(`:id/sites/:${SITE_CODE}`)
  @ApiOperation({ summary: '查看抽中网站的检查评分：评分表、检查组的答案和结论，旁边是网站的自查评分' })
  @ApiOkResponse({ type: InspectionSiteDto })
  @ApiErrors('inspections.getSite')
  getSite(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Param(SITE_CODE) siteCode: string) {
    return this.bus.request(InspectionSubjects.getSite, { actor, inspectionId: id, siteCode });
  }

  @Access('unit-subtree')
  @Put(`:id/sites/:${SITE_CODE}`)
  @ApiOperation({
    summary: '填写检查评分（保存草稿）',
    description: '与自查评分相同：每项 value、说明 note、证据链接 evidenceUrl；本次给出的项替换已填的同名项。',
  })
  @ApiBody({ type: SaveSelfAssessmentBodyDto })
  @ApiOkResponse({ type: InspectionSiteDto })
  @ApiErrors('inspections.saveSite')
  saveSite(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param(SITE_CODE) siteCode: string,
    @Body() body: SaveSelfAssessmentBody,
  ) {
    return this.bus.request(InspectionSubjects.saveSite, {
      actor,
      inspectionId: id,
      siteCode,
      ...(body.vetoes && { vetoes: body.vetoes }),
      ...(body.items && { items: body.items }),
    });
  }

  @Access('unit-subtree')
  @Post(`:id/sites/:${SITE_CODE}/submit`)
  @HttpCode(200)
  @ApiOperation({ summary: '提交检查评分：按当前评分表计算结论，作为该网站的正式结论（取代自查结论，自查评分保留）' })
  @ApiOkResponse({ type: InspectionSiteDto })
  @ApiErrors('inspections.submitSite')
  submitSite(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Param(SITE_CODE) siteCode: string) {
    return this.bus.request(InspectionSubjects.submitSite, { actor, inspectionId: id, siteCode });
  }

  @Access('unit-subtree')
  @Post(`:id/sites/:${SITE_CODE}/reopen`)
  @HttpCode(200)
  @ApiOperation({ summary: '退回检查评分：回到草稿，正式结论恢复为此前的结论（如自查结论）' })
  @ApiOkResponse({ type: InspectionSiteDto })
  @ApiErrors('inspections.reopenSite')
  reopenSite(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param(SITE_CODE) siteCode: string,
    @Body() body: ReopenBody,
  ) {
    return this.bus.request(InspectionSubjects.reopenSite, { actor, inspectionId: id, siteCode, reason: body.reason });
  }
}
