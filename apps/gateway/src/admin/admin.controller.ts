import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AccountSubjects, Actor } from '@app/contracts';
import { BusClient } from '@app/platform';
import { IsDateString, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor } from '../auth/current-actor';
import { PageQuery } from '../http/page-query';
import { ApiErrors } from '../openapi/api-errors';
import { AccountPageDto, AuditPageDto, ResetDoneDto, UnlockedDto } from './admin.responses';
import { Access } from '../auth/access';

class ResetBody {
  @ApiProperty({ description: '联系人姓名（与登记的一致）' }) @IsString() @MaxLength(50) contactName: string;
  @ApiProperty({ description: '登记的办公电话或手机' }) @IsString() @MaxLength(40) phone: string;
  @ApiProperty({ description: '单位名称' }) @IsString() @MaxLength(100) orgUnitName: string;
  @ApiProperty({ description: '所在处室（部门）' }) @IsString() @MaxLength(100) department: string;
  @ApiProperty({ description: '初始密码' }) @IsString() @MaxLength(64) initialPassword: string;
}

class AccountsQuery extends PageQuery {
  @ApiProperty({ description: '单位代码（账号）开头，或单位名称中的文字', example: '秦皇岛' })
  @IsString()
  @MaxLength(64)
  q: string;
}

class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: '操作者账号' }) @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional({ description: '操作，如 record.approve' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({}, { message: 'from 应为日期时间，如 2026-05-01T00:00:00+08:00' })
  from?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({}, { message: 'to 应为日期时间，如 2026-05-31T00:00:00+08:00' })
  to?: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminController {
  constructor(private readonly bus: BusClient) {}

  @Access('support')
  @Get('accounts')
  @ApiOperation({
    summary: '按单位代码或单位名称查找账号（技术支持）',
    description: '返回账号、单位名称、层级、地区和是否锁定；不返回联系人姓名、电话、邮箱等个人信息。',
  })
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

  @Access('support')
  @Post('accounts/:username/reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: '核验身份后把密码重置为初始密码（技术支持）',
    description:
      '技术支持录入来电人提供的五项信息，由服务端与登记信息比对，只回答一致（重置）或不一致（403），不透露哪一项不符。',
  })
  @ApiOkResponse({ type: ResetDoneDto })
  @ApiErrors('admin.resetPassword')
  reset(@CurrentActor() actor: Actor, @Param('username') username: string, @Body() body: ResetBody) {
    return this.bus.request(AccountSubjects.resetToInitial, { actor, username, ...body });
  }

  @Access('support', 'root')
  @Post('accounts/:username/unlock')
  @HttpCode(200)
  @ApiOperation({
    summary: '解除账号在各终端的登录锁定或延时（技术支持可解锁任何账号；根节点账号只能解锁技术支持账号）',
  })
  @ApiOkResponse({ type: UnlockedDto })
  @ApiErrors('admin.unlock')
  unlock(@CurrentActor() actor: Actor, @Param('username') username: string) {
    return this.bus.request(AccountSubjects.unlock, { actor, username });
  }

  @Access('auditor')
  @Get('audit')
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
