// The shapes the assessment screens read: the gateway's answers as libs/contracts declares them
// (restated here: the contract files carry class-validator decorators the console does not build).

import type {
  AnswerEntry,
  AssessmentResult,
  EvidenceByKey,
  MonitoringSummary,
  ScoreSheet,
} from '../../assessment-types';

export type {
  AnswerEntry,
  AssessmentResult,
  EvidenceByKey,
  EvidenceFile,
  MonitoringProposal,
  MonitoringSummary,
  ScoreSheet,
  SheetItem,
  SheetVeto,
} from '../../assessment-types';

export interface SelfAssessmentAnswers {
  vetoes: Record<string, AnswerEntry<boolean>>;
  items: Record<string, AnswerEntry>;
}

type Status = 'NOT_STARTED' | 'DRAFT' | 'SUBMITTED';

export interface InspectionSummary {
  id: string;
  name: string;
  orgUnitId: string;
  orgUnitName: string;
  inspectingUnitId: string;
  inspectingUnitName: string;
  status: 'OPEN' | 'CLOSED';
  statusLabel: string;
  sample: {
    mode: 'all' | 'percent' | 'count';
    modeLabel: string;
    value: number | null;
    seed: string;
    population: number;
  };
  progress: { sampled: number; notStarted: number; draft: number; submitted: number; pass: number; fail: number };
  createdBy: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface InspectionDetail extends InspectionSummary {
  sites: Array<{
    siteCode: string;
    siteName: string;
    status: Status;
    statusLabel: string;
    verdict: 'PASS' | 'FAIL' | null;
    verdictLabel: string | null;
    score: number | null;
    submittedAt: string | null;
  }>;
}

export interface InspectionSiteView {
  inspectionId: string;
  inspectionName: string;
  inspectionStatus: 'OPEN' | 'CLOSED';
  siteCode: string;
  siteName: string;
  status: Status;
  statusLabel: string;
  sheet: ScoreSheet;
  answers: SelfAssessmentAnswers;
  result: AssessmentResult | null;
  submittedAt: string | null;
  updatedAt: string | null;
  selfAssessment: {
    status: Status;
    statusLabel: string;
    answers: SelfAssessmentAnswers;
    result: AssessmentResult | null;
    submittedAt: string | null;
    evidence: EvidenceByKey;
  } | null;
  /** Monitoring's proposals of the last two weeks, for the inspectors to confirm. */
  monitoring: MonitoringSummary;
  /** The inspectors' evidence files. */
  evidence: EvidenceByKey;
}

export interface AssessmentCounts {
  sites: number;
  assessed: number;
  pass: number;
  fail: number;
  byVeto: Record<string, number>;
  bySource: { SELF: number; INSPECTION: number };
  averageScore: number | null;
}

export interface AssessmentStatsTable {
  unit: { orgUnitId: string; code: string; name: string };
  path: Array<{ orgUnitId: string; name: string }>;
  vetoes: Array<{ key: string; name: string }>;
  children: Array<AssessmentCounts & { orgUnitId: string; code: string; name: string }>;
  own: AssessmentCounts;
  total: AssessmentCounts;
}

export interface AssessmentFailure {
  siteCode: string;
  siteName: string;
  source: 'SELF' | 'INSPECTION';
  sourceLabel: string;
  score: number | null;
  vetoes: Array<{ key: string; name: string }>;
  evidence: Array<{ key: string; name: string; note: string | null; evidenceUrl: string | null }>;
  decidedAt: string;
}

/** 合格率 of the assessed sites ("—" when none was assessed). */
export function passRate(counts: Pick<AssessmentCounts, 'assessed' | 'pass'>): string {
  return counts.assessed === 0 ? '—' : `${((counts.pass * 100) / counts.assessed).toFixed(1)}%`;
}
