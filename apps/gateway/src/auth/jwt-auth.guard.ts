import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, AccountErrorCodes, CommonErrorCodes, Role } from '@app/contracts';
import { DomainError } from '@app/platform';
import type { Request } from 'express';
import { ALLOW_PENDING_PASSWORD_CHANGE, REQUIRED_ROLES } from './current-actor';
import { IS_PUBLIC } from './public.decorator';
import { TokenVersions } from './token-versions';

export type AuthenticatedRequest = Request & { user: AccessTokenClaims };

/**
 * Global guard: every route needs a valid Bearer token unless marked @Public(); until the
 * initial password is changed only routes marked @AllowPendingPasswordChange() answer;
 * @RequireRoles() routes need one of the roles.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly versions: TokenVersions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainError(CommonErrorCodes.UNAUTHENTICATED, '请先登录');
    try {
      request.user = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
        algorithms: ['HS256'],
        issuer: 'gsr-identity',
      });
    } catch {
      throw new DomainError(CommonErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    }
    // Revoked (password change, reset, lockout, logout): 401 before any other check.
    await this.versions.assertCurrent(request.user);
    if (request.user.mcp && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_CHANGE, targets)) {
      throw new DomainError(AccountErrorCodes.PASSWORD_CHANGE_REQUIRED, '首次登录须先修改初始密码');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.some((role) => request.user.roles.includes(role)))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '没有权限执行此操作');
    return true;
  }
}
