/** What a unit of the preset tree is; decides its place and which codes it may carry. */
export type OrgUnitKind = 'root' | 'province' | 'corps' | 'department' | 'city' | 'county';

/** 0 = 国务院办公厅, 1 = provinces / 兵团 / State Council departments, 2 = cities, 3 = counties. */
export type OrgUnitLevel = 0 | 1 | 2 | 3;

/** One unit of the national tree as seeded on first start (one account each, username = code). */
export interface PresetUnit {
  readonly code: string;
  readonly name: string;
  readonly level: OrgUnitLevel;
  readonly parentCode: string | null;
  readonly kind: OrgUnitKind;
}

/** Labels shown to users for each kind. */
export const ORG_UNIT_KIND_LABELS: Readonly<Record<OrgUnitKind, string>> = Object.freeze({
  root: '国务院办公厅',
  province: '省级',
  corps: '新疆生产建设兵团',
  department: '国务院部门',
  city: '地市级',
  county: '区县级',
});

export const ROOT_CODE = 'bm0100';
export const ROOT_NAME = '国务院办公厅';
export const CORPS_CODE = 'BT0000';
export const CORPS_NAME = '新疆生产建设兵团';
