import {
  arrayMaxSize,
  ArrayMaxSize,
  IsArray,
  isIn,
  IsIn,
  IsOptional,
  IsString,
  isUUID,
  IsUUID,
  Matches,
  matches,
  maxLength,
  MaxLength,
} from 'class-validator';
import { ALL_ROLES, Role } from '../identity/roles';
import { hasOnlyKeys } from './fast-validation';

/** A site's 网站标识码 as an actor carries it. */
const SITE_CODE_PATTERN = /^[0-9A-Za-z]{6}\d{4}$/;

/**
 * Who asks: built by the gateway from the verified access token and sent with every
 * request that acts for a user. Services authorise on it (org subtree, roles).
 */
export class Actor {
  @IsUUID()
  accountId: string;

  @IsString()
  @MaxLength(64)
  username: string;

  @IsOptional()
  @IsUUID()
  orgUnitId: string | null;

  @IsArray()
  @ArrayMaxSize(4)
  @IsIn(ALL_ROLES, { each: true })
  roles: Role[];

  /**
   * A site signed in (role SITE): its 网站标识码, the one site it may act for. Its accountId is
   * then the site's record id and its username the 标识码; it has no unit.
   */
  @IsOptional()
  @Matches(SITE_CODE_PATTERN)
  siteCode?: string;
}

const ACTOR_KEYS: ReadonlySet<string> = new Set(['accountId', 'username', 'orgUnitId', 'roles', 'siteCode']);

/**
 * The Actor class-transformer builds from `value` when the decorators above accept it;
 * undefined when they might not (see fast-validation.ts). For the fast checks of requests
 * that carry an actor.
 */
export function fastActor(value: unknown): Actor | undefined {
  if (!hasOnlyKeys(value, ACTOR_KEYS)) return undefined;
  const { accountId, username, orgUnitId, roles, siteCode } = value;
  if (!isUUID(accountId) || !maxLength(username, 64)) return undefined;
  if (orgUnitId !== null && !isUUID(orgUnitId)) return undefined;
  if (!Array.isArray(roles) || !arrayMaxSize(roles, 4)) return undefined;
  for (let i = 0; i < roles.length; i += 1) if (!(i in roles) || !isIn(roles[i], ALL_ROLES)) return undefined;
  if (siteCode !== undefined && !(typeof siteCode === 'string' && matches(siteCode, SITE_CODE_PATTERN)))
    return undefined;
  const actor = new Actor();
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) return undefined;
    (actor as unknown as Record<string, unknown>)[key] = key === 'roles' ? [...roles] : value[key];
  }
  return actor;
}

export function hasRole(actor: Pick<Actor, 'roles'>, role: Role): boolean {
  return actor.roles.includes(role);
}

/**
 * The highest page number any list takes: 100,000 pages of 200 cover far more than exist,
 * and a bound keeps `page=1e20` from reaching SQL as an OFFSET of infinity.
 */
export const MAX_PAGE = 100_000;

/** Page request as the gateway passes it on. */
export interface PageQuery {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}
