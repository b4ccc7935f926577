import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE, Page } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { ImportFormReport, ImportReport, ImportSummary } from '../review/import.contract';
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
  /** The upload lease the gateway held while the bytes streamed in; released with the job's creation. */
  @IsOptional() @IsUUID('4') leaseId?: string;
}

/**
 * The gateway asks before it reads an upload's body: a lease counts against the unit's
 * concurrent uploads, and reserves `reserveBytes` of its storage quota while it lasts.
 */
export class BeginUploadRequest extends ActorRequest {
  /** Bytes the file has at least (the request's length less the multipart envelope); 0 if unknown. */
  @IsInt() @Min(0) minBytes: number;
  /** Bytes the file can have at most (the request's length, or the upload limit if unknown). */
  @IsInt() @Min(0) reserveBytes: number;
}

export interface UploadLease {
  leaseId: string;
  /** How many bytes the unit may still store, this upload included. */
  remainingBytes: number;
  /** The unit's quota, for the message of a refusal once the bytes have streamed in. */
  quotaBytes: number;
  /** The lease runs out unless renewed within this time (the gateway renews it every third). */
  leaseMs: number;
}

export class UploadLeaseRequest extends ActorRequest {
  @IsUUID('4') leaseId: string;
}

/** How long an upload lease lasts without renewal: a gateway that died frees its unit's slot by then. */
export const UPLOAD_LEASE_MS = 60_000;
/** The message of UPLOAD_QUOTA_EXCEEDED (intake before and after the upload, the gateway while it streams). */
export function uploadQuotaMessage(quotaBytes: number, usedBytes: number): string {
  return (
    `超出本单位的上传存储配额（配额 ${formatBytes(quotaBytes)}，已用 ${formatBytes(usedBytes)}），文件未保存。` +
    '预检和被拒绝的文件在保留期满后自动删除，届时可再上传；如需更多空间请联系技术支持'
  );
}

/** 1 GiB, 99.5 MiB, 512 B. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Retry-After of a refusal for too many concurrent uploads, seconds. */
export const UPLOAD_RETRY_AFTER_SECONDS = 30;

export class GetImportRequest extends ActorRequest {
  @IsUUID('4') id: string;
}

/** Rows of a job's report per page at most: a page stays far below the bus's 1 MB whatever the forms hold. */
export const IMPORT_REPORT_PAGE_MAX = 100;

/** One page of a job's report (rejected forms first, then those with warnings, then the rest). */
export class ImportReportPageRequest extends ActorRequest {
  @IsUUID('4') id: string;
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(IMPORT_REPORT_PAGE_MAX) pageSize: number;
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
  summary?: ImportSummary;
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
  /** The unit already has as many uploads in progress as it may (429, with Retry-After). */
  UPLOAD_LIMIT_REACHED: 'UPLOAD_LIMIT_REACHED',
  /** The upload would take the unit's stored uploads past its quota (413); nothing is stored. */
  UPLOAD_QUOTA_EXCEEDED: 'UPLOAD_QUOTA_EXCEEDED',
} as const;

export const IntakeSubjects = {
  start: subject<StartImportRequest, { jobId: string }>('intake.import.start'),
  get: subject<GetImportRequest, ImportJobView>('intake.import.get'),
  list: subject<ListImportsRequest, Page<ImportJobView>>('intake.import.list'),
  packageOf: subject<GetImportRequest, ImportPackageLocation>('intake.import.package'),
  report: subject<ImportReportPageRequest, Page<ImportFormReport>>('intake.import.report'),
  beginUpload: subject<BeginUploadRequest, UploadLease>('intake.upload.begin'),
  renewUpload: subject<UploadLeaseRequest, { renewed: boolean }>('intake.upload.renew'),
  endUpload: subject<UploadLeaseRequest, { ended: boolean }>('intake.upload.end'),
};
