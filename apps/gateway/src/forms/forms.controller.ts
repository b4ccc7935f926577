import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  IntersectionType,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  Actor,
  LIFECYCLE_REQUEST_KINDS,
  LIFECYCLE_STATES,
  LifecycleRequestKind,
  LifecycleState,
  REQUEST_KINDS,
  RequestKind,
  RECORD_CURSOR_MESSAGE,
  RECORD_CURSOR_PATTERN,
  RECORD_SCOPES,
  RECORD_STATUSES,
  RecordDetail,
  RecordScope,
  RecordStatus,
  RecordSubjects,
  FastValidation,
  hasOnlyKeys,
  MAX_PAGE,
} from '@app/contracts';
import { APP_CONFIG, BusClient } from '@app/platform/core';
import { bucketName, ObjectStorage } from '@app/storage';
import type { Response } from 'express';
import { XLSX_TYPE } from '@app/contracts';
import { sendRecordsExport } from '../exports/records-export';
import { ExportJobDto } from '../exports/exports.responses';
import { GatewayConfig } from '../gateway.settings';
import {
  IsIn,
  isIn,
  isInt,
  IsOptional,
  IsString,
  IsUUID,
  isUUID,
  Matches,
  matches,
  max,
  MaxLength,
  maxLength,
  min,
  MinLength,
} from 'class-validator';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import {
  FormContentDto,
  RecordDeletedDto,
  RecordDetailDto,
  RecordHistoryEntryDto,
  RecordPageDto,
  RecordStateDto,
  ReviewAllResultDto,
  SubmitAllResultDto,
} from './forms.responses';
import { Access } from '../auth/access';
import { RecordNames } from './record-names';

/** The list's filters without paging: what an export of the list takes. */
export class ExportQuery {
  @ApiPropertyOptional({ enum: RECORD_STATUSES })
  @IsOptional()
  @IsIn(RECORD_STATUSES, { message: 'status 应为 DRAFT、PENDING、APPROVED 或 RETURNED' })
  status?: RecordStatus;

  @ApiPropertyOptional({ description: '网站名称或网址中的文字' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: '搜索词不超过100个字' })
  q?: string;

  @ApiPropertyOptional({ enum: RECORD_SCOPES, default: 'subtree' })
  @IsOptional()
  @IsIn(RECORD_SCOPES, { message: 'scope 应为 held（待本单位处理）或 subtree（本单位及下级的全部记录）' })
  scope?: RecordScope;

  @ApiPropertyOptional({
    enum: LIFECYCLE_STATES,
    description: '网站运行状态：ACTIVE 运行中、CLOSED 已关停、DEREGISTERED 已注销',
  })
  @IsOptional()
  @IsIn(LIFECYCLE_STATES, { message: 'lifecycle 应为 ACTIVE（运行中）、CLOSED（已关停）或 DEREGISTERED（已注销）' })
  lifecycle?: LifecycleState;

  @ApiPropertyOptional({
    enum: [...REQUEST_KINDS, 'NONE'],
    description: '审核中的申请：CHANGE 变更、CLOSE 关停、REOPEN 恢复、DEREGISTER 注销；NONE 没有申请',
  })
  @IsOptional()
  @IsIn([...REQUEST_KINDS, 'NONE'], {
    message: 'requestKind 应为 CHANGE（变更）、CLOSE（关停）、REOPEN（恢复）、DEREGISTER（注销）或 NONE（无申请）',
  })
  requestKind?: RequestKind | 'NONE';

  @ApiPropertyOptional({
    format: 'uuid',
    description: '按地区筛选：只列出该单位（本单位的下级）及其下级填报的记录；仅用于 scope=subtree',
  })
  @IsOptional()
  @IsUUID('4', { message: 'orgUnitId 应为单位编号' })
  orgUnitId?: string;
}

/**
 * One page of the list: its filters (as an export takes them) and keyset or numbered paging.
 * The list is every user's first screen: a valid query is checked by hand (fastListQuery).
 */
@FastValidation(fastListQuery)
export class ListQuery extends IntersectionType(PageQuery, ExportQuery) {
  @ApiPropertyOptional({
    description: '从上一页返回的 next 之后继续（键集翻页）；给出时忽略 page',
    example: '1764806400123456_0b7f4f52-6c8e-4c6f-9b0e-2f1d1c3b9a10',
  })
  @IsOptional()
  @IsString({ message: RECORD_CURSOR_MESSAGE })
  @Matches(RECORD_CURSOR_PATTERN, { message: RECORD_CURSOR_MESSAGE })
  after?: string;
}

/** A query string's number as `@Type(() => Number)` reads it, if it is an integer in [low, high]. */
const integerIn = (text: string, low: number, high: number) => {
  const number = Number(text);
  return isInt(number) && min(number, low) && max(number, high) ? number : undefined;
};

/** ListQuery's decorators by hand for a query string (every value text): valid, check by check. */
const LIST_QUERY_CHECKS: Record<string, (text: string) => string | number | undefined> = {
  page: (text) => integerIn(text, 1, MAX_PAGE),
  pageSize: (text) => integerIn(text, 1, 200),
  status: (text) => (isIn(text, RECORD_STATUSES) ? text : undefined),
  q: (text) => (maxLength(text, 100) ? text : undefined),
  scope: (text) => (isIn(text, RECORD_SCOPES) ? text : undefined),
  lifecycle: (text) => (isIn(text, LIFECYCLE_STATES) ? text : undefined),
  requestKind: (text) => (isIn(text, [...REQUEST_KINDS, 'NONE']) ? text : undefined),
  orgUnitId: (text) => (isUUID(text, '4') ? text : undefined),
  after: (text) => (matches(text, RECORD_CURSOR_PATTERN) ? text : undefined),
};
const LIST_QUERY_KEYS: ReadonlySet<string> = new Set(Object.keys(LIST_QUERY_CHECKS));

/**
 * The ListQuery class-transformer builds from a valid query (defaults for what is absent,
 * page and pageSize as numbers); undefined when anything might be invalid, and the pipe's
 * class-validator run then says what (`@FastValidation`, libs/contracts).
 */
export function fastListQuery(value: unknown): ListQuery | undefined {
  if (!hasOnlyKeys(value, LIST_QUERY_KEYS)) return undefined;
  const query = new ListQuery();
  const fields = query as unknown as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const text = value[key];
    const checked = typeof text === 'string' ? LIST_QUERY_CHECKS[key](text) : undefined;
    if (checked === undefined) return undefined;
    fields[key] = checked;
  }
  return query;
}

export class ReturnBody {
  @ApiProperty({ description: '退回理由（2–500字）' })
  @IsString({ message: '请填写退回理由' })
  @MaxLength(500, { message: '退回理由不超过500个字' })
  reason: string;
}

export class ChangeRequestBody extends FormContentDto {
  @ApiPropertyOptional({ description: '变更说明（可选，不超过500字）' })
  reason?: string;
}

export class LifecycleRequestBody {
  @ApiProperty({ enum: LIFECYCLE_REQUEST_KINDS, description: 'CLOSE 关停、REOPEN 恢复、DEREGISTER 注销' })
  @IsIn(LIFECYCLE_REQUEST_KINDS, { message: 'kind 应为 CLOSE（关停）、REOPEN（恢复）或 DEREGISTER（注销）' })
  kind: LifecycleRequestKind;

  @ApiProperty({ description: '申请理由（2–500字）' })
  @IsString({ message: '请填写申请理由' })
  @MinLength(2, { message: '请填写申请理由（至少2个字）' })
  @MaxLength(500, { message: '申请理由不超过500个字' })
  reason: string;

  @ApiPropertyOptional({ description: '关停时必填：预计恢复日期（YYYY-MM-DD，晚于今天）', example: '2027-03-01' })
  @IsOptional()
  @IsString({ message: '预计恢复日期应为 YYYY-MM-DD 格式' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '预计恢复日期应为 YYYY-MM-DD 格式，例如 2027-03-01' })
  expectedReopenDate?: string;
}

/**
 * 报送记录 and their workflow. Every route needs a unit account; review decides what the unit
 * may see (its subtree) and do (what it holds).
 */
@ApiTags('forms')
@ApiBearerAuth()
@Controller('forms')
export class FormsController {
  constructor(
    private readonly bus: BusClient,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly names: RecordNames,
  ) {}

  @Access('unit-subtree')
  @Get()
  @ApiOperation({
    summary:
      '报送记录列表：按状态、范围（held 待本单位处理 / subtree 本单位及下级）、网站名称或网址搜索；最新的在前，用 next/after 翻页',
  })
  @ApiOkResponse({ type: RecordPageDto })
  @ApiErrors('forms.list')
  async list(@CurrentActor() actor: Actor, @Query() query: ListQuery) {
    const page = await this.bus.request(RecordSubjects.list, {
      actor,
      status: query.status,
      q: query.q,
      lifecycle: query.lifecycle,
      requestKind: query.requestKind,
      scope: query.scope ?? 'subtree',
      page: query.page,
      pageSize: query.pageSize,
      after: query.after,
      orgUnitId: query.orgUnitId,
    });
    return this.names.page(page);
  }

  @Access('unit-subtree')
  @Get('export')
  @ApiOperation({
    summary:
      '导出报送记录为 Excel：与列表相同的筛选和范围；每行先列状态、申请类型、存续状态（已关停的带关停原因和预计恢复日期），再每个字段一列（中文表头），栏目在第二张表',
    description:
      '符合条件的记录不超过 EXPORT_SYNC_MAX_ROWS（默认 5000）条时直接下载；更多时转为后台导出：答复 202 和导出任务（与 POST /api/v1/exports 相同，Location 指向 GET /api/v1/exports/:id），完成后文件放在文件中心“导出”并有站内通知。',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description:
      '报送记录-<日期>-<时间>.xlsx；Content-Disposition 带 UTF-8 文件名（filename*），X-Export-Rows 为记录条数',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiAcceptedResponse({ type: ExportJobDto, description: '记录较多：已转为后台导出' })
  @ApiErrors('forms.export')
  async export(@CurrentActor() actor: Actor, @Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    await sendRecordsExport(
      this.bus,
      this.storage,
      bucketName(this.config, 'files'),
      actor,
      {
        status: query.status,
        q: query.q,
        lifecycle: query.lifecycle,
        requestKind: query.requestKind,
        orgUnitId: query.orgUnitId,
        scope: query.scope ?? 'subtree',
      },
      this.config.EXPORT_SYNC_MAX_ROWS,
      res,
    );
  }

  @Access('unit-own')
  @Post('submit-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部提交：本单位填报的全部未提交记录' })
  @ApiOkResponse({ type: SubmitAllResultDto })
  @ApiErrors('forms.submitAll')
  submitAll(@CurrentActor() actor: Actor) {
    return this.bus.request(RecordSubjects.submitAll, { actor });
  }

  @Access('unit-own')
  @Post('review-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部审核：待本单位审核的全部记录' })
  @ApiOkResponse({ type: ReviewAllResultDto })
  @ApiErrors('forms.reviewAll')
  reviewAll(@CurrentActor() actor: Actor) {
    return this.bus.request(RecordSubjects.reviewAll, { actor });
  }

  @Access('unit-subtree')
  @Get(':id')
  @ApiOperation({ summary: '记录详情：表单内容和状态、填报单位、当前处理单位、网站标识码（不含校验码）' })
  @ApiOkResponse({ type: RecordDetailDto })
  @ApiErrors('forms.get')
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.named(actor, id, await this.bus.request(RecordSubjects.get, { actor, id }));
  }

  /** A detail as GET answers it, with the names a clerk reads (every answer declared RecordDetailDto). */
  private named(actor: Actor, id: string, detail: RecordDetail) {
    return this.names.detail(detail, () => this.bus.request(RecordSubjects.history, { actor, id }));
  }

  @Access('unit-subtree')
  @Put(':id')
  @ApiOperation({ summary: '修改记录（填报单位，记录未提交或已退回到本单位时）' })
  @ApiOkResponse({ type: RecordDetailDto })
  @ApiErrors('forms.update')
  @ApiBody({
    description: '整张表（与离线填报工具生成的表单文件相同，规则见 GET /api/v1/public/form-schema）',
    type: FormContentDto,
  })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() content: Record<string, unknown>,
  ) {
    return this.named(actor, id, await this.bus.request(RecordSubjects.update, { actor, id, content }));
  }

  @Access('unit-subtree')
  @Delete(':id')
  @ApiOperation({ summary: '删除记录（填报单位，记录未提交或已退回到本单位时）' })
  @ApiOkResponse({ type: RecordDeletedDto })
  @ApiErrors('forms.remove')
  remove(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(RecordSubjects.remove, { actor, id });
  }

  @Access('unit-subtree')
  @Get(':id/history')
  @ApiOperation({ summary: '记录的流转历史（谁、哪个单位、从何状态到何状态、理由、时间）' })
  @ApiOkResponse({ type: [RecordHistoryEntryDto] })
  @ApiErrors('forms.history')
  async history(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.names.history(await this.bus.request(RecordSubjects.history, { actor, id }));
  }

  @Access('unit-subtree')
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: '提交到上级单位审核' })
  @ApiOkResponse({ type: RecordStateDto })
  @ApiErrors('forms.submit')
  submit(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(RecordSubjects.submit, { actor, id });
  }

  @Access('unit-subtree')
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '审核通过：终审单位通过即为已审核（首次分配网站标识码），否则报上一级' })
  @ApiOkResponse({ type: RecordStateDto })
  @ApiErrors('forms.approve')
  approve(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.bus.request(RecordSubjects.approve, { actor, id });
  }

  @Access('unit-subtree')
  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: '退回到下一级单位（须填写理由）' })
  @ApiOkResponse({ type: RecordStateDto })
  @ApiErrors('forms.return')
  return(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: ReturnBody) {
    return this.bus.request(RecordSubjects.return, { actor, id, reason: body.reason });
  }

  @Access('unit-subtree')
  @Post(':id/change-request')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '申请变更（填报单位，已审核的网站）：提交整张新表，按审核流程逐级审核；终审通过前仍以已审核的内容为准，详情中 pendingRequest 给出逐项对比',
  })
  @ApiOkResponse({ type: RecordDetailDto })
  @ApiErrors('forms.changeRequest')
  @ApiBody({ type: ChangeRequestBody, description: '整张表（同 PUT /forms/:id），可附 reason 变更说明' })
  async changeRequest(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const { reason, ...content } = body;
    const detail = await this.bus.request(RecordSubjects.changeRequest, {
      actor,
      id,
      content,
      ...(typeof reason === 'string' ? { reason } : {}),
    });
    return this.named(actor, id, detail);
  }

  @Access('unit-subtree')
  @Post(':id/lifecycle-request')
  @HttpCode(200)
  @ApiOperation({
    summary: '申请关停（须填预计恢复日期）、恢复或注销（填报单位，已审核的网站），按审核流程逐级审核，终审通过后生效',
  })
  @ApiOkResponse({ type: RecordDetailDto })
  @ApiErrors('forms.lifecycleRequest')
  async lifecycleRequest(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: LifecycleRequestBody,
  ) {
    const detail = await this.bus.request(RecordSubjects.lifecycleRequest, {
      actor,
      id,
      kind: body.kind,
      reason: body.reason,
      ...(body.expectedReopenDate ? { expectedReopenDate: body.expectedReopenDate } : {}),
    });
    return this.named(actor, id, detail);
  }

  @Access('unit-subtree')
  @Post(':id/withdraw-request')
  @HttpCode(200)
  @ApiOperation({
    summary: '撤回申请（填报单位，上级尚未处理时：仍在第一个审核单位，或已退回本单位），记录恢复为已审核',
  })
  @ApiOkResponse({ type: RecordDetailDto })
  @ApiErrors('forms.withdrawRequest')
  async withdrawRequest(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.named(actor, id, await this.bus.request(RecordSubjects.withdrawRequest, { actor, id }));
  }
}
