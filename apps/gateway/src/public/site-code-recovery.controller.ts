import { Body, Controller, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { RECOVERY_CLIENT_WINDOW_MS, RECOVERY_LIMIT_PER_CLIENT, RecordSubjects } from '@app/contracts';
import { BusClient } from '@app/platform/core';
import { IsString, MaxLength } from 'class-validator';
import { clientKey } from '../http/client-address';
import { ApiErrors } from '../openapi/api-errors';
import { SiteCodeRecoveryAnswerDto } from './public.responses';
import { Access } from '../auth/access';

export class RecoveryBody {
  @ApiProperty({ description: '网站名称' }) @IsString({ message: '请填写网站名称' }) @MaxLength(200) siteName: string;
  @ApiProperty({ description: '首页网址' })
  @IsString({ message: '请填写首页网址' })
  @MaxLength(500)
  homepageUrl: string;
  @ApiProperty({ description: '登记的负责人或联系人姓名' })
  @IsString({ message: '请填写负责人或联系人姓名' })
  @MaxLength(100)
  personName: string;
  @ApiProperty({ description: '该人登记的电子邮箱' })
  @IsString({ message: '请填写登记的电子邮箱' })
  @MaxLength(200)
  email: string;
}

const ANSWER = {
  message: '如果填写的信息与登记信息一致，网站标识码和校验码将发送到该网站登记的负责人和联系人邮箱，请注意查收。',
};

/** 标识码找回: no login; the answer is the same whether or not anything matched. */
@ApiTags('public')
@Controller('public')
@UseGuards(ThrottlerGuard)
export class SiteCodeRecoveryController {
  constructor(private readonly bus: BusClient) {}

  @Access('public')
  @Post('site-code-recovery')
  @HttpCode(202)
  // Per IP and window, more answer 429 RATE_LIMITED. This replica's in-memory throttle turns
  // floods away before the bus; review counts the same limit in its database, across replicas.
  @Throttle({ default: { limit: RECOVERY_LIMIT_PER_CLIENT, ttl: RECOVERY_CLIENT_WINDOW_MS } })
  @ApiOperation({ summary: '标识码找回：信息一致时把标识码和校验码发到登记的邮箱；无论是否一致，回答相同' })
  @ApiAcceptedResponse({ type: SiteCodeRecoveryAnswerDto })
  @ApiErrors('public.siteCodeRecovery')
  async recover(@Body() body: RecoveryBody, @Ip() ip: string) {
    await this.bus.request(RecordSubjects.recoverSiteCode, { ...body, clientKey: clientKey(ip) });
    return ANSWER;
  }
}
