import { HierarchyErrorCodes, OrgUnitKind } from '@app/contracts';
import { DomainError } from '@app/platform';
import { classifyUnitCode, expectedParentCode, UnitCodeType } from '../seed';

/** Codes that only the preset tree has: nobody files a request for them. */
const PRESET_ONLY: ReadonlySet<UnitCodeType> = new Set(['root', 'corps', 'province']);

/**
 * A new unit's code must be well formed, of a kind that can be added, and — where the code
 * itself says who its parent is (130399 → 130300, 37BM02 → 370000) — requested by that parent.
 */
export function checkNewUnitCode(code: string, requesterCode: string): void {
  const classification = classifyUnitCode(code);
  if (!classification.valid) throw new DomainError(HierarchyErrorCodes.INVALID_UNIT_CODE, classification.error);
  if (PRESET_ONLY.has(classification.type))
    throw new DomainError(HierarchyErrorCodes.INVALID_UNIT_CODE, `代码 ${code} 属于预置单位，不能申请新增`);
  const expected = expectedParentCode(code);
  if (expected !== null && expected !== requesterCode) {
    throw new DomainError(HierarchyErrorCodes.INVALID_UNIT_CODE, `单位代码 ${code} 应由上级单位 ${expected} 提出申请`);
  }
}

export function kindOfNewUnit(code: string): OrgUnitKind {
  const classification = classifyUnitCode(code);
  if (!classification.valid) throw new DomainError(HierarchyErrorCodes.INVALID_UNIT_CODE, classification.error);
  switch (classification.type) {
    case 'provincial-vertical':
      return 'vertical';
    case 'department':
    case 'department-unit':
      return 'department';
    case 'city':
      return 'city';
    default:
      return 'county';
  }
}
