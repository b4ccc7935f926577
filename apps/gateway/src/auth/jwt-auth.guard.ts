import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, AccountErrorCodes, CommonErrorCodes, hasRole, Roles } from '@app/contracts';
import { DomainError } from '@app/platform/core';
import type { Request } from 'express';
import { ACCESS_METADATA, AccessRule, admits } from './access';
import { ActorAssertionContext } from './actor-assertion-context';
import { ALLOW_PENDING_PASSWORD_CHANGE } from './current-actor';
import { TokenVersions } from './token-versions';

export type AuthenticatedRequest = Request & { user: AccessTokenClaims };

/** The secrets of JWT_PREVIOUS_SECRETS: tokens they signed are still verified, none is signed with them. */
export const PREVIOUS_JWT_SECRETS = Symbol('PREVIOUS_JWT_SECRETS');

/**
 * Global guard enforcing each route's declared @Access rule: `public` routes need no token,
 * every other one a valid Bearer token of a caller the rule admits (403 otherwise); a route
 * that declares no rule is refused for everyone. Until the initial password is changed only
 * routes marked @AllowPendingPasswordChange() answer.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly versions: TokenVersions,
    @Optional() @Inject(PREVIOUS_JWT_SECRETS) private readonly previousSecrets: readonly Buffer[] = [],
    /** Arms the request's bus calls with the admitted caller's actor assertion (absent: none). */
    @Optional() private readonly assertions?: ActorAssertionContext,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rules = this.reflector.getAllAndOverride<AccessRule[] | undefined>(ACCESS_METADATA, targets) ?? [];
    if (rules.includes('public')) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainError(CommonErrorCodes.UNAUTHENTICATED, '请先登录');
    request.user = await this.verify(token);
    // Revoked (password change, reset, lockout, logout): 401 before any other check. A SITE
    // token has no account to revoke: it lives out its ACCESS_TOKEN_TTL_SECONDS (docs/ASSESSMENT.md).
    if (!hasRole(request.user, Roles.SITE)) await this.versions.assertCurrent(request.user);
    if (request.user.mcp && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_CHANGE, targets)) {
      throw new DomainError(AccountErrorCodes.PASSWORD_CHANGE_REQUIRED, '首次登录须先修改初始密码');
    }
    if (!admits(rules, request.user))
      throw new DomainError(
        CommonErrorCodes.FORBIDDEN,
        hasRole(request.user, Roles.SITE) ? '网站登录只能用于本网站的自查评分' : forbiddenMessage(rules),
      );
    this.assertions?.arm(request.user);
    return true;
  }

  /**
   * Checks the token with JWT_SECRET and, when only its signature fails, with each of
   * JWT_PREVIOUS_SECRETS (a rotation in progress: tokens signed before it stay valid until
   * they expire). An expired or otherwise invalid token is refused whatever signed it.
   */
  private async verify(token: string): Promise<AccessTokenClaims> {
    const options = { algorithms: ['HS256' as const], issuer: 'gsr-identity' };
    try {
      return await this.jwt.verifyAsync<AccessTokenClaims>(token, options);
    } catch (error) {
      if ((error as Error).message === 'invalid signature')
        for (const secret of this.previousSecrets) {
          try {
            return await this.jwt.verifyAsync<AccessTokenClaims>(token, { ...options, secret });
          } catch {
            // not this one either
          }
        }
      throw new DomainError(CommonErrorCodes.UNAUTHENTICATED, '登录已失效，请重新登录');
    }
  }
}

/** Why the caller is refused, in the words of the rule it does not meet. */
function forbiddenMessage(rules: readonly AccessRule[]): string {
  if (rules.length === 0) return '此接口未声明访问规则，不对任何账号开放';
  if (rules.every((rule) => rule === 'unit-own' || rule === 'unit-subtree'))
    return '只有单位账号可以使用此功能，技术支持和审计员账号不能查看单位和报送数据';
  if (rules.length === 1 && rules[0] === 'auditor') return '只有审计员可以查看审计日志';
  if (rules.length === 1 && rules[0] === 'support') return '只有技术支持人员可以执行此操作';
  if (rules.length === 1 && rules[0] === 'root') return '只有国务院办公厅账号可以执行此操作';
  return '没有权限执行此操作';
}
