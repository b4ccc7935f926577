import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Actor, AnswerEntry, AssessmentSubjects } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { ApiErrors } from '../openapi/api-errors';
import { SaveSelfAssessmentBodyDto, SelfAssessmentDto } from './self-assessment.responses';

export class SaveSelfAssessmentBody {
  @IsOptional()
  @IsObject({ message: 'vetoes 应为对象：键为否决项，值为 {value, note, evidenceUrl}' })
  vetoes?: Record<string, AnswerEntry<boolean>>;

  @IsOptional()
  @IsObject({ message: 'items 应为对象：键为扣分项，值为 {value, note, evidenceUrl}' })
  items?: Record<string, AnswerEntry>;
}

export class ReopenBody {
  @ApiProperty({ description: '退回原因（不超过500字）' })
  @IsString({ message: '请填写退回原因' })
  @MaxLength(500, { message: '退回原因不能超过500字' })
  reason: string;
}

/**
 * 自查评分 of one site: the site signed in with its 校验码 (SITE) fills in and submits it; its
 * owner unit and every unit above it see it and may send a submitted one back. Assessment
 * decides who may see which site (others: 404 SITE_NOT_FOUND).
 */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller('sites/:siteCode/self-assessment')
export class SelfAssessmentController {
  constructor(private readonly bus: BusClient) {}

  @Access('site-own', 'unit-subtree')
  @Get()
  @ApiOperation({
    summary: '查看网站的自查评分：评分表、已填答案、提交后的结论',
    description: '网站本身（网站登录），及其主办单位和上级单位可以查看。',
  })
  @ApiOkResponse({ type: SelfAssessmentDto })
  @ApiErrors('selfAssessment.get')
  get(@CurrentActor() actor: Actor, @Param('siteCode') siteCode: string) {
    return this.bus.request(AssessmentSubjects.getSelf, { actor, siteCode });
  }

  @Access('site-own')
  @Put()
  @ApiOperation({
    summary: '填写自查评分（保存草稿）',
    description:
      '每项给出 value（单项否决：是/否；扣分项：按评分表的个数、数值或是/否）、说明 note、证据链接 evidenceUrl；' +
      '本次给出的项替换已填的同名项，其余保留。提交后不能再修改。',
  })
  @ApiBody({ type: SaveSelfAssessmentBodyDto })
  @ApiOkResponse({ type: SelfAssessmentDto })
  @ApiErrors('selfAssessment.save')
  save(@CurrentActor() actor: Actor, @Param('siteCode') siteCode: string, @Body() body: SaveSelfAssessmentBody) {
    return this.bus.request(AssessmentSubjects.saveSelf, {
      actor,
      siteCode,
      ...(body.vetoes && { vetoes: body.vetoes }),
      ...(body.items && { items: body.items }),
    });
  }

  @Access('site-own')
  @Post('submit')
  @HttpCode(200)
  @ApiOperation({
    summary: '提交自查评分：按当前评分表计算结论（合格/不合格、得分、否决项、各项扣分）并保存',
    description: '须填完全部单项否决；未触发否决时须填完全部扣分项。',
  })
  @ApiOkResponse({ type: SelfAssessmentDto })
  @ApiErrors('selfAssessment.submit')
  submit(@CurrentActor() actor: Actor, @Param('siteCode') siteCode: string) {
    return this.bus.request(AssessmentSubjects.submitSelf, { actor, siteCode });
  }

  @Access('unit-subtree')
  @Post('reopen')
  @HttpCode(200)
  @ApiOperation({
    summary: '退回已提交的自查评分：网站可修改后重新提交',
    description: '主办单位及其上级单位可以退回；退回后结论清空，审计日志保留原结论和退回原因。',
  })
  @ApiOkResponse({ type: SelfAssessmentDto })
  @ApiErrors('selfAssessment.reopen')
  reopen(@CurrentActor() actor: Actor, @Param('siteCode') siteCode: string, @Body() body: ReopenBody) {
    return this.bus.request(AssessmentSubjects.reopenSelf, { actor, siteCode, reason: body.reason });
  }
}
