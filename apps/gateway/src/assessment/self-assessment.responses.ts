import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  AnswerEntry,
  AssessmentResult,
  EvidenceByKey,
  EvidenceFileView,
  ItemDeduction,
  SELF_ASSESSMENT_STATUSES,
  SelfAssessmentAnswers,
  SelfAssessmentStatus,
  SelfAssessmentView,
  VERDICTS,
  Verdict,
} from '@app/contracts';

const ANSWER_ENTRY: SchemaObject = {
  type: 'object',
  properties: {
    value: {
      oneOf: [{ type: 'number' }, { type: 'boolean' }],
      description: '单项否决为是/否；扣分项按评分表：个数、数值或是/否',
    },
    note: { type: 'string', nullable: true, maxLength: 500, description: '说明' },
    evidenceUrl: { type: 'string', nullable: true, maxLength: 500, description: '证据链接（http/https）' },
  },
  required: ['value'],
};

export class AnswersDto implements SelfAssessmentAnswers {
  @ApiProperty({
    type: 'object',
    additionalProperties: ANSWER_ENTRY,
    description: '单项否决：键为评分表中的否决项 key',
  })
  vetoes: Record<string, AnswerEntry<boolean>>;
  @ApiProperty({ type: 'object', additionalProperties: ANSWER_ENTRY, description: '扣分项：键为评分表中的指标 key' })
  items: Record<string, AnswerEntry>;
}

export class SaveSelfAssessmentBodyDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: ANSWER_ENTRY, description: '本次填写的单项否决' })
  vetoes?: Record<string, AnswerEntry<boolean>>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: ANSWER_ENTRY, description: '本次填写的扣分项' })
  items?: Record<string, AnswerEntry>;
}

export class ItemDeductionDto implements ItemDeduction {
  @ApiProperty({ type: String }) key: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, description: '一级指标' }) group: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'boolean' }] }) value: number | boolean;
  @ApiProperty({ type: Number }) maxPoints: number;
  @ApiProperty({ type: Number, description: '扣分（不超过该项满分）' }) deducted: number;
}

export class VetoHitDto {
  @ApiProperty({ type: String }) key: string;
  @ApiProperty({ type: String }) name: string;
}

export class AssessmentResultDto implements AssessmentResult {
  @ApiProperty({ type: String }) sheetId: string;
  @ApiProperty({ type: String, description: '计算所用的评分表版本' }) sheetVersion: string;
  @ApiProperty({ enum: VERDICTS }) verdict: Verdict;
  @ApiProperty({ type: String, example: '合格' }) verdictLabel: string;
  @ApiProperty({ type: Number, nullable: true, description: '得分；单项否决时为 null（不再评分）' })
  score: number | null;
  @ApiProperty({ type: () => VetoHitDto, isArray: true }) vetoes: Array<{ key: string; name: string }>;
  @ApiProperty({ type: () => ItemDeductionDto, isArray: true }) deductions: ItemDeduction[];
}

export class EvidenceFileDto implements EvidenceFileView {
  @ApiProperty({ type: String, format: 'uuid', description: '下载：GET /api/v1/evidence/{id}' }) id: string;
  @ApiProperty({ type: String, description: '所属的否决项或扣分项 key' }) key: string;
  @ApiProperty({ type: String }) fileName: string;
  @ApiProperty({ type: String, example: 'image/png' }) contentType: string;
  @ApiProperty({ type: Number, description: '字节数' }) size: number;
  @ApiProperty({ type: String, format: 'date-time' }) uploadedAt: string;
  @ApiProperty({ type: String, description: '上传者：“网站自查”或检查人员的账号' }) uploadedBy: string;
}

/** The evidence files of a sheet by key, as the OpenAPI document shows them. */
export const EVIDENCE_BY_KEY = {
  type: 'object',
  additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/EvidenceFileDto' } },
  description: '证据文件：键为否决项或扣分项 key',
} as const;

export class SelfAssessmentDto implements SelfAssessmentView {
  @ApiProperty({ type: String }) siteCode: string;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ type: String, format: 'uuid' }) ownerOrgUnitId: string;
  @ApiProperty({ enum: SELF_ASSESSMENT_STATUSES }) status: SelfAssessmentStatus;
  @ApiProperty({ type: String, example: '填写中' }) statusLabel: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      '评分表（版本化数据：id、version、title、source、totalPoints、passScore、vetoes、groups），见 docs/ASSESSMENT.md',
  })
  sheet: SelfAssessmentView['sheet'];
  @ApiProperty({ type: () => AnswersDto }) answers: SelfAssessmentAnswers;
  @ApiProperty({ type: () => AssessmentResultDto, nullable: true }) result: AssessmentResult | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
  @ApiProperty(EVIDENCE_BY_KEY) evidence: EvidenceByKey;
}
