import { ApiProperty } from '@nestjs/swagger';
import {
  AssessmentCounts,
  AssessmentFailure,
  AssessmentStatsRow,
  AssessmentStatsTable,
  VERDICT_SOURCES,
  VerdictSource,
} from '@app/contracts';

export class AssessmentCountsDto implements AssessmentCounts {
  @ApiProperty({ type: Number, description: '已赋码（审核通过）的网站数' }) sites: number;
  @ApiProperty({ type: Number, description: '有正式结论的网站数' }) assessed: number;
  @ApiProperty({ type: Number, description: '合格' }) pass: number;
  @ApiProperty({ type: Number, description: '不合格' }) fail: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: '不合格按单项否决：否决项 key → 网站数（一个网站有两项否决时两项都计）',
  })
  byVeto: Record<string, number>;
  @ApiProperty({
    type: 'object',
    properties: { SELF: { type: 'number' }, INSPECTION: { type: 'number' } },
    description: '结论来源：自查、检查',
  })
  bySource: Record<VerdictSource, number>;
  @ApiProperty({ type: Number, nullable: true, description: '有得分的结论的平均分（单项否决无得分），一位小数' })
  averageScore: number | null;
}

export class AssessmentStatsRowDto extends AssessmentCountsDto implements AssessmentStatsRow {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String }) code: string;
  @ApiProperty({ type: String }) name: string;
}

export class StatsUnitDto {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String }) code: string;
  @ApiProperty({ type: String }) name: string;
}

export class StatsPathDto {
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String }) name: string;
}

export class VetoColumnDto {
  @ApiProperty({ type: String }) key: string;
  @ApiProperty({ type: String }) name: string;
}

export class AssessmentStatsTableDto implements AssessmentStatsTable {
  @ApiProperty({ type: () => StatsUnitDto }) unit: AssessmentStatsTable['unit'];
  @ApiProperty({ type: () => StatsPathDto, isArray: true }) path: AssessmentStatsTable['path'];
  @ApiProperty({ type: () => VetoColumnDto, isArray: true, description: '当前评分表的单项否决（byVeto 的列）' })
  vetoes: AssessmentStatsTable['vetoes'];
  @ApiProperty({ type: () => AssessmentStatsRowDto, isArray: true }) children: AssessmentStatsRow[];
  @ApiProperty({ type: () => AssessmentCountsDto, description: '本级（本单位自己的网站）' }) own: AssessmentCounts;
  @ApiProperty({ type: () => AssessmentCountsDto, description: '合计' }) total: AssessmentCounts;
}

export class EvidenceDto {
  @ApiProperty({ type: String }) key: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, nullable: true }) evidenceUrl: string | null;
}

export class AssessmentFailureDto implements AssessmentFailure {
  @ApiProperty({ type: String }) siteCode: string;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ type: String, format: 'uuid' }) ownerOrgUnitId: string;
  @ApiProperty({ enum: VERDICT_SOURCES }) source: VerdictSource;
  @ApiProperty({ type: String, example: '检查' }) sourceLabel: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) inspectionId: string | null;
  @ApiProperty({ type: Number, nullable: true }) score: number | null;
  @ApiProperty({ type: () => VetoColumnDto, isArray: true }) vetoes: AssessmentFailure['vetoes'];
  @ApiProperty({ type: () => EvidenceDto, isArray: true }) evidence: AssessmentFailure['evidence'];
  @ApiProperty({ type: String }) sheetVersion: string;
  @ApiProperty({ type: String, format: 'date-time' }) decidedAt: string;
}

export class AssessmentFailuresPageDto {
  @ApiProperty({ type: () => AssessmentFailureDto, isArray: true }) items: AssessmentFailure[];
  @ApiProperty({ type: Number }) total: number;
}
