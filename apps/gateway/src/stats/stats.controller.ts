import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, REMINDER_MAX_UNITS, StatsSubjects } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import type { Response } from 'express';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { XLSX_TYPE } from '@app/contracts';
import { contentDisposition } from '../http/download';
import { ApiErrors } from '../openapi/api-errors';
import { writeStatsWorkbook } from '@app/contracts/workbooks/stats-workbook';
import { RemindersResultDto, UnitStatsTableDto } from './stats.responses';

export class StatsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '单位编号（默认本单位；只能是本单位或下级）' })
  @IsOptional()
  @IsUUID('4', { message: 'orgUnitId 应为单位编号' })
  orgUnitId?: string;
}

export class RemindersBody {
  @ApiProperty({ type: [String], format: 'uuid', description: `要催报的下级单位（1–${REMINDER_MAX_UNITS} 个）` })
  @IsArray({ message: '请选择要催报的单位' })
  @ArrayMinSize(1, { message: '请选择要催报的单位' })
  @ArrayMaxSize(REMINDER_MAX_UNITS, { message: `一次最多催报${REMINDER_MAX_UNITS}个单位` })
  @IsUUID('4', { each: true, message: '单位编号格式有误' })
  orgUnitIds: string[];
}

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-subtree')
  @Get('units')
  @ApiOperation({
    summary: '统计分析：每个直接下级一行（其辖区的网站数、按状态和存续状态、是否已报送、最近变动），另有本级与合计',
  })
  @ApiOkResponse({ type: UnitStatsTableDto })
  @ApiErrors('stats.units')
  units(@CurrentActor() actor: Actor, @Query() query: StatsQuery) {
    return this.bus.request(StatsSubjects.units, { actor, ...(query.orgUnitId ? { orgUnitId: query.orgUnitId } : {}) });
  }

  @Access('unit-subtree')
  @Get('units/export')
  @ApiOperation({ summary: '导出统计表为 Excel（与统计分析同一张表）' })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: '统计.xlsx，中文表头；Content-Disposition 带 UTF-8 文件名（filename*）',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors('stats.export')
  async export(@CurrentActor() actor: Actor, @Query() query: StatsQuery, @Res() res: Response): Promise<void> {
    const table = await this.bus.request(StatsSubjects.units, {
      actor,
      ...(query.orgUnitId ? { orgUnitId: query.orgUnitId } : {}),
    });
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(`${table.unit.name}统计.xlsx`));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeStatsWorkbook(res, table);
    } catch (err) {
      if (res.headersSent) res.destroy(err as Error);
      else throw err;
    }
  }

  @Access('unit-subtree')
  @Post('reminders')
  @HttpCode(200)
  @ApiOperation({
    summary: '催报：向所选下级单位（未报送或有待其处理的记录）发站内通知和邮件，每个单位每天至多一次',
  })
  @ApiOkResponse({ type: RemindersResultDto })
  @ApiErrors('stats.remind')
  remind(@CurrentActor() actor: Actor, @Body() body: RemindersBody) {
    return this.bus.request(StatsSubjects.remind, { actor, orgUnitIds: body.orgUnitIds });
  }
}
