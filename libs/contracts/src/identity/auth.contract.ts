import { IsString, MaxLength, MinLength } from 'class-validator';
import { subject } from '../subject';
import { Role } from './roles';

// class-validator checks a property's decorators bottom-up and stops at the first failure:
// the type check is listed last so that a missing value reads "请输入…".
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
}

export const IdentityErrorCodes = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
} as const;

export const IdentitySubjects = {
  login: subject<LoginAttempt, LoginReply>('identity.auth.login'),
};
