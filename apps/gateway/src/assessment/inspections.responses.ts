import { ApiProperty } from '@nestjs/swagger';
import {
  AssessmentResult,
  EvidenceByKey,
  INSPECTION_STATUSES,
  InspectionDetail,
  InspectionProgress,
  InspectionSiteSummary,
  InspectionSiteView,
  InspectionStatus,
  InspectionSummary,
  SAMPLE_MODES,
  SampleMode,
  SELF_ASSESSMENT_STATUSES,
  SelfAssessmentAnswers,
  SelfAssessmentStatus,
  VERDICTS,
  Verdict,
  MonitoringProposal,
  MonitoringSummary,
} from '@app/contracts';
import { MonitoringProposalDto } from './monitoring.responses';
import { AnswersDto, AssessmentResultDto, EVIDENCE_BY_KEY } from './self-assessment.responses';

export class InspectionSampleDto {
  @ApiProperty({ enum: SAMPLE_MODES }) mode: SampleMode;
  @ApiProperty({ type: String, example: '按比例抽查' }) modeLabel: string;
  @ApiProperty({ type: Number, nullable: true, description: '比例（%）或数量；全部时为 null' }) value: number | null;
  @ApiProperty({ type: String, description: '随机种子：同一种子、同一批网站抽出的名单相同' }) seed: string;
  @ApiProperty({ type: Number, description: '抽查时辖区运行中的已赋码网站数' }) population: number;
}

export class InspectionProgressDto implements InspectionProgress {
  @ApiProperty({ type: Number }) sampled: number;
  @ApiProperty({ type: Number }) notStarted: number;
  @ApiProperty({ type: Number }) draft: number;
  @ApiProperty({ type: Number }) submitted: number;
  @ApiProperty({ type: Number }) pass: number;
  @ApiProperty({ type: Number }) fail: number;
}

export class InspectionSummaryDto implements InspectionSummary {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String, description: '被检查的单位（检查其及下级单位的网站）' }) orgUnitName: string;
  @ApiProperty({ type: String, format: 'uuid' }) inspectingUnitId: string;
  @ApiProperty({ type: String, description: '检查单位（发起者所在单位）；它和它的上级单位可以打分' })
  inspectingUnitName: string;
  @ApiProperty({ enum: INSPECTION_STATUSES }) status: InspectionStatus;
  @ApiProperty({ type: String, example: '进行中' }) statusLabel: string;
  @ApiProperty({ type: () => InspectionSampleDto }) sample: InspectionSummary['sample'];
  @ApiProperty({ type: () => InspectionProgressDto }) progress: InspectionProgress;
  @ApiProperty({ type: String, nullable: true }) createdBy: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
}

export class InspectionPageDto {
  @ApiProperty({ type: () => InspectionSummaryDto, isArray: true }) items: InspectionSummary[];
  @ApiProperty({ type: Number }) total: number;
}

export class InspectionSiteSummaryDto implements InspectionSiteSummary {
  @ApiProperty({ type: String }) siteCode: string;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ type: String, format: 'uuid' }) ownerOrgUnitId: string;
  @ApiProperty({ enum: SELF_ASSESSMENT_STATUSES }) status: SelfAssessmentStatus;
  @ApiProperty({ type: String }) statusLabel: string;
  @ApiProperty({ enum: VERDICTS, nullable: true }) verdict: Verdict | null;
  @ApiProperty({ type: String, nullable: true }) verdictLabel: string | null;
  @ApiProperty({ type: Number, nullable: true }) score: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
}

export class InspectionDetailDto extends InspectionSummaryDto implements InspectionDetail {
  @ApiProperty({ type: () => InspectionSiteSummaryDto, isArray: true }) sites: InspectionSiteSummary[];
}

export class SiteSelfAssessmentDto {
  @ApiProperty({ enum: SELF_ASSESSMENT_STATUSES }) status: SelfAssessmentStatus;
  @ApiProperty({ type: String }) statusLabel: string;
  @ApiProperty({ type: () => AnswersDto }) answers: SelfAssessmentAnswers;
  @ApiProperty({ type: () => AssessmentResultDto, nullable: true }) result: AssessmentResult | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ ...EVIDENCE_BY_KEY, description: '网站上传的证据文件：键为否决项或扣分项 key' })
  evidence: EvidenceByKey;
}

export class MonitoringSummaryDto implements MonitoringSummary {
  @ApiProperty({ type: Boolean, description: '是否正在监测（已审核、运行中且已同步）' }) monitored: boolean;
  @ApiProperty({ type: String, format: 'date' }) from: string;
  @ApiProperty({ type: String, format: 'date' }) to: string;
  @ApiProperty({ type: Number, description: '范围内有首页探测的天数' }) daysWithProbes: number;
  @ApiProperty({ type: () => MonitoringProposalDto, isArray: true }) proposals: MonitoringProposal[];
}

export class InspectionSiteDto implements InspectionSiteView {
  @ApiProperty({ type: String, format: 'uuid' }) inspectionId: string;
  @ApiProperty({ type: String }) inspectionName: string;
  @ApiProperty({ enum: INSPECTION_STATUSES }) inspectionStatus: InspectionStatus;
  @ApiProperty({ type: String }) siteCode: string;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ type: String, format: 'uuid' }) ownerOrgUnitId: string;
  @ApiProperty({ enum: SELF_ASSESSMENT_STATUSES }) status: SelfAssessmentStatus;
  @ApiProperty({ type: String }) statusLabel: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '评分表（见 docs/ASSESSMENT.md）' })
  sheet: InspectionSiteView['sheet'];
  @ApiProperty({ type: () => AnswersDto }) answers: SelfAssessmentAnswers;
  @ApiProperty({ type: () => AssessmentResultDto, nullable: true }) result: AssessmentResult | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
  @ApiProperty({ type: () => SiteSelfAssessmentDto, nullable: true, description: '网站的自查评分（未开始时为 null）' })
  selfAssessment: InspectionSiteView['selfAssessment'];
  @ApiProperty({
    type: () => MonitoringSummaryDto,
    description: '监测建议：近两周监测数据得出的建议否决和扣分及证据，供检查人员确认（不会自动填入）',
  })
  monitoring: MonitoringSummary;
  @ApiProperty({ ...EVIDENCE_BY_KEY, description: '检查人员上传的证据文件：键为否决项或扣分项 key' })
  evidence: EvidenceByKey;
}
