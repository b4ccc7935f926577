import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Page, MAX_PAGE } from '../common/actor';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';

/** 文件中心 folders. 我的协作组 holds the account workbook of the unit's children. */
export const FOLDERS = { collaboration: '我的协作组' } as const;

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
};
