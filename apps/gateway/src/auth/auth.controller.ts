import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { AccountSubjects, Actor, HierarchySubjects, IdentitySubjects, LoginReply, LoginRequest } from '@app/contracts';
import { BusClient } from '@app/platform';
import { IsString, MaxLength } from 'class-validator';
import { AllowPendingPasswordChange, CurrentActor } from './current-actor';
import type { AuthenticatedRequest } from './jwt-auth.guard';
import { Public } from './public.decorator';
import { ApiErrors } from '../openapi/api-errors';
import { LoginBodyDto, LoginReplyDto, MeDto } from './auth.responses';

export class ChangePasswordBody {
  @ApiProperty({ description: '当前密码（首次登录时为初始密码）' })
  @IsString()
  @MaxLength(128)
  currentPassword: string;

  @IsString()
  @MaxLength(128)
  @ApiProperty({ description: '新密码：至少8位，含大写字母、小写字母、数字、符号中的3类，不含账号，不同于初始密码' })
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
  @ApiOkResponse({ type: LoginReplyDto })
  @ApiErrors('auth.login')
  @ApiBody({ type: LoginBodyDto })
  login(@Body() body: LoginRequest): Promise<LoginReply> {
    return this.bus.request(IdentitySubjects.login, body);
  }

  @AllowPendingPasswordChange()
  @Post('auth/change-password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改密码（首次登录必须先修改初始密码；修改后请重新登录）' })
  @ApiNoContentResponse({ description: '已修改；请用新密码重新登录' })
  @ApiErrors('auth.changePassword')
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordBody): Promise<void> {
    await this.bus.request(AccountSubjects.changePassword, { actor, ...body });
  }

  @AllowPendingPasswordChange()
  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录用户及其单位' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors('auth.me')
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
