/**
 * ORG: an org unit's account. ROOT: the root unit's account (国务院办公厅). SITE: a website
 * signed in with its 标识码 and 校验码 (自查评分), for that one site only; it has no account.
 */
export const Roles = { ORG: 'ORG', ROOT: 'ROOT', SUPPORT: 'SUPPORT', AUDITOR: 'AUDITOR', SITE: 'SITE' } as const;
export type Role = (typeof Roles)[keyof typeof Roles];
export const ALL_ROLES: Role[] = Object.values(Roles);
