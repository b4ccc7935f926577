import { IsString, MaxLength, MinLength } from 'class-validator';
import { subject } from '../subject';
import { Role } from './roles';

export class LoginRequest {
  @IsString({ message: '账号应为文本' })
  @MinLength(1, { message: '请输入账号' })
  @MaxLength(64, { message: '账号过长' })
  username: string;

  @IsString({ message: '密码应为文本' })
  @MinLength(1, { message: '请输入密码' })
  @MaxLength(128, { message: '密码过长' })
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
