import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, CommonErrorCodes } from '@app/contracts';
import { DomainError } from '@app/platform';
import type { Request } from 'express';
import { IS_PUBLIC } from './public.decorator';

export type AuthenticatedRequest = Request & { user: AccessTokenClaims };

/** Global guard: every route needs a valid Bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainError(CommonErrorCodes.UNAUTHENTICATED, '请先登录');
    try {
      request.user = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'], issuer: 'gsr-identity' });
    } catch {
      throw new DomainError(CommonErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    }
    return true;
  }
}
