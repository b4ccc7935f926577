import { IsString, MaxLength, MinLength } from 'class-validator';
import { subject } from '../subject';
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
  login: subject<LoginRequest, LoginReply>('identity.auth.login'),
};
