import { Body, Controller, Get, HttpCode, Ip, Post, Req } from '@nestjs/common';
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
import { BusClient } from '@app/platform/core';
import { IsString, MaxLength } from 'class-validator';
import { AllowPendingPasswordChange, CurrentActor } from './current-actor';
import type { AuthenticatedRequest } from './jwt-auth.guard';
import { clientKey } from '../http/client-address';
import { TokenVersions } from './token-versions';
import { ApiErrors } from '../openapi/api-errors';
import { LoginBodyDto, LoginReplyDto, MeDto } from './auth.responses';
import { Access } from './access';
import { StartupReadiness } from '../health/startup-readiness';

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
  constructor(
    private readonly bus: BusClient,
    private readonly versions: TokenVersions,
    private readonly readiness: StartupReadiness,
  ) {}

  @Access('public')
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，取得访问令牌' })
  @ApiOkResponse({ type: LoginReplyDto })
  @ApiErrors('auth.login')
  @ApiBody({ type: LoginBodyDto })
  async login(@Body() body: LoginRequest, @Ip() ip: string): Promise<LoginReply> {
    // Before the first start has made the tree and its accounts a token would carry no unit.
    await this.readiness.assertReady();
    // The client is the address Express determined (TRUST_PROXY): never what the body says.
    return this.bus.request(IdentitySubjects.login, {
      username: body.username,
      password: body.password,
      client: clientKey(ip),
    });
  }

  @AllowPendingPasswordChange()
  @Access('signed-in')
  @Post('auth/change-password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改密码（首次登录必须先修改初始密码；修改后请重新登录）' })
  @ApiNoContentResponse({ description: '已修改；请用新密码重新登录' })
  @ApiErrors('auth.changePassword')
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() body: ChangePasswordBody,
    @Ip() ip: string,
  ): Promise<void> {
    await this.bus.request(AccountSubjects.changePassword, {
      actor,
      currentPassword: body.currentPassword,
      newPassword: body.newPassword,
      client: clientKey(ip),
    });
    // Every token issued before is revoked; this replica need not wait for identity's event.
    this.versions.forget(actor.accountId);
  }

  @Access('signed-in')
  @AllowPendingPasswordChange()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: '退出登录',
    description: '结束本账号的全部会话：此前签发的所有访问令牌（包括其他浏览器中的）立即失效，之后须重新登录。',
  })
  @ApiNoContentResponse({ description: '已退出；此前的访问令牌均已失效' })
  @ApiErrors('auth.logout')
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.bus.request(IdentitySubjects.logout, { actor });
    this.versions.forget(actor.accountId);
  }

  @AllowPendingPasswordChange()
  @Access('signed-in')
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
