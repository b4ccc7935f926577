import { ApiProperty } from '@nestjs/swagger';
import { ALL_ROLES, AuthenticatedUser, LoginReply, OrgUnitDetail, Role } from '@app/contracts';
import { OrgUnitDetailDto } from '../org-units/org-units.responses';

/** The login body as documented (validated as LoginRequest of the contracts). */
export class LoginBodyDto {
  @ApiProperty({ type: String, description: '账号：单位代码，或 support、auditor', example: '130300' })
  username: string;
  @ApiProperty({ type: String }) password: string;
}

export class AuthenticatedUserDto implements AuthenticatedUser {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, description: '账号（单位账号即单位代码）', example: '130300' }) username: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '所属单位；技术支持和审计员为 null' })
  orgUnitId: string | null;
  @ApiProperty({ enum: ALL_ROLES, isArray: true }) roles: Role[];
}

export class LoginReplyDto implements LoginReply {
  @ApiProperty({ type: String, description: '访问令牌（HS256 JWT），放在 Authorization: Bearer 中' })
  accessToken: string;
  @ApiProperty({ type: Number, description: '有效期（秒）', example: 1800 }) expiresIn: number;
  @ApiProperty({ type: Boolean, description: '为 true 时须先修改密码，其他接口返回 403 PASSWORD_CHANGE_REQUIRED' })
  mustChangePassword: boolean;
  @ApiProperty({ type: () => AuthenticatedUserDto }) user: AuthenticatedUser;
}

export class MeDto extends AuthenticatedUserDto {
  @ApiProperty({ type: Boolean }) mustChangePassword: boolean;
  @ApiProperty({ type: () => OrgUnitDetailDto, nullable: true, description: '所属单位；无单位的账号为 null' })
  orgUnit: OrgUnitDetail | null;
}
