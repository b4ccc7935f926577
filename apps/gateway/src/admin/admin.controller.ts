import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AccountSubjects, Actor, IsDateTimeInRange, Roles } from '@app/contracts';
import { BusClient } from '@app/platform';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor, RequireRoles } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { ApiErrors } from '../openapi/api-errors';
import { AccountPageDto, AuditPageDto, ResetDoneDto, UnlockedDto } from './admin.responses';

export class ResetBody {
  @ApiProperty({ description: '联系人姓名（与登记的一致）' }) @IsString() @MaxLength(50) contactName: string;
  @ApiProperty({ description: '登记的办公电话或手机' }) @IsString() @MaxLength(40) phone: string;
  @ApiProperty({ description: '单位名称' }) @IsString() @MaxLength(100) orgUnitName: string;
  @ApiProperty({ description: '所在处室（部门）' }) @IsString() @MaxLength(100) department: string;
  @ApiProperty({ description: '初始密码' }) @IsString() @MaxLength(64) initialPassword: string;
}

export class AccountsQuery extends PageQuery {
  @ApiProperty({ description: '账号前缀' })
  @IsString()
  @MaxLength(64)
  q: string;
}

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: '操作者账号' }) @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional({ description: '操作，如 record.approve' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateTimeInRange('from')
  from?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateTimeInRange('to')
  to?: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminController {
  constructor(private readonly bus: BusClient) {}

  @Get('accounts')
  @RequireRoles(Roles.SUPPORT)
  @ApiOperation({ summary: '按账号前缀查找账号（技术支持）' })
  @ApiOkResponse({ type: AccountPageDto })
  @ApiErrors('admin.findAccounts')
  find(@CurrentActor() actor: Actor, @Query() query: AccountsQuery) {
    return this.bus.request(AccountSubjects.find, {
      actor,
      q: query.q,
      page: query.page,
      pageSize: Math.min(query.pageSize, 100),
    });
  }

  @Post('accounts/:username/reset-password')
  @HttpCode(200)
  @RequireRoles(Roles.SUPPORT)
  @ApiOperation({ summary: '核验身份后把密码重置为初始密码（技术支持）' })
  @ApiOkResponse({ type: ResetDoneDto })
  @ApiErrors('admin.resetPassword')
  reset(@CurrentActor() actor: Actor, @Param('username') username: string, @Body() body: ResetBody) {
    return this.bus.request(AccountSubjects.resetToInitial, { actor, username, ...body });
  }

  @Post('accounts/:username/unlock')
  @HttpCode(200)
  @RequireRoles(Roles.SUPPORT)
  @ApiOperation({ summary: '解锁账号（技术支持）' })
  @ApiOkResponse({ type: UnlockedDto })
  @ApiErrors('admin.unlock')
  unlock(@CurrentActor() actor: Actor, @Param('username') username: string) {
    return this.bus.request(AccountSubjects.unlock, { actor, username });
  }

  @Get('audit')
  @RequireRoles(Roles.AUDITOR)
  @ApiOperation({ summary: '审计日志（仅审计员）' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors('admin.audit')
  audit(@CurrentActor() actor: Actor, @Query() query: AuditQuery) {
    return this.bus.request(AccountSubjects.searchAudit, {
      actor,
      actorUsername: query.actor,
      action: query.action,
      from: query.from,
      to: query.to,
      page: query.page,
      pageSize: query.pageSize,
    });
  }
}
