import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Actor } from '../common/actor';
import { subject } from '../subject';

/** Who imports: the importing unit with its chain of units from the root (ids). */
export class Importer {
  @IsDefined()
  @ValidateNested()
  @Type(() => Actor)
  actor: Actor;

  @IsUUID('4')
  orgUnitId: string;

  @IsString()
  @MaxLength(16)
  code: string;

  /** The unit's ancestors and itself, root first. */
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('4', { each: true })
  chain: string[];

  /** 地区/部门: the names from level 1 down to the unit, e.g. 河北省 秦皇岛市. */
  @IsString()
  @MaxLength(200)
  regionName: string;
}

/**
 * Where a job's bulk data lives: never on the bus (a message's size must not depend on the
 * package's). Intake stages the read and validated forms in `IMPORT_STAGE_TABLE` (one row each,
 * keyed by job id), review's commit reads them from there set-based and deletes them in its own
 * transaction, and writes the report's rows into `IMPORT_REPORT_TABLE`, which intake serves a
 * page at a time. The two tables belong to intake (its migration creates them).
 */
export const IMPORT_STAGE_TABLE = 'intake.import_stage';
export const IMPORT_REPORT_TABLE = 'intake.import_report_form';

export interface ImportFieldError {
  field: string;
  label?: string;
  message: string;
  /** From an Excel template: where the problem is, as the clerk sees it in Excel. */
  sheet?: string;
  /** 1-based Excel row number. */
  row?: number;
  /** Column letter (A, B, …), '' for the whole row. */
  column?: string;
  /** The column's header text, '' for the whole row. */
  header?: string;
}

/** A form that never reached review: unreadable or invalid in the package. */
export class InvalidImportForm {
  @IsOptional() @IsString() @MaxLength(64) formId: string | null;
  @IsString() @MaxLength(200) siteName: string;
  @IsArray() errors: ImportFieldError[];
}

/** Commit (or, with dryRun, evaluate) the forms staged under `jobId`: a reference, not the data. */
export class CommitImportRequest {
  @IsUUID('4') jobId: string;
  @ValidateNested() @Type(() => Importer) importer: Importer;
  @IsBoolean() dryRun: boolean;
  /** How many rows intake staged for the job (valid and invalid forms): review checks they are all there. */
  @IsInt() @Min(0) staged: number;
  @IsOptional() @IsString() @MaxLength(300) packageKey: string | null;
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ImportFormReport {
  formId: string | null;
  siteName: string;
  outcome: ImportOutcome;
  errors: ImportFieldError[];
  warnings: string[];
}

/** What an import did or would do, in counts: the commit's whole answer, whatever the package's size. */
export interface ImportSummary {
  /** False for a dry run, and whenever a form was refused (all or nothing). */
  applied: boolean;
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * The report as a job shows it: the counts, and the first page of the forms' rows (rejected
 * forms first, then those with warnings, then the rest in package order); `formsTotal` says how
 * many there are, the rest are read a page at a time (GET /imports/{jobId}/report).
 */
export interface ImportReport extends ImportSummary {
  forms: ImportFormReport[];
  formsTotal: number;
}

export class CommitStateRequest {
  @IsUUID('4') jobId: string;
}

/**
 * Where a job's commit stands in review: `committed` (with the stored counts), `running` (a
 * commit of the job is in progress now) or `none` (neither). Intake asks while it waits for a
 * commit's answer, so a lost answer is noticed in seconds.
 */
export interface CommitState {
  state: 'committed' | 'running' | 'none';
  summary?: ImportSummary;
}

export const ImportSubjects = {
  commit: subject<CommitImportRequest, ImportSummary>('review.import.commit'),
  commitState: subject<CommitStateRequest, CommitState>('review.import.commitState'),
};

export const ImportErrorCodes = {
  /** Review was asked to commit a job whose staged rows are not all there: intake retries later (503). */
  IMPORT_INCOMPLETE: 'IMPORT_INCOMPLETE',
} as const;
