import { OrgUnitContact, OrgUnitDetail, OrgUnitRecord, OrgUnitView } from '@app/contracts';
import { OrgUnit } from './org-unit.entity';

export function contactOf(unit: OrgUnit): OrgUnitContact | null {
  if (
    !unit.contactName &&
    !unit.contactOfficePhone &&
    !unit.contactMobile &&
    !unit.contactEmail &&
    !unit.contactDepartment
  )
    return null;
  return {
    name: unit.contactName ?? '',
    officePhone: unit.contactOfficePhone ?? '',
    mobile: unit.contactMobile ?? '',
    email: unit.contactEmail ?? '',
    department: unit.contactDepartment ?? '',
  };
}

export function toView(unit: OrgUnit, childCount: number): OrgUnitView {
  return {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    level: unit.level,
    parentId: unit.parentId,
    kind: unit.kind,
    childCount,
  };
}

export function toDetail(unit: OrgUnit, childCount: number, parentName: string | null): OrgUnitDetail {
  return { ...toView(unit, childCount), parentName, contact: contactOf(unit) };
}

export function toRecord(unit: OrgUnit, parentName: string | null): OrgUnitRecord {
  return {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    level: unit.level,
    kind: unit.kind,
    parentId: unit.parentId,
    parentName,
    path: unit.path,
    contact: contactOf(unit),
  };
}
