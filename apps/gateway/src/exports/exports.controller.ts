import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Actor, EXPORT_KINDS, ExportJobView, ExportKind, FilesSubjects } from '@app/contracts';
import { BusClient } from '@app/platform';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, ValidateNested } from 'class-validator';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { ExportQuery } from '../forms/forms.controller';
import { uuidParam } from '../http/uuid-param';
import { ApiErrors } from '../openapi/api-errors';
import { ExportJobDto } from './exports.responses';

export class ExportBody {
  @ApiProperty({ enum: EXPORT_KINDS, description: 'records：报送记录列表' })
  @IsIn(EXPORT_KINDS, { message: 'kind 应为 records（报送记录）' })
  kind: ExportKind;

  @ApiProperty({ type: ExportQuery, description: '与 GET /api/v1/forms 相同的筛选条件（status、q、scope）' })
  @IsDefined({ message: '请给出导出的筛选条件 filters' })
  @ValidateNested()
  @Type(() => ExportQuery)
  filters: ExportQuery;
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

  @Access('unit-subtree')
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: '后台导出：排队导出报送记录（与列表相同的筛选和范围），完成后放入文件中心“导出”并发站内通知',
  })
  @ApiAcceptedResponse({ type: ExportJobDto })
  @ApiErrors('exports.create')
  create(@CurrentActor() actor: Actor, @Body() body: ExportBody) {
    return this.bus.request(FilesSubjects.createExport, {
      actor,
      kind: body.kind,
      filters: {
        status: body.filters.status,
        q: body.filters.q,
        lifecycle: body.filters.lifecycle,
        requestKind: body.filters.requestKind,
        orgUnitId: body.filters.orgUnitId,
        scope: body.filters.scope ?? 'subtree',
      },
    });
  }

  @Access('unit-subtree')
  @Get(':id')
  @ApiOperation({ summary: '后台导出的状态（仅申请单位）：排队中、正在导出、已完成（文件中心的文件）或失败' })
  @ApiOkResponse({ type: ExportJobDto })
  @ApiErrors('exports.get')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string): Promise<ExportJobView> {
    return this.bus.request(FilesSubjects.getExport, { actor, id });
  }
}
