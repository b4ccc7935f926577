import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IdentitySubjects, SiteLoginReply, SiteLoginRequest, SiteSummary } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { StartupReadiness } from '../health/startup-readiness';
import { clientKey } from '../http/client-address';
import { ApiErrors } from '../openapi/api-errors';
import { Access } from './access';

export class SiteLoginBodyDto {
  @ApiProperty({ type: String, description: '网站标识码（10位）', example: '1303000001' }) siteCode: string;
  @ApiProperty({ type: String, description: '校验码（6位，审核通过时随标识码通知）', example: '7P6BVY' })
  checkCode: string;
}

export class SiteSummaryDto implements SiteSummary {
  @ApiProperty({ type: String }) siteCode: string;
  @ApiProperty({ type: String }) siteName: string;
  @ApiProperty({ type: String, format: 'uuid', description: '网站的主办单位' }) ownerOrgUnitId: string;
}

export class SiteLoginReplyDto implements SiteLoginReply {
  @ApiProperty({
    type: String,
    description: '访问令牌（角色 SITE，只能用于本网站的自查评分），放在 Authorization: Bearer 中',
  })
  accessToken: string;
  @ApiProperty({ type: Number, description: '有效期（秒）', example: 1800 }) expiresIn: number;
  @ApiProperty({ type: () => SiteSummaryDto }) site: SiteSummary;
}

@ApiTags('auth')
@Controller()
export class SiteAuthController {
  constructor(
    private readonly bus: BusClient,
    private readonly readiness: StartupReadiness,
  ) {}

  @Access('public')
  @Post('site-auth/login')
  @HttpCode(200)
  @ApiOperation({
    summary: '网站登录（自查评分）：以网站标识码和校验码登录',
    description:
      '取得只对这一个网站有效的访问令牌（角色 SITE），用于填写和提交本网站的自查评分；其他接口一律拒绝。' +
      '连续输错校验码会像账号密码一样在本机锁定一段时间。',
  })
  @ApiOkResponse({ type: SiteLoginReplyDto })
  @ApiErrors('siteAuth.login')
  @ApiBody({ type: SiteLoginBodyDto })
  async login(@Body() body: SiteLoginRequest, @Ip() ip: string): Promise<SiteLoginReply> {
    await this.readiness.assertReady();
    return this.bus.request(IdentitySubjects.siteLogin, {
      siteCode: body.siteCode,
      checkCode: body.checkCode,
      client: clientKey(ip),
    });
  }
}
