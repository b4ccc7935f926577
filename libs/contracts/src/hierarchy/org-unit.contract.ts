import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Actor, Page, MAX_PAGE } from '../common/actor';
import { subject } from '../subject';

export type OrgUnitKind = 'root' | 'province' | 'corps' | 'department' | 'city' | 'county' | 'vertical';

/** How each kind of unit is called in Chinese (workbooks, console). */
export const ORG_UNIT_KIND_LABELS: Readonly<Record<OrgUnitKind, string>> = {
  root: '国务院办公厅',
  province: '省级单位',
  corps: '新疆生产建设兵团',
  department: '国务院部门',
  city: '地市级单位',
  county: '区县级单位',
  vertical: '垂直管理部门',
};

export interface OrgUnitContact {
  name: string;
  officePhone: string;
  mobile: string;
  email: string;
  department: string;
}

/** What a user sees of an org unit. */
export interface OrgUnitView {
  id: string;
  code: string;
  name: string;
  level: number;
  parentId: string | null;
  kind: OrgUnitKind;
  childCount: number;
}

export interface OrgUnitDetail extends OrgUnitView {
  parentName: string | null;
  contact: OrgUnitContact | null;
}

/** What other services need of a unit (internal subjects only). */
export interface OrgUnitRecord {
  id: string;
  code: string;
  name: string;
  level: number;
  kind: OrgUnitKind;
  parentId: string | null;
  parentName: string | null;
  /** Codes from the root down to this unit, e.g. `bm0100.130000.130300`. */
  path: string;
  contact: OrgUnitContact | null;
}

/** A request made for a user: the actor is required (services check its assertion, then authorise on it). */
export class ActorRequest {
  @IsDefined()
  @ValidateNested()
  @Type(() => Actor)
  actor: Actor;
}

export class GetOrgUnitRequest extends ActorRequest {
  @IsUUID('4', { message: '单位编号格式有误' })
  id: string;
}

export class ListChildrenRequest extends GetOrgUnitRequest {
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number;

  @IsInt()
  @Min(1)
  @Max(500)
  pageSize: number;
}

/** Bounds here only stop abuse; the field rules of the forms lib decide what is valid. */
export class UpdateContactRequest extends GetOrgUnitRequest {
  @IsString()
  @MaxLength(200)
  name: string;

  @IsString()
  @MaxLength(200)
  officePhone: string;

  @IsString()
  @MaxLength(200)
  mobile: string;

  @IsString()
  @MaxLength(200)
  email: string;

  @IsString()
  @MaxLength(200)
  department: string;
}

export class LookupOrgUnitsRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('4', { each: true })
  ids?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  codes?: string[];

  /** All children of this unit. */
  @IsOptional()
  @IsUUID('4')
  parentId?: string;

  /** This unit and its ancestors, root first. */
  @IsOptional()
  @IsUUID('4')
  ancestorsOf?: string;

  /** Units whose name contains this text (at most ORG_UNIT_NAME_MATCHES of them, by code). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nameContains?: string;
}

/** The most units a name search (`nameContains`) answers with. */
export const ORG_UNIT_NAME_MATCHES = 200;

export const HierarchyErrorCodes = {
  ORG_UNIT_NOT_FOUND: 'ORG_UNIT_NOT_FOUND',
  OUTSIDE_SUBTREE: 'OUTSIDE_SUBTREE',
  INVALID_CONTACT: 'INVALID_CONTACT',
  INVALID_UNIT_CODE: 'INVALID_UNIT_CODE',
  UNIT_CODE_TAKEN: 'UNIT_CODE_TAKEN',
  NODE_REQUEST_NOT_FOUND: 'NODE_REQUEST_NOT_FOUND',
  NODE_REQUEST_DECIDED: 'NODE_REQUEST_DECIDED',
} as const;

export const HierarchySubjects = {
  get: subject<GetOrgUnitRequest, OrgUnitDetail>('hierarchy.orgUnit.get'),
  children: subject<ListChildrenRequest, Page<OrgUnitView>>('hierarchy.orgUnit.children'),
  updateContact: subject<UpdateContactRequest, OrgUnitDetail>('hierarchy.orgUnit.updateContact'),
  /** Internal: other services resolve units (no actor; never routed from HTTP). */
  lookup: subject<LookupOrgUnitsRequest, OrgUnitRecord[]>('hierarchy.orgUnit.lookup'),
};
