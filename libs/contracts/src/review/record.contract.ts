import { NoControlCharacters } from '../common/text';
import {
  IsBoolean,
  isIn,
  IsIn,
  isInt,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  isUUID,
  IsUUID,
  matches,
  Matches,
  max,
  Max,
  maxLength,
  MaxLength,
  min,
  Min,
  MinLength,
} from 'class-validator';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { fastActor, Page, MAX_PAGE } from '../common/actor';
import { FastValidation, hasOnlyKeys } from '../common/fast-validation';
import { subject } from '../subject';
import { RECORD_STATUSES, RecordStatus } from '@app/workflow';

// The statuses belong to the workflow rules (@app/workflow); the API speaks them as they are.
export { RECORD_STATUSES, RECORD_STATUS_LABELS } from '@app/workflow';
export type { RecordStatus };

export type RecordAction =
  | 'import'
  | 'reimport'
  | 'edit'
  | 'submit'
  | 'approve'
  | 'return'
  | 'delete'
  | 'request-change'
  | 'request-close'
  | 'request-reopen'
  | 'request-deregister'
  | 'withdraw'
  | 'request-applied';

export const RECORD_ACTION_LABELS: Readonly<Record<RecordAction, string>> = {
  import: '导入',
  reimport: '重新导入',
  edit: '修改',
  submit: '提交',
  approve: '审核',
  return: '退回',
  delete: '删除',
  'request-change': '申请变更',
  'request-close': '申请关停',
  'request-reopen': '申请恢复',
  'request-deregister': '申请注销',
  withdraw: '撤回申请',
  'request-applied': '申请生效',
};

/**
 * A site's life after its 标识码: 运行中, 已关停 (temporarily closed, expected to reopen) or
 * 已注销 (gone for good; the record is read-only and its 标识码 is never reused).
 */
export const LIFECYCLE_STATES = ['ACTIVE', 'CLOSED', 'DEREGISTERED'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];
export const LIFECYCLE_LABELS: Readonly<Record<LifecycleState, string>> = {
  ACTIVE: '运行中',
  CLOSED: '已关停',
  DEREGISTERED: '已注销',
};

/** What an approved record's owner may ask for: 变更 (new content), 关停, 恢复, 注销. */
export const REQUEST_KINDS = ['CHANGE', 'CLOSE', 'REOPEN', 'DEREGISTER'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const LIFECYCLE_REQUEST_KINDS = ['CLOSE', 'REOPEN', 'DEREGISTER'] as const;
export type LifecycleRequestKind = (typeof LIFECYCLE_REQUEST_KINDS)[number];
export const REQUEST_KIND_LABELS: Readonly<Record<RequestKind, string>> = {
  CHANGE: '变更',
  CLOSE: '关停',
  REOPEN: '恢复',
  DEREGISTER: '注销',
};

/** One field of a pending change: its label, the approved value and the requested one (as users read them). */
export interface FieldChange {
  path: string;
  label: string;
  before: string;
  after: string;
}

/** A request on an approved record, travelling the review chain (the record's status and holder). */
export interface PendingRequest {
  kind: RequestKind;
  kindLabel: string;
  reason: string | null;
  /** 关停: the expected reopening date (YYYY-MM-DD). */
  expectedReopenDate: string | null;
  requestedAt: string;
  /** The account that filed it. */
  requestedBy: string | null;
  /**
   * The filing unit's name, as a clerk reads it (the owner: only the owner files). Review does not
   * know names: the gateway adds it to every record detail it answers.
   */
  requestedByName?: string | null;
  /** 变更: the requested content (the whole form) and its field-by-field difference from the current one. */
  content?: Record<string, unknown>;
  changes?: FieldChange[];
}

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
  lifecycle: LifecycleState;
  lifecycleLabel: string;
  /** The request travelling the chain, if any. */
  requestKind: RequestKind | null;
  requestKindLabel: string | null;
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
    lifecycle: LifecycleState;
    lifecycleLabel: string;
    /** 关停: why and when the site is expected back. */
    closedReason: string | null;
    expectedReopenDate: string | null;
    /** The request travelling the chain; the content above stays the approved one until it is finally approved. */
    pendingRequest: PendingRequest | null;
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
  /** Records per status in the list's scope (and region), whatever the status filter: the tabs' counts. */
  counts: Record<RecordStatus, number>;
}

const REQUEST_KIND_FILTERS = [...REQUEST_KINDS, 'NONE'];

/** The list is every user's first screen: checked by hand when valid (fast-validation.ts). */
@FastValidation(fastListRecordsRequest)
export class ListRecordsRequest extends ActorRequest {
  @IsOptional() @IsIn(RECORD_STATUSES) status?: RecordStatus;
  @IsOptional() @IsString() @MaxLength(100) q?: string;
  @IsOptional() @IsIn(LIFECYCLE_STATES) lifecycle?: LifecycleState;
  /** A request kind, or NONE: records without a request. */
  @IsOptional() @IsIn(REQUEST_KIND_FILTERS) requestKind?: RequestKind | 'NONE';
  @IsIn(RECORD_SCOPES) scope: RecordScope;
  /** Ignored when `after` is given. */
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(200) pageSize: number;
  @IsOptional() @IsString() @Matches(RECORD_CURSOR_PATTERN, { message: RECORD_CURSOR_MESSAGE }) after?: string;
  /** Region: only records owned within this unit's subtree (a unit within the caller's; subtree scope only). */
  @IsOptional() @IsUUID('4', { message: '单位编号格式有误' }) orgUnitId?: string;
}

const LIST_RECORDS_KEYS: ReadonlySet<string> = new Set([
  'actor',
  'status',
  'q',
  'lifecycle',
  'requestKind',
  'scope',
  'page',
  'pageSize',
  'after',
  'orgUnitId',
]);

/** The decorators of ListRecordsRequest (and its actor) by hand: the instance when valid, else undefined. */
function fastListRecordsRequest(value: unknown): ListRecordsRequest | undefined {
  if (!hasOnlyKeys(value, LIST_RECORDS_KEYS)) return undefined;
  const actor = fastActor(value.actor);
  if (!actor) return undefined;
  const request = new ListRecordsRequest();
  const fields = request as unknown as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const field = value[key];
    if (field === undefined) return undefined;
    if (!LIST_RECORDS_CHECKS[key](field)) return undefined;
    fields[key] = key === 'actor' ? actor : field;
  }
  return 'scope' in value && 'page' in value && 'pageSize' in value ? request : undefined;
}

const LIST_RECORDS_CHECKS: Record<string, (value: unknown) => boolean> = {
  actor: () => true,
  status: (value) => isIn(value, RECORD_STATUSES),
  q: (value) => maxLength(value, 100),
  lifecycle: (value) => isIn(value, LIFECYCLE_STATES),
  requestKind: (value) => isIn(value, REQUEST_KIND_FILTERS),
  scope: (value) => isIn(value, RECORD_SCOPES),
  page: (value) => isInt(value) && min(value, 1) && max(value, MAX_PAGE),
  pageSize: (value) => isInt(value) && min(value, 1) && max(value, 200),
  after: (value) => typeof value === 'string' && matches(value, RECORD_CURSOR_PATTERN),
  orgUnitId: (value) => isUUID(value, '4'),
};

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

/** 申请变更: the whole new form, as for an edit. */
export class ChangeRequestRequest extends RecordRequest {
  @IsObject() content: Record<string, unknown>;
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: '变更说明不超过500个字' })
  @NoControlCharacters('变更说明', { multiline: true })
  reason?: string;
}

/** 申请关停 / 恢复 / 注销. */
export class LifecycleRequestRequest extends RecordRequest {
  @IsIn(LIFECYCLE_REQUEST_KINDS, { message: 'kind 应为 CLOSE（关停）、REOPEN（恢复）或 DEREGISTER（注销）' })
  kind: LifecycleRequestKind;
  @IsString({ message: '请填写申请理由' })
  @MinLength(2, { message: '请填写申请理由（至少2个字）' })
  @MaxLength(500, { message: '申请理由不超过500个字' })
  @NoControlCharacters('申请理由', { multiline: true })
  reason: string;
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '预计恢复日期应为 YYYY-MM-DD 格式，例如 2027-03-01' })
  expectedReopenDate?: string;
}

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
  /** 运行中 ACTIVE, 已关停 CLOSED, 已注销 DEREGISTERED. */
  lifecycle: SiteLifecycle;
}

export type SiteLifecycle = 'ACTIVE' | 'CLOSED' | 'DEREGISTERED';

/** A coded site with what monitoring and inspections need: its address, region and 栏目. */
export interface ListedSite extends SiteInfo {
  homepageUrl: string;
  regionCode: string;
  regionName: string;
  /** The 栏目 of the approved (current) content, as registered. */
  columns: Array<{ name: string; url: string; category: string }>;
}

/**
 * Internal (assessment): the coded sites in 标识码 order, a page at a time (`after` = the last
 * 标识码 of the previous page), optionally only those owned within one unit's subtree and only
 * the running (ACTIVE) ones.
 */
export class SiteListRequest {
  @IsOptional() @IsUUID() withinOrgUnitId?: string;
  @IsOptional() @Matches(/^[0-9A-Za-z]{6}\d{4}$/) after?: string;
  @IsOptional() @IsBoolean() activeOnly?: boolean;
  @IsInt() @Min(1) @Max(5000) limit: number;
}

/** Internal (assessment): the site with this 标识码, or null when there is none. */
export class SiteLookupRequest {
  @Matches(/^[0-9A-Za-z]{6}\d{4}$/) siteCode: string;
}

export const SiteSubjects = {
  verifyCheckCode: subject<VerifyCheckCodeRequest, { site: SiteInfo | null }>('review.site.verifyCheckCode'),
  lookup: subject<SiteLookupRequest, { site: SiteInfo | null }>('review.site.lookup'),
  list: subject<SiteListRequest, { sites: ListedSite[]; next: string | null }>('review.site.list'),
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
  /** The site is 已注销: its record is read-only (409). */
  RECORD_DEREGISTERED: 'RECORD_DEREGISTERED',
  /** The record already has a request travelling the chain (409). */
  RECORD_REQUEST_PENDING: 'RECORD_REQUEST_PENDING',
  /** A request that does not fit the site's state or the form (422): e.g. 恢复 of a running site, a past reopening date. */
  RECORD_REQUEST_INVALID: 'RECORD_REQUEST_INVALID',
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
  changeRequest: subject<ChangeRequestRequest, RecordDetail>('review.record.changeRequest'),
  lifecycleRequest: subject<LifecycleRequestRequest, RecordDetail>('review.record.lifecycleRequest'),
  withdrawRequest: subject<RecordRequest, RecordDetail>('review.record.withdrawRequest'),
  recoverSiteCode: subject<SiteCodeRecoveryRequest, { accepted: true }>('review.siteCode.recover'),
};
