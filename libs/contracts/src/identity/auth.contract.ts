import { IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ActorRequest } from '../hierarchy/org-unit.contract';
import { eventSubject, subject } from '../subject';
import { Role } from './roles';

// A missing value reads the type check's message ("请输入…"): the validation pipe names a
// missing field by its presence constraint, not by a length bound that also failed.
export class LoginRequest {
  @MaxLength(64, { message: '账号过长' })
  @MinLength(1, { message: '请输入账号' })
  @IsString({ message: '请输入账号' })
  username: string;

  @MaxLength(128, { message: '密码过长' })
  @MinLength(1, { message: '请输入密码' })
  @IsString({ message: '请输入密码' })
  password: string;
}

/**
 * A login as the gateway forwards it: the body plus the client (IP address) it came from, as
 * the gateway determines it (`TRUST_PROXY`). Identity counts failures per (username, client)
 * and per client.
 */
export class LoginAttempt extends LoginRequest {
  @MaxLength(100)
  @IsString()
  client: string;
}

/** 网站登录（自查评分）: the 网站标识码 and its 校验码, as the approval mail gave them. */
export class SiteLoginRequest {
  @Matches(/^[0-9A-Za-z]{6}\d{4}$/, { message: '网站标识码应为10位字母或数字' })
  @IsString({ message: '请输入网站标识码' })
  siteCode: string;

  @Matches(/^[0-9A-Za-z]{6}$/, { message: '校验码应为6位字母或数字' })
  @IsString({ message: '请输入校验码' })
  checkCode: string;
}

/** A site login as the gateway forwards it, with the client it came from (as LoginAttempt). */
export class SiteLoginAttempt extends SiteLoginRequest {
  @MaxLength(100)
  @IsString()
  client: string;
}

/** The site a SITE token is for. */
export interface SiteSummary {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
}

export interface SiteLoginReply {
  accessToken: string;
  expiresIn: number;
  site: SiteSummary;
}

export interface AuthenticatedUser {
  id: string;
  username: string;
  orgUnitId: string | null;
  roles: Role[];
}

export interface LoginReply {
  accessToken: string;
  expiresIn: number;
  mustChangePassword: boolean;
  user: AuthenticatedUser;
}

/** The claims of an access token, as the gateway reads them. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  orgUnitId: string | null;
  roles: Role[];
  /** Must change the password before anything else is allowed. */
  mcp: boolean;
  /**
   * The account's token version when the token was issued. A password change, a support reset,
   * a lockout or a logout raises the account's version; the gateway refuses older tokens.
   * Tokens issued before versions existed carry none and count as 0.
   */
  tv?: number;
  /** A SITE token's 网站标识码 (sub is then the site's record id; there is no account). */
  site?: string;
}

/** The gateway asks identity for an account's current token version (on a cache miss). */
export class TokenVersionRequest {
  @IsUUID()
  accountId: string;
}

/** `tokenVersion` is null when the account does not exist (any token for it is refused). */
export interface TokenVersionReply {
  accountId: string;
  tokenVersion: number | null;
}

/** Every token of the caller's account stops working. */
export class LogoutRequest extends ActorRequest {}

/** Published by identity after it raised an account's token version: every gateway replica listens. */
export interface TokensRevoked {
  accountId: string;
  tokenVersion: number;
}

export const IdentityErrorCodes = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
} as const;

export const IdentitySubjects = {
  login: subject<LoginAttempt, LoginReply>('identity.auth.login'),
  logout: subject<LogoutRequest, { loggedOut: true }>('identity.auth.logout'),
  tokenVersion: subject<TokenVersionRequest, TokenVersionReply>('identity.auth.tokenVersion'),
  siteLogin: subject<SiteLoginAttempt, SiteLoginReply>('identity.auth.siteLogin'),
};

/** Fan-out events identity publishes (not through the outbox: every replica must get them, now). */
export const IdentityEvents = {
  tokensRevoked: eventSubject<TokensRevoked>('identity.tokens.revoked'),
};
