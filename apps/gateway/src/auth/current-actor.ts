import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AccessTokenClaims, Actor, Role, Roles } from '@app/contracts';
import { Access, AccessRule } from './access';

export function actorFromClaims(claims: AccessTokenClaims): Actor {
  const actor: Actor = {
    accountId: claims.sub,
    username: claims.username,
    orgUnitId: claims.orgUnitId,
    roles: claims.roles,
  };
  return claims.site ? { ...actor, siteCode: claims.site } : actor;
}

/** The caller, as services receive it, built from the verified token. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ user: AccessTokenClaims }>();
  return actorFromClaims(request.user);
});

const RULE_OF_ROLE: Readonly<Record<Role, AccessRule>> = {
  [Roles.ORG]: 'unit-subtree',
  [Roles.ROOT]: 'root',
  [Roles.SUPPORT]: 'support',
  [Roles.AUDITOR]: 'auditor',
  [Roles.SITE]: 'site-own',
};
/** Only callers with one of these roles may use the route (403 otherwise): `@Access` by role. */
export const RequireRoles = (role: Role, ...more: Role[]) =>
  Access(RULE_OF_ROLE[role], ...more.map((r) => RULE_OF_ROLE[r]));

export const ALLOW_PENDING_PASSWORD_CHANGE = 'allowPendingPasswordChange';
/** The few routes a user may call before changing the initial password. */
export const AllowPendingPasswordChange = () => SetMetadata(ALLOW_PENDING_PASSWORD_CHANGE, true);
