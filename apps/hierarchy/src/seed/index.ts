export { ORG_UNIT_KIND_LABELS, ROOT_CODE, ROOT_NAME, CORPS_CODE, CORPS_NAME } from './org-unit';
export type { OrgUnitKind, OrgUnitLevel, PresetUnit } from './org-unit';
export { buildPresetTree, SAMPLE_TREE_CODES } from './preset-tree';
export {
  classifyUnitCode,
  expectedParentCode,
  isValidUnitCode,
  UNIT_CODE_FORMAT_ERROR,
  UNIT_CODE_TYPE_LABELS,
} from './unit-code';
export type { UnitCodeClassification, UnitCodeType } from './unit-code';
export { assignDepartmentCodes, departmentCode } from './departments';
export type { DepartmentCodeSource, PresetDepartment } from './departments';
