import { MonitoringSummary } from './monitoring.contract';
import type { EvidenceByKey } from './evidence.contract';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_PAGE, Page } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';
import {
  AnswerEntry,
  AssessmentResult,
  ScoreSheet,
  SelfAssessmentAnswers,
  SelfAssessmentStatus,
  SITE_CODE_PATTERN,
  Verdict,
} from './assessment.contract';

/** How the sites of an inspection (检查打分) are drawn: all of them, a percentage or a number. */
export const SAMPLE_MODES = ['all', 'percent', 'count'] as const;
export type SampleMode = (typeof SAMPLE_MODES)[number];
export const SAMPLE_MODE_LABELS: Readonly<Record<SampleMode, string>> = {
  all: '全部',
  percent: '按比例抽查',
  count: '按数量抽查',
};

export const INSPECTION_STATUSES = ['OPEN', 'CLOSED'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];
export const INSPECTION_STATUS_LABELS: Readonly<Record<InspectionStatus, string>> = {
  OPEN: '进行中',
  CLOSED: '已结束',
};

export class SampleSpec {
  @IsIn(SAMPLE_MODES, { message: '抽查方式 mode 应为 all（全部）、percent（按比例）或 count（按数量）' })
  mode: SampleMode;

  /** percent: 0 < value ≤ 100; count: a whole number ≥ 1; all: ignored. */
  @IsOptional()
  @IsNumber({}, { message: '抽查比例或数量 value 应为数字' })
  value?: number;

  /** Any 1–64 characters; drawn at random when missing. The same seed draws the same sites. */
  @IsOptional()
  @IsString({ message: '随机种子 seed 应为文字' })
  seed?: string;
}

export class CreateInspectionRequest extends ActorRequest {
  @IsString({ message: '请填写检查名称' })
  @Matches(/\S/, { message: '请填写检查名称' })
  @MaxLength(100, { message: '检查名称不超过100个字' })
  name: string;

  @IsUUID('4', { message: '单位编号格式有误' })
  orgUnitId: string;

  @IsDefined({ message: '请给出抽查方式 sample' })
  @IsObject({ message: '抽查方式 sample 应为对象 {mode, value, seed}' })
  @ValidateNested()
  @Type(() => SampleSpec)
  sample: SampleSpec;
}

export class ListInspectionsRequest extends ActorRequest {
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(200) pageSize: number;
}

export class InspectionRequest extends ActorRequest {
  @IsUUID('4', { message: '检查编号格式有误' }) inspectionId: string;
}

export class InspectionSiteRequest extends InspectionRequest {
  @Matches(SITE_CODE_PATTERN, { message: '网站标识码应为10位字母或数字' }) siteCode: string;
}

export class SaveInspectionSiteRequest extends InspectionSiteRequest {
  @IsOptional() @IsObject() vetoes?: Record<string, AnswerEntry<boolean>>;
  @IsOptional() @IsObject() items?: Record<string, AnswerEntry>;
}

export class ReopenInspectionSiteRequest extends InspectionSiteRequest {
  @IsString({ message: '请填写退回原因' })
  @MaxLength(500, { message: '退回原因不能超过500字' })
  @Matches(/\S/, { message: '请填写退回原因' })
  reason: string;
}

export interface InspectionProgress {
  sampled: number;
  notStarted: number;
  draft: number;
  submitted: number;
  pass: number;
  fail: number;
}

export interface InspectionSummary {
  id: string;
  name: string;
  orgUnitId: string;
  orgUnitName: string;
  /** The unit that inspects (the one that started it); it and the units above it score. */
  inspectingUnitId: string;
  inspectingUnitName: string;
  status: InspectionStatus;
  statusLabel: string;
  sample: { mode: SampleMode; modeLabel: string; value: number | null; seed: string; population: number };
  progress: InspectionProgress;
  createdBy: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** One sampled site in an inspection's list. */
export interface InspectionSiteSummary {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  status: SelfAssessmentStatus;
  statusLabel: string;
  verdict: Verdict | null;
  verdictLabel: string | null;
  score: number | null;
  submittedAt: string | null;
}

export interface InspectionDetail extends InspectionSummary {
  sites: InspectionSiteSummary[];
}

/** The inspectors' scoring of one sampled site, with the site's own self-assessment beside it. */
export interface InspectionSiteView {
  inspectionId: string;
  inspectionName: string;
  inspectionStatus: InspectionStatus;
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  status: SelfAssessmentStatus;
  statusLabel: string;
  sheet: ScoreSheet;
  answers: SelfAssessmentAnswers;
  result: AssessmentResult | null;
  submittedAt: string | null;
  updatedAt: string | null;
  /** The site's 自查评分 as it stands (null when the site has not started one). */
  selfAssessment: {
    status: SelfAssessmentStatus;
    statusLabel: string;
    answers: SelfAssessmentAnswers;
    result: AssessmentResult | null;
    submittedAt: string | null;
    evidence: EvidenceByKey;
  } | null;
  /** The inspectors' evidence files, by veto or item key. */
  evidence: EvidenceByKey;
  /**
   * What monitoring proposes for this site on this sheet (automatic vetoes and deductions from
   * the daily probes of the last two weeks, with their evidence), for the inspectors to confirm:
   * nothing is filled in by itself.
   */
  monitoring: MonitoringSummary;
}

export const InspectionSubjects = {
  create: subject<CreateInspectionRequest, InspectionDetail>('assessment.inspection.create'),
  list: subject<ListInspectionsRequest, Page<InspectionSummary>>('assessment.inspection.list'),
  get: subject<InspectionRequest, InspectionDetail>('assessment.inspection.get'),
  close: subject<InspectionRequest, InspectionDetail>('assessment.inspection.close'),
  getSite: subject<InspectionSiteRequest, InspectionSiteView>('assessment.inspection.getSite'),
  saveSite: subject<SaveInspectionSiteRequest, InspectionSiteView>('assessment.inspection.saveSite'),
  submitSite: subject<InspectionSiteRequest, InspectionSiteView>('assessment.inspection.submitSite'),
  reopenSite: subject<ReopenInspectionSiteRequest, InspectionSiteView>('assessment.inspection.reopenSite'),
};
