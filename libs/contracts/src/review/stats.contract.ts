import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import { RecordStatus } from '@app/workflow';
import { ActorRequest, OrgUnitKind } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';
import { LifecycleState } from './record.contract';

/** Where a site is in its life after approval (the lifecycle contract's names, kept for the stats code). */
export { LIFECYCLE_STATES as RECORD_LIFECYCLES, LIFECYCLE_LABELS as RECORD_LIFECYCLE_LABELS } from './record.contract';
export type RecordLifecycle = LifecycleState;

/** The counts of one row of the statistics table. */
export interface UnitCounts {
  /** Records (websites) in the row's scope, whatever their status. */
  websites: number;
  byStatus: Record<RecordStatus, number>;
  byLifecycle: Record<RecordLifecycle, number>;
  /** When a record in the scope last changed (ISO), null when none ever did. */
  lastActivityAt: string | null;
}

/**
 * One row: a direct child of the unit asked for (its whole subtree), the unit's own records
 * (`kind: 'own'`), or the total (the unit's whole subtree). `reported`: at least one record
 * beyond 未提交 in the scope, or the unit declared 零报送.
 */
export interface UnitStatsRow extends UnitCounts {
  orgUnitId: string;
  code: string;
  name: string;
  unitKind: OrgUnitKind;
  childCount: number;
  zeroReport: boolean;
  reported: boolean;
}

export interface UnitStatsTable {
  unit: UnitStatsRow;
  /** The unit and its ancestors, root first, as far up as the caller may see (the breadcrumb). */
  path: Array<{ orgUnitId: string; name: string }>;
  /** The unit's own records (本级), beside its children. */
  own: UnitCounts;
  children: UnitStatsRow[];
  total: UnitCounts;
  /** Whether the caller's unit may declare 零报送 here: its own unit, owning no record. */
  canDeclareZeroReport: boolean;
}

export class UnitStatsRequest extends ActorRequest {
  /** Default: the caller's unit. */
  @IsOptional() @IsUUID('4', { message: '单位编号格式有误' }) orgUnitId?: string;
}

export class ZeroReportRequest extends ActorRequest {
  @IsUUID('4', { message: '单位编号格式有误' }) orgUnitId: string;
}

export interface ZeroReportState {
  orgUnitId: string;
  zeroReport: boolean;
  declaredAt: string | null;
}

/** The most units one 催报 may name. */
export const REMINDER_MAX_UNITS = 500;

export class SendRemindersRequest extends ActorRequest {
  @IsArray({ message: '请选择要催报的单位' })
  @ArrayMinSize(1, { message: '请选择要催报的单位' })
  @ArrayMaxSize(REMINDER_MAX_UNITS, { message: `一次最多催报${REMINDER_MAX_UNITS}个单位` })
  @IsUUID('4', { each: true, message: '单位编号格式有误' })
  orgUnitIds: string[];
}

export const REMINDER_SKIP_REASONS = ['NOT_FOUND', 'OUTSIDE_SUBTREE', 'REPORTED', 'ALREADY_REMINDED'] as const;
export type ReminderSkipReason = (typeof REMINDER_SKIP_REASONS)[number];
export const REMINDER_SKIP_LABELS: Readonly<Record<ReminderSkipReason, string>> = {
  NOT_FOUND: '单位不存在',
  OUTSIDE_SUBTREE: '不是本单位的下级单位',
  REPORTED: '已报送，且没有待其处理的记录',
  ALREADY_REMINDED: '今天已催报过',
};

export interface ReminderSent {
  orgUnitId: string;
  name: string;
  /** False when the unit has no contact email: the in-app notice alone was left. */
  mailed: boolean;
}

export interface ReminderSkipped {
  orgUnitId: string;
  name: string | null;
  reason: ReminderSkipReason;
  message: string;
}

export interface RemindersResult {
  sent: ReminderSent[];
  skipped: ReminderSkipped[];
}

export const StatsErrorCodes = {
  /** 零报送 refused: the unit owns at least one record (409). */
  ZERO_REPORT_HAS_RECORDS: 'ZERO_REPORT_HAS_RECORDS',
  /** Withdrawing a 零报送 that is not declared (409). */
  ZERO_REPORT_NOT_DECLARED: 'ZERO_REPORT_NOT_DECLARED',
} as const;

export const StatsSubjects = {
  units: subject<UnitStatsRequest, UnitStatsTable>('review.stats.units'),
  remind: subject<SendRemindersRequest, RemindersResult>('review.stats.remind'),
  declareZeroReport: subject<ZeroReportRequest, ZeroReportState>('review.zeroReport.declare'),
  withdrawZeroReport: subject<ZeroReportRequest, ZeroReportState>('review.zeroReport.withdraw'),
};
