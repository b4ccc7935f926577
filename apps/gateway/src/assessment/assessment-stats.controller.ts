import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Actor, AssessmentFailure, AssessmentStatsSubjects, MAX_PAGE, XLSX_TYPE } from '@app/contracts';
import { assessmentStatsRows, writeAssessmentStatsWorkbook } from '@app/contracts/workbooks/assessment-stats-workbook';
import { BusClient } from '@app/platform/core';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { Access } from '../auth/access';
import { CurrentActor } from '../auth/current-actor';
import { contentDisposition } from '../http/download';
import { ApiErrors } from '../openapi/api-errors';
import { StatsQuery } from '../stats/stats.controller';
import { AssessmentFailuresPageDto, AssessmentStatsTableDto } from './assessment-stats.responses';

/** The most 不合格 sites one export lists (a page of 500 at a time from assessment). */
export const FAILURES_EXPORT_MAX = 50_000;
const FAILURES_EXPORT_PAGE = 500;

export class FailuresQuery extends StatsQuery {
  @ApiPropertyOptional({ default: 1, maximum: MAX_PAGE })
  @Type(() => Number)
  @IsInt({ message: `page 应为1到${MAX_PAGE}的整数` })
  @Min(1, { message: `page 应为1到${MAX_PAGE}的整数` })
  @Max(MAX_PAGE, { message: `page 应为1到${MAX_PAGE}的整数` })
  page = 1;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @Type(() => Number)
  @IsInt({ message: 'pageSize 应为1到500的整数' })
  @Min(1, { message: 'pageSize 应为1到500的整数' })
  @Max(500, { message: 'pageSize 应为1到500的整数' })
  @IsOptional()
  pageSize = 50;
}

/**
 * 评分统计: the official verdicts of a unit's subtree per direct child, the 不合格 sites with
 * why, and both as Excel. Assessment reads its verdicts; the unit asked for must be the caller's
 * own or below it (hierarchy: 404 ORG_UNIT_NOT_FOUND / 403 OUTSIDE_SUBTREE).
 */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller('assessment')
export class AssessmentStatsController {
  constructor(private readonly bus: BusClient) {}

  @Access('unit-subtree')
  @Get('stats')
  @ApiOperation({
    summary:
      '评分统计：每个直接下级一行（网站数、已评分、合格、不合格、各否决项、自查/检查结论数、平均分），另有本级与合计',
  })
  @ApiOkResponse({ type: AssessmentStatsTableDto })
  @ApiErrors('assessment.stats')
  stats(@CurrentActor() actor: Actor, @Query() query: StatsQuery) {
    return this.bus.request(AssessmentStatsSubjects.stats, {
      actor,
      ...(query.orgUnitId && { orgUnitId: query.orgUnitId }),
    });
  }

  @Access('unit-subtree')
  @Get('failures')
  @ApiOperation({ summary: '不合格网站：单项否决、得分、结论来源（自查/检查）和说明与证据，按标识码排序分页' })
  @ApiOkResponse({ type: AssessmentFailuresPageDto })
  @ApiErrors('assessment.failures')
  failures(@CurrentActor() actor: Actor, @Query() query: FailuresQuery) {
    return this.bus.request(AssessmentStatsSubjects.failures, {
      actor,
      ...(query.orgUnitId && { orgUnitId: query.orgUnitId }),
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  @Access('unit-subtree')
  @Get('stats/export')
  @ApiOperation({
    summary: `导出评分统计为 Excel：工作表「评分统计」（每单位一行）和「不合格网站」（至多 ${FAILURES_EXPORT_MAX} 个）`,
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: '评分统计.xlsx，中文表头；Content-Disposition 带 UTF-8 文件名（filename*）',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors('assessment.statsExport')
  async export(@CurrentActor() actor: Actor, @Query() query: StatsQuery, @Res() res: Response): Promise<void> {
    const scope = { actor, ...(query.orgUnitId && { orgUnitId: query.orgUnitId }) };
    const table = await this.bus.request(AssessmentStatsSubjects.stats, scope);
    const failures: AssessmentFailure[] = [];
    for (let page = 1; failures.length < FAILURES_EXPORT_MAX; page += 1) {
      const batch = await this.bus.request(AssessmentStatsSubjects.failures, {
        ...scope,
        page,
        pageSize: FAILURES_EXPORT_PAGE,
      });
      failures.push(...batch.items);
      if (batch.items.length < FAILURES_EXPORT_PAGE) break;
    }
    const listed = failures.slice(0, FAILURES_EXPORT_MAX);
    // Recorded before the file goes out: the attempt is what the log must show.
    await this.bus.request(AssessmentStatsSubjects.exported, {
      ...scope,
      rows: assessmentStatsRows(table).length,
      failures: listed.length,
    });
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', contentDisposition(`${table.unit.name}评分统计.xlsx`));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeAssessmentStatsWorkbook(res, table, listed);
    } catch (err) {
      if (res.headersSent) res.destroy(err as Error);
      else throw err;
    }
  }
}
