/** ORG: an org unit's account. ROOT: the root unit's account (国务院办公厅). */
export const Roles = { ORG: 'ORG', ROOT: 'ROOT', SUPPORT: 'SUPPORT', AUDITOR: 'AUDITOR' } as const;
export type Role = (typeof Roles)[keyof typeof Roles];
export const ALL_ROLES: Role[] = Object.values(Roles);
