import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CommonErrorCodes, EXPORT_KINDS, ExportJobView, ExportKind, FilesSubjects } from '@app/contracts';
import { BusClient, DomainError, flattenValidationErrors } from '@app/platform/core';
import { plainToInstance } from 'class-transformer';
import { IsDefined, IsIn, IsObject, validate } from 'class-validator';
import type { Response } from 'express';
import { AuditFilters, searchFilters } from '../admin/admin.controller';
import { sendObject } from '../files/files.controller';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { ExportQuery } from '../forms/forms.controller';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { ExportJobDto } from './exports.responses';

export class ExportBody {
  @ApiProperty({ enum: EXPORT_KINDS, description: 'records：报送记录列表（单位账号）；audit：审计日志（审计员）' })
  @IsIn(EXPORT_KINDS, { message: 'kind 应为 records（报送记录）或 audit（审计日志）' })
  kind: ExportKind;

  @ApiProperty({
    description:
      'records：与 GET /api/v1/forms 相同的筛选条件（status、q、scope）；audit：与 GET /api/v1/admin/audit 相同（actor、action、from、to）',
    example: { scope: 'subtree', status: 'APPROVED' },
  })
  @IsDefined({ message: '请给出导出的筛选条件 filters' })
  @IsObject({ message: 'filters 应为对象' })
  filters: Record<string, unknown>;
}

/**
 * 后台导出: an export too large to download at once runs as a job in files; the workbook lands
 * in 文件中心 (folder 导出) of the requesting unit and an in-app notice says so.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-subtree', 'auditor')
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      '后台导出：排队导出报送记录（单位，与列表相同的筛选和范围，完成后放入文件中心“导出”并发站内通知）或审计日志（审计员，完成后用 GET /exports/{id}/download 下载）',
  })
  @ApiAcceptedResponse({ type: ExportJobDto })
  @ApiErrors('exports.create')
  async create(@CurrentActor() actor: Actor, @Body() body: ExportBody) {
    if (body.kind === 'audit') {
      const filters = await checked(AuditFilters, body.filters);
      return this.bus.request(FilesSubjects.createExport, {
        actor,
        kind: 'audit',
        auditFilters: searchFilters(filters),
      });
    }
    const filters = await checked(ExportQuery, body.filters);
    return this.bus.request(FilesSubjects.createExport, {
      actor,
      kind: 'records',
      filters: {
        status: filters.status,
        q: filters.q,
        lifecycle: filters.lifecycle,
        requestKind: filters.requestKind,
        orgUnitId: filters.orgUnitId,
        scope: filters.scope ?? 'subtree',
      },
    });
  }

  @Access('unit-subtree', 'auditor')
  @Get(':id')
  @ApiOperation({ summary: '后台导出的状态（仅申请单位）：排队中、正在导出、已完成（文件中心的文件）或失败' })
  @ApiOkResponse({ type: ExportJobDto })
  @ApiErrors('exports.get')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string): Promise<ExportJobView> {
    return this.bus.request(FilesSubjects.getExport, { actor, id });
  }

  @Access('unit-subtree', 'auditor')
  @Get(':id/download')
  @ApiOperation({ summary: '下载后台导出完成的文件（仅申请单位或申请的审计员；单位的文件也在文件中心“导出”）' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({
    description: '导出的 .xlsx；Content-Disposition 带 UTF-8 文件名（filename*）',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors('exports.download')
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.bus.request(FilesSubjects.downloadExport, { actor, id });
    await sendObject(res, file, await fetch(file.url).catch(() => undefined));
  }
}

/** The filters of one kind of export, checked as the list's own query is (unknown fields refused). */
async function checked<T extends object>(type: new () => T, value: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(type, value);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length)
    throw new DomainError(
      CommonErrorCodes.VALIDATION_FAILED,
      '导出的筛选条件有误',
      flattenValidationErrors(errors, 'filters'),
    );
  return instance;
}
