// The shapes of the 自查评分 API as the console reads them (GET/PUT /sites/:siteCode/self-assessment).
// The same as libs/contracts/src/assessment/assessment.contract.ts, written out here because that
// file also holds the bus's decorated request classes, which the browser build does not compile.

export type DeductionKind = 'perCount' | 'perStep' | 'flag';
export type DeductionRule =
  | { kind: 'perCount'; points: number; unit: string; text: string }
  | { kind: 'perStep'; points: number; step: number; unit: string; text: string }
  | { kind: 'flag'; points: number; text: string };

export interface SheetVeto {
  key: string;
  name: string;
  rule: string;
}

export interface SheetItem {
  key: string;
  name: string;
  rule: string;
  maxPoints: number;
  deduction: DeductionRule;
}

export interface ScoreSheet {
  id: string;
  version: string;
  title: string;
  source: string;
  totalPoints: number;
  passScore: number;
  vetoes: SheetVeto[];
  groups: Array<{ key: string; name: string; items: SheetItem[] }>;
}

export interface AssessmentResult {
  sheetId: string;
  sheetVersion: string;
  verdict: 'PASS' | 'FAIL';
  verdictLabel: string;
  /** Null when a veto decided (the items are not scored then). */
  score: number | null;
  vetoes: Array<{ key: string; name: string }>;
  deductions: Array<{
    key: string;
    name: string;
    group: string;
    value: number | boolean;
    maxPoints: number;
    deducted: number;
  }>;
}

export interface AnswerEntry<V = number | boolean> {
  value: V;
  note?: string | null;
  evidenceUrl?: string | null;
}

/** A file uploaded as evidence for one veto or item (评分证据); downloaded at GET /evidence/:id. */
export interface EvidenceFile {
  id: string;
  key: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  uploadedBy: string;
}

/** A sheet's evidence files by veto or item key. */
export type EvidenceByKey = Record<string, EvidenceFile[]>;

export interface SelfAssessmentView {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  status: 'NOT_STARTED' | 'DRAFT' | 'SUBMITTED';
  statusLabel: string;
  sheet: ScoreSheet;
  answers: { vetoes: Record<string, AnswerEntry<boolean>>; items: Record<string, AnswerEntry> };
  result: AssessmentResult | null;
  submittedAt: string | null;
  updatedAt: string | null;
  evidence: EvidenceByKey;
}

/** A veto or deduction monitoring proposes, with its evidence (GET /sites/:siteCode/monitoring). */
export interface MonitoringProposal {
  key: string;
  name: string;
  kind: 'veto' | 'deduction';
  value: number | boolean;
  text: string;
  evidence: Record<string, unknown>;
}

/** What monitoring proposes for a site over a recent range (beside an inspection's sheet). */
export interface MonitoringSummary {
  monitored: boolean;
  from: string;
  to: string;
  daysWithProbes: number;
  proposals: MonitoringProposal[];
}
