import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdentitySubjects, LoginReply, LoginRequest } from '@app/contracts';
import { BusClient } from '@app/platform';
import type { AuthenticatedRequest } from './jwt-auth.guard';
import { Public } from './public.decorator';

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

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录用户' })
  me(@Req() request: AuthenticatedRequest) {
    const { sub, username, orgUnitId, roles, mcp } = request.user;
    return { id: sub, username, orgUnitId, roles, mustChangePassword: mcp };
  }
}
