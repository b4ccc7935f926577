import { IsBoolean, IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Page, MAX_PAGE } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { ImportReport } from '../review/import.contract';
import { subject } from '../subject';

export type ImportJobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
export type PackageKind = 'zip' | 'xlsx';

export class StartImportRequest extends ActorRequest {
  /** Where the gateway stored the upload (bucket `<prefix>-packages`). */
  @IsString() @MaxLength(300) objectKey: string;
  @IsString() @MaxLength(255) fileName: string;
  @IsInt() @Min(0) size: number;
  @IsIn(['zip', 'xlsx']) kind: PackageKind;
  @IsBoolean() dryRun: boolean;
}

export class GetImportRequest extends ActorRequest {
  @IsUUID('4') id: string;
}

export class ListImportsRequest extends ActorRequest {
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(200) pageSize: number;
}

export interface ImportJobView {
  id: string;
  status: ImportJobStatus;
  dryRun: boolean;
  fileName: string;
  createdAt: string;
  finishedAt: string | null;
  progress: { done: number; total: number };
  report: ImportReport | null;
  error?: { code: string; message: string; details?: unknown };
  /** The report's counts without its forms (also in the list, which leaves `report` null). */
  summary?: Omit<ImportReport, 'forms'>;
  /** Set while the job waits for an automatic retry after a failed attempt. */
  retry?: { attempts: number; nextAttemptAt: string };
}

/** Where a job's original package is kept (for its unit to download, for audit). */
export interface ImportPackageLocation {
  fileName: string;
  objectKey: string;
  size: number;
  kind: PackageKind;
}

export const IntakeErrorCodes = {
  IMPORT_NOT_FOUND: 'IMPORT_NOT_FOUND',
  UNSUPPORTED_FILE: 'UNSUPPORTED_FILE',
  /**
   * A job that kept failing for reasons other than its package (a service down, the bus
   * broken) gave up after its last retry. It is the job's `error.code` (GET answers 200).
   */
  IMPORT_FAILED: 'IMPORT_FAILED',
} as const;

export const IntakeSubjects = {
  start: subject<StartImportRequest, { jobId: string }>('intake.import.start'),
  get: subject<GetImportRequest, ImportJobView>('intake.import.get'),
  list: subject<ListImportsRequest, Page<ImportJobView>>('intake.import.list'),
  packageOf: subject<GetImportRequest, ImportPackageLocation>('intake.import.package'),
};
