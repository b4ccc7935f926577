import { Type } from 'class-transformer';
import { IsDateTimeInRange } from '../common/date-time';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Actor } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';
import { RECORD_STATUSES, RecordStatus } from '@app/workflow';
import {
  LIFECYCLE_STATES,
  LifecycleState,
  RECORD_SCOPES,
  RecordScope,
  REQUEST_KINDS,
  RequestKind,
} from './record.contract';

/** The records list's filters, as the export takes them (the list's, without paging). */
export class RecordExportFilters {
  @IsOptional()
  @IsIn(RECORD_STATUSES, { message: 'status 应为 DRAFT、PENDING、APPROVED 或 RETURNED' })
  status?: RecordStatus;

  @IsOptional()
  @IsString()
  @MaxLength(100, { message: '搜索词不超过100个字' })
  q?: string;

  @IsOptional() @IsIn(LIFECYCLE_STATES) lifecycle?: LifecycleState;
  /** A request kind, or NONE: records without a request. */
  @IsOptional() @IsIn([...REQUEST_KINDS, 'NONE']) requestKind?: RequestKind | 'NONE';
  /** Region: only records owned within this unit's subtree (a unit within the caller's; subtree scope only). */
  @IsOptional() @IsUUID('4', { message: '单位编号格式有误' }) orgUnitId?: string;

  @IsIn(RECORD_SCOPES, { message: 'scope 应为 held（待本单位处理）或 subtree（本单位及下级的全部记录）' })
  scope: RecordScope;
}

/** The audit log's filters, as its list and export take them (identity's search fields). */
export class AuditExportFilters {
  @IsOptional() @IsString() @MaxLength(64) actorUsername?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  actions?: string[];
  @IsOptional() @IsDateTimeInRange('from') from?: string;
  @IsOptional() @IsDateTimeInRange('to') to?: string;
}

/** Where an export's workbook goes: an object key in the files bucket (never the bytes on the bus). */
export const EXPORT_OBJECT_KEY_PATTERN = /^exports\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.xlsx$/;

/**
 * A records export written for a user now (`GET /forms/export`): review refuses it with
 * EXPORT_TOO_LARGE when more than `maxRows` records match, else writes the workbook to `key`.
 */
export class ExportRecordsRequest extends ActorRequest {
  @IsDefined() @ValidateNested() @Type(() => RecordExportFilters) filters: RecordExportFilters;
  @IsString() @Matches(EXPORT_OBJECT_KEY_PATTERN) key: string;
  @IsInt() @Min(0) maxRows: number;
}

/**
 * Internal (files' export worker): write the records export of job `jobId` for `requester`
 * to `key`, whatever its size. Carried as a field, not as the request's actor: the job runs
 * after the user's request (and its signed assertion) is long gone; only files publishes it.
 */
export class WriteRecordsExportRequest {
  @IsUUID('4') jobId: string;
  @IsDefined() @ValidateNested() @Type(() => Actor) requester: Actor;
  @IsDefined() @ValidateNested() @Type(() => RecordExportFilters) filters: RecordExportFilters;
  @IsString() @Matches(EXPORT_OBJECT_KEY_PATTERN) key: string;
}

/**
 * Internal (files' export worker): write the audit log export of job `jobId` for `requester`
 * (an auditor) to `key`. Identity checks the requester is an auditor.
 */
export class WriteAuditExportRequest {
  @IsUUID('4') jobId: string;
  @IsDefined() @ValidateNested() @Type(() => Actor) requester: Actor;
  @IsDefined() @ValidateNested() @Type(() => AuditExportFilters) filters: AuditExportFilters;
  @IsString() @Matches(EXPORT_OBJECT_KEY_PATTERN) key: string;
}

/** A workbook written: its rows (websites) and size in bytes. */
export interface ExportWritten {
  rows: number;
  columns: number;
  size: number;
}

export const ExportErrorCodes = {
  /** More rows than a direct download takes (409): use 后台导出 (POST /exports). */
  EXPORT_TOO_LARGE: 'EXPORT_TOO_LARGE',
  /** No such export job, or another unit's (404). */
  EXPORT_NOT_FOUND: 'EXPORT_NOT_FOUND',
} as const;

/** A records workbook takes at most this long to write (the root's whole tree, ten times over). */
export const EXPORT_WRITE_TIMEOUT_MS = 30 * 60_000;

export const ExportSubjects = {
  records: subject<ExportRecordsRequest, ExportWritten>('review.export.records'),
  recordsJob: subject<WriteRecordsExportRequest, ExportWritten>('review.export.recordsJob'),
  auditJob: subject<WriteAuditExportRequest, ExportWritten>('identity.audit.exportJob'),
};
