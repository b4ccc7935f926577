import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { AccessTokenClaims, hasRole, Roles } from '@app/contracts';

/**
 * Who may call a route. Every gateway route declares one or more (any of them lets the caller
 * in); a route without a rule is refused for everyone (fail closed), the OpenAPI audit reports
 * it, and the route × role test fails. The rule is also written into the OpenAPI document as
 * `x-access`, so the document says who may call each operation.
 *
 * - `public`: no login (login, health, the form schema, 标识码找回, the console's files).
 * - `signed-in`: any account, the system accounts included (`/me`, the password change); not a
 *   site signed in with its 校验码 (SITE), which has no account.
 * - `unit-own`: a unit account (ORG, the root's too), acting on its own unit's data only
 *   (its imports, notices, files, contact); other units' data is not found or 403.
 * - `unit-subtree`: a unit account, acting on its own unit or a unit below it (records, the
 *   tree); siblings and unrelated units get 404 / 403 OUTSIDE_SUBTREE, a parent's data 403.
 *   The owning service enforces the subtree; the gateway lets only unit accounts through.
 * - `root`: the root's account (国务院办公厅, role ROOT).
 * - `support`: the support desk (技术支持, role SUPPORT): account lookup, reset, unlock.
 * - `auditor`: the auditor (审计员, role AUDITOR): the audit log only.
 *
 * - `site-own`: a site signed in with its 标识码 and 校验码 (role SITE), acting on that one site
 *   (its 自查评分); the owning service refuses any other site.
 *
 * SUPPORT and AUDITOR accounts have no unit: every `unit-*` route refuses them (三员分立).
 * A SITE token passes `public` and `site-own` routes only.
 */
export const ACCESS_RULES = [
  'public',
  'signed-in',
  'unit-own',
  'unit-subtree',
  'root',
  'support',
  'auditor',
  'site-own',
] as const;
export type AccessRule = (typeof ACCESS_RULES)[number];

export const ACCESS_METADATA = 'accessRules';
/** The OpenAPI extension carrying an operation's rules. */
export const ACCESS_EXTENSION = 'x-access';

/** Declares who may call the route (any of the rules). */
export function Access(...rules: [AccessRule, ...AccessRule[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_METADATA, rules), ApiExtension(ACCESS_EXTENSION, rules));
}

/** Whether a signed-in caller satisfies one of the rules (`public` needs no caller). */
export function admits(rules: readonly AccessRule[], caller: Pick<AccessTokenClaims, 'roles' | 'orgUnitId'>): boolean {
  return rules.some((rule) => {
    switch (rule) {
      case 'public':
        return true;
      case 'signed-in':
        return !hasRole(caller, Roles.SITE);
      case 'unit-own':
      case 'unit-subtree':
        return caller.orgUnitId !== null && hasRole(caller, Roles.ORG);
      case 'root':
        return hasRole(caller, Roles.ROOT);
      case 'support':
        return hasRole(caller, Roles.SUPPORT);
      case 'auditor':
        return hasRole(caller, Roles.AUDITOR);
      case 'site-own':
        return hasRole(caller, Roles.SITE);
    }
  });
}
