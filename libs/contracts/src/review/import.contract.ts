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

/** Validated, normalised forms of one job, in chunks that stay well under NATS's 1 MB. */
export class StageImportRequest {
  @IsUUID('4') jobId: string;
  @IsInt() @Min(0) chunk: number;
  @IsArray() @ArrayMaxSize(5000) forms: Array<Record<string, unknown>>;
}

export interface ImportFieldError {
  field: string;
  label?: string;
  message: string;
}

/** A form that never reached review: unreadable or invalid in the package. */
export class InvalidImportForm {
  @IsOptional() @IsString() @MaxLength(64) formId: string | null;
  @IsString() @MaxLength(200) siteName: string;
  @IsArray() errors: ImportFieldError[];
}

export class CommitImportRequest {
  @IsUUID('4') jobId: string;
  @ValidateNested() @Type(() => Importer) importer: Importer;
  @IsBoolean() dryRun: boolean;
  @IsInt() @Min(0) chunks: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => InvalidImportForm) invalid: InvalidImportForm[];
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

export interface ImportReport {
  /** False for a dry run, and whenever a form was refused (all or nothing). */
  applied: boolean;
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  forms: ImportFormReport[];
}

export class CommitStateRequest {
  @IsUUID('4') jobId: string;
}

/**
 * Where a job's commit stands in review: `committed` (with the stored report; dry runs store
 * none), `running` (a commit of the job is in progress now) or `none` (neither). Intake asks
 * while it waits for a commit's answer, so a lost answer is noticed in seconds.
 */
export interface CommitState {
  state: 'committed' | 'running' | 'none';
  report?: ImportReport;
}

export const ImportSubjects = {
  stage: subject<StageImportRequest, { staged: number }>('review.import.stage'),
  commit: subject<CommitImportRequest, ImportReport>('review.import.commit'),
  commitState: subject<CommitStateRequest, CommitState>('review.import.commitState'),
};

export const ImportErrorCodes = {
  /** Review was asked to commit a job before all its chunks were staged: intake retries later (503). */
  IMPORT_INCOMPLETE: 'IMPORT_INCOMPLETE',
} as const;
