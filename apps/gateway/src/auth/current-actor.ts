import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AccessTokenClaims, Actor, Role } from '@app/contracts';

export function actorFromClaims(claims: AccessTokenClaims): Actor {
  return { accountId: claims.sub, username: claims.username, orgUnitId: claims.orgUnitId, roles: claims.roles };
}

/** The caller, as services receive it, built from the verified token. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ user: AccessTokenClaims }>();
  return actorFromClaims(request.user);
});

export const REQUIRED_ROLES = 'requiredRoles';
/** Only callers with one of these roles may use the route (403 otherwise). */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const ALLOW_PENDING_PASSWORD_CHANGE = 'allowPendingPasswordChange';
/** The few routes a user may call before changing the initial password. */
export const AllowPendingPasswordChange = () => SetMetadata(ALLOW_PENDING_PASSWORD_CHANGE, true);
