import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { MAX_PAGE, Page } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';

export const VERDICT_SOURCES = ['SELF', 'INSPECTION'] as const;
export type VerdictSource = (typeof VERDICT_SOURCES)[number];
export const VERDICT_SOURCE_LABELS: Readonly<Record<VerdictSource, string>> = {
  SELF: '自查',
  INSPECTION: '检查',
};

/** The verdict counts of one scope (a child unit's subtree, the unit's own sites, or the total). */
export interface AssessmentCounts {
  /** Coded (approved) sites in the scope, as review counts them. */
  sites: number;
  /** Sites with an official verdict. */
  assessed: number;
  pass: number;
  fail: number;
  /** 不合格 by 单项否决: veto key → sites (a site with two vetoes counts under both). */
  byVeto: Record<string, number>;
  bySource: Record<VerdictSource, number>;
  /** The mean score of the scored verdicts (a veto gives no score), one decimal; null when none. */
  averageScore: number | null;
}

export interface AssessmentStatsRow extends AssessmentCounts {
  orgUnitId: string;
  code: string;
  name: string;
}

export interface AssessmentStatsTable {
  unit: { orgUnitId: string; code: string; name: string };
  /** The unit and its ancestors, root first, as far up as the caller may see. */
  path: Array<{ orgUnitId: string; name: string }>;
  /** The vetoes of the current sheet, in its order (the columns of `byVeto`). */
  vetoes: Array<{ key: string; name: string }>;
  children: AssessmentStatsRow[];
  /** The sites the unit owns itself (本级). */
  own: AssessmentCounts;
  total: AssessmentCounts;
}

export class AssessmentStatsRequest extends ActorRequest {
  /** Default: the caller's unit. */
  @IsOptional() @IsUUID('4', { message: '单位编号格式有误' }) orgUnitId?: string;
}

/** The gateway wrote a 评分统计 export: assessment records it in the audit log. */
export class AssessmentStatsExportedRequest extends AssessmentStatsRequest {
  @IsInt() @Min(0) rows: number;
  @IsInt() @Min(0) failures: number;
}

export class AssessmentFailuresRequest extends AssessmentStatsRequest {
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(500) pageSize: number;
}

/** A 不合格 site with why: its vetoes, score, where the verdict came from and the evidence given. */
export interface AssessmentFailure {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  source: VerdictSource;
  sourceLabel: string;
  inspectionId: string | null;
  score: number | null;
  vetoes: Array<{ key: string; name: string }>;
  /** The answers behind the verdict that carry a note or an evidence link: vetoes answered yes, items with a deduction. */
  evidence: Array<{ key: string; name: string; note: string | null; evidenceUrl: string | null }>;
  sheetVersion: string;
  decidedAt: string;
}

export type AssessmentFailuresPage = Page<AssessmentFailure>;

export const AssessmentStatsSubjects = {
  stats: subject<AssessmentStatsRequest, AssessmentStatsTable>('assessment.stats.units'),
  failures: subject<AssessmentFailuresRequest, AssessmentFailuresPage>('assessment.stats.failures'),
  exported: subject<AssessmentStatsExportedRequest, { recorded: true }>('assessment.stats.exported'),
};
