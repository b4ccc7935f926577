import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
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
};

/** Fan-out events identity publishes (not through the outbox: every replica must get them, now). */
export const IdentityEvents = {
  tokensRevoked: eventSubject<TokensRevoked>('identity.tokens.revoked'),
};
