import { IsDateTimeInRange } from '../common/date-time';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MAX_PAGE, Page } from '../common/actor';
import { AuditEntry, AuditPage, AuditVerifyResult } from '../common/audit.contract';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { subject } from '../subject';
import { Role } from './roles';

export class UnitAccountSpec {
  @IsUUID('4')
  orgUnitId: string;

  @IsString()
  @MaxLength(16)
  code: string;

  @IsOptional()
  @IsUUID('4')
  parentId: string | null;
}

/** Internal (hierarchy's outbox): make sure each unit has its account. Idempotent. */
export class EnsureUnitAccountsRequest {
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => UnitAccountSpec)
  units: UnitAccountSpec[];
}

export class CredentialsRequest {
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('4', { each: true })
  orgUnitIds: string[];
}

export interface UnitCredential {
  orgUnitId: string;
  username: string;
  initialPassword: string;
}

export class ChangePasswordRequest extends ActorRequest {
  @IsString()
  @MinLength(1, { message: '请输入当前密码' })
  @MaxLength(128)
  currentPassword: string;

  @IsString()
  @MinLength(1, { message: '请输入新密码' })
  @MaxLength(128, { message: '新密码不超过128个字符' })
  newPassword: string;

  /** The client (IP address) as the gateway determines it: wrong current passwords count like failed logins. */
  @IsString()
  @MaxLength(100)
  client: string;
}

export class ResetToInitialRequest extends ActorRequest {
  @IsString()
  @MaxLength(64)
  username: string;

  @IsString()
  @MaxLength(50)
  contactName: string;

  @IsString()
  @MaxLength(40)
  phone: string;

  @IsString()
  @MaxLength(100)
  orgUnitName: string;

  @IsString()
  @MaxLength(100)
  department: string;

  @IsString()
  @MaxLength(64)
  initialPassword: string;
}

export class AccountByUsernameRequest extends ActorRequest {
  @IsString()
  @MaxLength(64)
  username: string;
}

/** An account by its username's start (the unit code) or by its unit's name (a part of it). */
export class FindAccountsRequest extends ActorRequest {
  @IsString()
  @MaxLength(64)
  q: string;

  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number;

  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number;
}

/**
 * What the support desk sees of an account: enough to find the caller's account and tell
 * whether it is locked, never a contact's name, phones, email or department (the reset's proofs,
 * which the caller types and identity compares).
 */
export interface AccountView {
  id: string;
  username: string;
  roles: Role[];
  /** The account's unit; null for the system accounts (support, auditor). */
  orgUnitName: string | null;
  /** 0 root, 1 province / 兵团 / department, 2 prefecture, 3 county; null without a unit. */
  orgUnitLevel: number | null;
  /** The kind of unit in Chinese (省级单位, 地市级单位, …); null without a unit. */
  orgUnitKind: string | null;
  /** The units above it from the province down, e.g. `河北省 秦皇岛市`; '' for the root and level 1. */
  region: string;
  /** Whether the unit registered its contact: without one no reset can match (the values stay hidden). */
  contactRegistered: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  lockedUntil: string | null;
}

export class AuditEntryDto implements AuditEntry {
  @IsUUID() id: string;
  @IsDateString() at: string;
  @IsString() @MaxLength(32) service: string;
  @IsString() @MaxLength(100) action: string;
  @IsIn(['success', 'denied', 'failure']) outcome: 'success' | 'denied' | 'failure';
  @IsOptional() @IsUUID() actorAccountId: string | null;
  @IsOptional() @IsString() @MaxLength(64) actorUsername: string | null;
  @IsOptional() @IsUUID() actorOrgUnitId: string | null;
  @IsOptional() @IsString() @MaxLength(64) targetType: string | null;
  @IsOptional() @IsString() @MaxLength(200) targetId: string | null;
  @IsOptional() @IsObject() details: Record<string, unknown> | null;
  @IsOptional() @IsString() @MaxLength(100) correlationId: string | null;
}

export class AppendAuditRequest {
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => AuditEntryDto)
  entries: AuditEntryDto[];
}

export class SearchAuditRequest extends ActorRequest {
  /** Username of the account that acted. */
  @IsOptional() @IsString() @MaxLength(64) actorUsername?: string;
  @IsOptional() @IsString() @MaxLength(100) action?: string;
  /** Any of these action codes (the console's list of Chinese names). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  actions?: string[];
  @IsOptional() @IsDateTimeInRange('from') from?: string;
  @IsOptional() @IsDateTimeInRange('to') to?: string;
  /** Only entries up to this chain position (paging through one stable set, e.g. an export). */
  @IsOptional() @IsInt() @Min(0) asOfSeq?: number;
  @IsInt() @Min(1) @Max(MAX_PAGE) page: number;
  @IsInt() @Min(1) @Max(1000) pageSize: number;
}

export class ExportAuditRequest extends ActorRequest {
  /** How many entries the export holds (recorded in the audit log). */
  @IsInt() @Min(0) rows: number;
  @IsOptional() @IsObject() filters?: Record<string, unknown>;
}

export const AccountErrorCodes = {
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
  WEAK_PASSWORD: 'WEAK_PASSWORD',
  WRONG_PASSWORD: 'WRONG_PASSWORD',
  RESET_PROOF_MISMATCH: 'RESET_PROOF_MISMATCH',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
} as const;

export const AccountSubjects = {
  ensureUnitAccounts: subject<EnsureUnitAccountsRequest, { created: number }>('identity.accounts.ensure'),
  credentials: subject<CredentialsRequest, UnitCredential[]>('identity.credentials.list'),
  changePassword: subject<ChangePasswordRequest, { changed: true }>('identity.auth.changePassword'),
  resetToInitial: subject<ResetToInitialRequest, { reset: true }>('identity.accounts.resetToInitial'),
  unlock: subject<AccountByUsernameRequest, { unlocked: true }>('identity.accounts.unlock'),
  find: subject<FindAccountsRequest, Page<AccountView>>('identity.accounts.find'),
  appendAudit: subject<AppendAuditRequest, { stored: number }>('identity.audit.append'),
  searchAudit: subject<SearchAuditRequest, AuditPage>('identity.audit.search'),
  verifyAudit: subject<ActorRequest, AuditVerifyResult>('identity.audit.verify'),
  /** The gateway wrote an export: identity records it. */
  exportedAudit: subject<ExportAuditRequest, { recorded: true }>('identity.audit.exported'),
};
