import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ALL_ROLES, Role } from '../identity/roles';

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
  @Matches(/^[0-9A-Za-z]{6}\d{4}$/)
  siteCode?: string;
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
