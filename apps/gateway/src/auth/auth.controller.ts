import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountSubjects, Actor, HierarchySubjects, IdentitySubjects, LoginReply, LoginRequest } from '@app/contracts';
import { BusClient } from '@app/platform';
import { IsString, MaxLength } from 'class-validator';
import { AllowPendingPasswordChange, CurrentActor } from './current-actor';
import type { AuthenticatedRequest } from './jwt-auth.guard';
import { Public } from './public.decorator';

class ChangePasswordBody {
  @IsString()
  @MaxLength(128)
  currentPassword: string;

  @IsString()
  @MaxLength(128)
  newPassword: string;
}

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly bus: BusClient) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，取得访问令牌' })
  login(@Body() body: LoginRequest): Promise<LoginReply> {
    return this.bus.request(IdentitySubjects.login, body);
  }

  @AllowPendingPasswordChange()
  @Post('auth/change-password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改密码（首次登录必须先修改初始密码；修改后请重新登录）' })
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordBody): Promise<void> {
    await this.bus.request(AccountSubjects.changePassword, { actor, ...body });
  }

  @AllowPendingPasswordChange()
  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录用户及其单位' })
  async me(@CurrentActor() actor: Actor, @Req() request: AuthenticatedRequest) {
    const orgUnit = actor.orgUnitId
      ? await this.bus.request(HierarchySubjects.get, { actor, id: actor.orgUnitId })
      : null;
    return {
      id: actor.accountId,
      username: actor.username,
      orgUnitId: actor.orgUnitId,
      roles: actor.roles,
      mustChangePassword: request.user.mcp,
      orgUnit,
    };
  }
}
