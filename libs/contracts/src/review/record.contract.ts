import { NoControlCharacters } from '../common/text';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { Page, MAX_PAGE } from '../common/actor';
import { subject } from '../subject';
import { RECORD_STATUSES, RecordStatus } from '@app/workflow';

// The statuses belong to the workflow rules (@app/workflow); the API speaks them as they are.
export { RECORD_STATUSES, RECORD_STATUS_LABELS } from '@app/workflow';
export type { RecordStatus };

export type RecordAction = 'import' | 'reimport' | 'edit' | 'submit' | 'approve' | 'return' | 'delete';

export const RECORD_ACTION_LABELS: Readonly<Record<RecordAction, string>> = {
  import: '导入',
  reimport: '重新导入',
  edit: '修改',
  submit: '提交',
  approve: '审核',
  return: '退回',
  delete: '删除',
};

/** held: records waiting for the caller's unit; subtree: every record owned within its subtree. */
export const RECORD_SCOPES = ['held', 'subtree'] as const;
export type RecordScope = (typeof RECORD_SCOPES)[number];

export interface RecordListItem {
  id: string;
  siteName: string;
  homepageUrl: string;
  status: RecordStatus;
  statusLabel: string;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
  regionName: string;
  siteCode: string | null;
  updatedAt: string;
}

/** The workflow state of one record: what every action answers. Never carries the 校验码. */
export interface RecordState {
  id: string;
  status: RecordStatus;
  statusLabel: string;
  ownerOrgUnitId: string;
  holderOrgUnitId: string;
  siteCode: string | null;
}

/** GET /forms/:id: the current content version with the workflow state beside it. */
export type RecordDetail = Record<string, unknown> &
  RecordState & {
    regionCode: string;
    regionName: string;
    version: number;
    recordUpdatedAt: string;
  };

export interface RecordHistoryEntry {
  at: string;
  action: RecordAction;
  actionLabel: string;
  actorUsername: string | null;
  actorOrgUnitId: string | null;
  fromStatus: RecordStatus | null;
  toStatus: RecordStatus | null;
  fromStatusLabel: string | null;
  toStatusLabel: string | null;
  fromHolderOrgUnitId: string | null;
  toHolderOrgUnitId: string | null;
  reason: string | null;
}

/**
 * Where the next page of a record list starts: the `next` of the page before (opaque to
 * clients; the last row's update time in microseconds and its id).
 */
export const RECORD_CURSOR_PATTERN = /^\d{1,17}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const RECORD_CURSOR_MESSAGE = 'after 应为上一页返回的 next（翻页位置）';

/** A search counts its matches up to this many; past it the total is a lower bound (`totalExact: false`). */
export const RECORD_SEARCH_COUNT_LIMIT = 1000;

/**
 * A page of the record list. `total` is exact (`totalExact: true`) except for a search with
 * more than RECORD_SEARCH_COUNT_LIMIT matches, where it is that limit and `totalExact` is
 * false ("more than 1,000"). `next` continues the list after this page (keyset paging), null
 * on the last page.
 */
export interface RecordPage extends Page<RecordListItem> {
  totalExact: boolean;
  next: string | null;
}

export class ListRecordsRequest extends ActorRequest {
  @IsOptional() @IsIn(RECORD_STATUSES) status?: RecordStatus;
  @IsOptional() @IsString() @MaxLength(100) q?: string;
  @IsIn(RECORD_SCOPES) scope: RecordScope;
  /** Ignored when `after` is given. */
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(200) pageSize: number;
  @IsOptional() @IsString() @Matches(RECORD_CURSOR_PATTERN, { message: RECORD_CURSOR_MESSAGE }) after?: string;
}

export class RecordRequest extends ActorRequest {
  @IsUUID('4', { message: '记录编号格式有误' }) id: string;
}

export class ReturnRecordRequest extends RecordRequest {
  @IsString()
  @MinLength(2, { message: '请填写退回理由（至少2个字）' })
  @MaxLength(500, { message: '退回理由不超过500个字' })
  @NoControlCharacters('退回理由', { multiline: true })
  reason: string;
}

/** The whole form as the offline client writes it; validated by the forms lib in review. */
export class UpdateRecordRequest extends RecordRequest {
  @IsObject() content: Record<string, unknown>;
}

export class BulkRecordRequest extends ActorRequest {}

/** 标识码找回 (public). `clientKey` identifies the caller for logs and audit only. */
/** 标识码找回 attempts per client (IP address) and window, across all gateway replicas; more answer 429 RATE_LIMITED. */
export const RECOVERY_LIMIT_PER_CLIENT = 5;
export const RECOVERY_CLIENT_WINDOW_MS = 10 * 60_000;

export class SiteCodeRecoveryRequest {
  @IsString() @MaxLength(200) siteName: string;
  @IsString() @MaxLength(500) homepageUrl: string;
  @IsString() @MaxLength(100) personName: string;
  @IsString() @MaxLength(200) email: string;
  @IsOptional() @IsString() @MaxLength(100) clientKey?: string;
}

/** Internal (identity's site login): does this 校验码 belong to this 标识码? Never answers the code. */
export class VerifyCheckCodeRequest {
  @Matches(/^[0-9A-Za-z]{6}\d{4}$/) siteCode: string;
  @Matches(/^[0-9A-Za-z]{6}$/) checkCode: string;
}

/** A coded (approved) site as other services need it: for whom it is, and who is above it. */
export interface SiteInfo {
  recordId: string;
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  /** The owner's unit and every unit above it, root first. */
  ownerChain: string[];
}

/** Internal (assessment): the site with this 标识码, or null when there is none. */
export class SiteLookupRequest {
  @Matches(/^[0-9A-Za-z]{6}\d{4}$/) siteCode: string;
}

export const SiteSubjects = {
  verifyCheckCode: subject<VerifyCheckCodeRequest, { site: SiteInfo | null }>('review.site.verifyCheckCode'),
  lookup: subject<SiteLookupRequest, { site: SiteInfo | null }>('review.site.lookup'),
};

export const RecordErrorCodes = {
  /** No such record, or not within the caller's subtree (existence is not disclosed). */
  RECORD_NOT_FOUND: 'RECORD_NOT_FOUND',
  /** The record is not in a status that allows the action, or another unit holds it now (409). */
  RECORD_STATE_CONFLICT: 'RECORD_STATE_CONFLICT',
  /** The caller sees the record but is not its owner (edit, delete, submit: 403). */
  NOT_RECORD_OWNER: 'NOT_RECORD_OWNER',
  /** The edited content breaks the form rules (422, details lists every field). */
  RECORD_FORM_INVALID: 'RECORD_FORM_INVALID',
  /** The owner has used 9999 标识码 (409). */
  SITE_CODES_EXHAUSTED: 'SITE_CODES_EXHAUSTED',
} as const;

export const RecordSubjects = {
  list: subject<ListRecordsRequest, RecordPage>('review.record.list'),
  get: subject<RecordRequest, RecordDetail>('review.record.get'),
  history: subject<RecordRequest, RecordHistoryEntry[]>('review.record.history'),
  update: subject<UpdateRecordRequest, RecordDetail>('review.record.update'),
  remove: subject<RecordRequest, { deleted: true }>('review.record.delete'),
  submit: subject<RecordRequest, RecordState>('review.record.submit'),
  approve: subject<RecordRequest, RecordState>('review.record.approve'),
  return: subject<ReturnRecordRequest, RecordState>('review.record.return'),
  submitAll: subject<BulkRecordRequest, { submitted: number }>('review.record.submitAll'),
  reviewAll: subject<BulkRecordRequest, { approved: number; forwarded: number }>('review.record.reviewAll'),
  recoverSiteCode: subject<SiteCodeRecoveryRequest, { accepted: true }>('review.siteCode.recover'),
};
