import { IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';
import type { EvidenceByKey } from './evidence.contract';

/** 网站标识码: 10 characters (unit code + 4-digit sequence), e.g. 1100000088, bm01000001, 11BM010009. */
export const SITE_CODE_PATTERN = /^[0-9A-Za-z]{6}\d{4}$/;
/** 校验码: 6 letters or digits (case is not significant when typed). */
export const CHECK_CODE_PATTERN = /^[0-9A-Za-z]{6}$/;

/** How an item's answer turns into points deducted (always capped at the item's maxPoints). */
export type DeductionRule =
  /** The answer counts problems (a whole number ≥ 0); each costs `points`. */
  | { kind: 'perCount'; points: number; unit: string; text: string }
  /** The answer is a measure ≥ 0 (e.g. a percentage); each whole `step` of it costs `points`. */
  | { kind: 'perStep'; points: number; step: number; unit: string; text: string }
  /** The answer is yes/no (the problem is present); yes costs `points`. */
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

export interface SheetGroup {
  key: string;
  name: string;
  items: SheetItem[];
}

/** A score sheet version: data, not code (apps/assessment/src/sheets/*.json, docs/ASSESSMENT.md). */
export interface ScoreSheet {
  id: string;
  version: string;
  title: string;
  source: string;
  totalPoints: number;
  passScore: number;
  vetoes: SheetVeto[];
  groups: SheetGroup[];
}

/** The answers the engine scores: each veto yes/no, each item its value (count, measure or yes/no). */
export interface SheetAnswers {
  vetoes: Record<string, boolean>;
  items: Record<string, number | boolean>;
}

export const VERDICTS = ['PASS', 'FAIL'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = { PASS: '合格', FAIL: '不合格' };

export interface ItemDeduction {
  key: string;
  name: string;
  group: string;
  value: number | boolean;
  maxPoints: number;
  deducted: number;
}

/** What the engine computes from a sheet and answers; stored with the sheet version it used. */
export interface AssessmentResult {
  sheetId: string;
  sheetVersion: string;
  verdict: Verdict;
  verdictLabel: string;
  /** Null when a veto decided (the items are not scored then). */
  score: number | null;
  vetoes: Array<{ key: string; name: string }>;
  deductions: ItemDeduction[];
}

export const SELF_ASSESSMENT_STATUSES = ['NOT_STARTED', 'DRAFT', 'SUBMITTED'] as const;
export type SelfAssessmentStatus = (typeof SELF_ASSESSMENT_STATUSES)[number];
export const SELF_ASSESSMENT_STATUS_LABELS: Readonly<Record<SelfAssessmentStatus, string>> = {
  NOT_STARTED: '未填写',
  DRAFT: '填写中',
  SUBMITTED: '已提交',
};

export const AssessmentErrorCodes = {
  /** An answer names a veto or item the score sheet does not have. */
  ASSESSMENT_UNKNOWN_ITEM: 'ASSESSMENT_UNKNOWN_ITEM',
  /** An answer of the wrong kind (a count that is not a whole number ≥ 0, yes/no expected…). */
  ASSESSMENT_INVALID_ANSWER: 'ASSESSMENT_INVALID_ANSWER',
  /** Submitting with a veto or an item not yet answered. */
  ASSESSMENT_INCOMPLETE: 'ASSESSMENT_INCOMPLETE',
  /** Changing or submitting a self-assessment already submitted. */
  ASSESSMENT_ALREADY_SUBMITTED: 'ASSESSMENT_ALREADY_SUBMITTED',
  /** Reopening a self-assessment that is not submitted. */
  ASSESSMENT_NOT_SUBMITTED: 'ASSESSMENT_NOT_SUBMITTED',
  /** No site with this 标识码 (or none the caller may see). */
  SITE_NOT_FOUND: 'SITE_NOT_FOUND',
  /** 标识码 or 校验码 wrong (one message for both). */
  INVALID_SITE_CREDENTIALS: 'INVALID_SITE_CREDENTIALS',
  /** The right codes of a site that is 已关停 or 已注销: it does not take part in scoring (403). */
  SITE_NOT_ACTIVE: 'SITE_NOT_ACTIVE',
  /** No inspection with this id (or none the caller's unit made or is above). */
  INSPECTION_NOT_FOUND: 'INSPECTION_NOT_FOUND',
  /** Scoring, reopening or closing an inspection already closed (409). */
  INSPECTION_CLOSED: 'INSPECTION_CLOSED',
  /** The unit's subtree has no running coded site to sample (422). */
  INSPECTION_NO_SITES: 'INSPECTION_NO_SITES',
  /** 立即探测 of a site that is not in the monitoring registry (not running, or not yet synced) (409). */
  SITE_NOT_MONITORED: 'SITE_NOT_MONITORED',
  /** No evidence file with this id (or none the caller may see) (404). */
  EVIDENCE_NOT_FOUND: 'EVIDENCE_NOT_FOUND',
  /** A file of a kind not taken as evidence (415). */
  EVIDENCE_TYPE_NOT_ALLOWED: 'EVIDENCE_TYPE_NOT_ALLOWED',
  /** An item or a sheet already has as many evidence files as it may keep (409). */
  EVIDENCE_LIMIT_REACHED: 'EVIDENCE_LIMIT_REACHED',
} as const;

/** One answer as the site gives it: the value the engine scores, a note, a link to evidence. */
export interface AnswerEntry<V = number | boolean> {
  value: V;
  note?: string | null;
  evidenceUrl?: string | null;
}

/** Answers as stored and shown: each veto and item by its key. */
export interface SelfAssessmentAnswers {
  vetoes: Record<string, AnswerEntry<boolean>>;
  items: Record<string, AnswerEntry>;
}

export interface SelfAssessmentView {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  status: SelfAssessmentStatus;
  statusLabel: string;
  /** The sheet the answers are given on: the current one, or the one a submitted result used. */
  sheet: ScoreSheet;
  answers: SelfAssessmentAnswers;
  result: AssessmentResult | null;
  submittedAt: string | null;
  updatedAt: string | null;
  /** The uploaded evidence files, by veto or item key. */
  evidence: EvidenceByKey;
}

export class SiteRequest extends ActorRequest {
  @Matches(SITE_CODE_PATTERN, { message: '网站标识码应为10位字母或数字' })
  siteCode: string;
}

/**
 * Saves answers (a draft): the entries given replace those of the same key, the others stay.
 * Each entry is checked against the current sheet (unknown keys and wrong kinds refused).
 */
export class SaveSelfAssessmentRequest extends SiteRequest {
  @IsOptional()
  @IsObject()
  vetoes?: Record<string, AnswerEntry<boolean>>;

  @IsOptional()
  @IsObject()
  items?: Record<string, AnswerEntry>;
}

/** Reopens a submitted self-assessment for the site to correct (the owner unit or above). */
export class ReopenSelfAssessmentRequest extends SiteRequest {
  @IsString({ message: '请填写退回原因' })
  @MaxLength(500, { message: '退回原因不能超过500字' })
  @Matches(/\S/, { message: '请填写退回原因' })
  reason: string;
}

export const AssessmentSubjects = {
  getSelf: subject<SiteRequest, SelfAssessmentView>('assessment.self.get'),
  saveSelf: subject<SaveSelfAssessmentRequest, SelfAssessmentView>('assessment.self.save'),
  submitSelf: subject<SiteRequest, SelfAssessmentView>('assessment.self.submit'),
  reopenSelf: subject<ReopenSelfAssessmentRequest, SelfAssessmentView>('assessment.self.reopen'),
};
