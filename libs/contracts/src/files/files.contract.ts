import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Page, MAX_PAGE } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';
import { AuditExportFilters, RecordExportFilters } from '../review/export.contract';

/** 文件中心 folders. 我的协作组 holds the account workbook of the unit's children. */
export const FOLDERS = { collaboration: '我的协作组', exports: '导出' } as const;

/** What a background export (后台导出) writes: the records list (units) or the audit log (auditors). */
export const EXPORT_KINDS = ['records', 'audit'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_STATUSES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export const EXPORT_STATUS_LABELS: Readonly<Record<ExportStatus, string>> = {
  QUEUED: '排队中',
  RUNNING: '正在导出',
  DONE: '已完成',
  FAILED: '失败',
};

/** A background export as its requester sees it. */
export interface ExportJobView {
  id: string;
  kind: ExportKind;
  status: ExportStatus;
  statusLabel: string;
  filters: RecordExportFilters | AuditExportFilters;
  /** Rows written (websites, or audit entries; when done). */
  rows: number | null;
  /** The file once done: in 文件中心 (folder 导出) of the unit; an auditor's via GET /exports/:id/download. */
  fileId: string | null;
  fileName: string | null;
  folder: string;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export class CreateExportRequest extends ActorRequest {
  @IsIn(EXPORT_KINDS, { message: 'kind 应为 records（报送记录）或 audit（审计日志）' })
  kind: ExportKind;

  /** kind records. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordExportFilters)
  filters?: RecordExportFilters;

  /** kind audit. */
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditExportFilters)
  auditFilters?: AuditExportFilters;
}

export class GetExportRequest extends ActorRequest {
  @IsUUID('4', { message: '导出任务编号格式有误' })
  id: string;
}

export interface FileView {
  id: string;
  name: string;
  folder: string;
  size: number;
  createdAt: string;
}

export interface FileDownload {
  name: string;
  contentType: string;
  size: number;
  /** A short-lived URL of the object, for the gateway to stream from. */
  url: string;
}

/** Internal: rebuild the account workbooks of these parents (their children changed). */
export class RefreshWorkbooksRequest {
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('4', { each: true })
  parentOrgUnitIds: string[];
}

export class ListFilesRequest extends ActorRequest {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  folder?: string;

  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number;

  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number;
}

export class DownloadFileRequest extends ActorRequest {
  @IsUUID('4', { message: '文件编号格式有误' })
  id: string;
}

export const FilesErrorCodes = {
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
} as const;

export const FilesSubjects = {
  refreshWorkbooks: subject<RefreshWorkbooksRequest, { queued: number }>('files.workbooks.refresh'),
  list: subject<ListFilesRequest, Page<FileView>>('files.file.list'),
  download: subject<DownloadFileRequest, FileDownload>('files.file.download'),
  createExport: subject<CreateExportRequest, ExportJobView>('files.export.create'),
  getExport: subject<GetExportRequest, ExportJobView>('files.export.get'),
  downloadExport: subject<GetExportRequest, FileDownload>('files.export.download'),
};
