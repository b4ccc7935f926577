import { Actor, CommonErrorCodes, HierarchyErrorCodes } from '@app/contracts';
import { DomainError } from '@app/platform';
import { isWithin, OrgUnit } from './org-unit.entity';
import { OrgUnitRepository } from './org-unit.repository';

/**
 * A unit account sees its own subtree (the root's: the whole tree). Support and auditors see no
 * unit at all (三员分立): the contacts are the proofs of the support reset, which support must
 * never read; its lookup (identity) shows what a reset needs without them.
 */
export async function assertCanSee(actor: Actor, target: OrgUnit, repository: OrgUnitRepository): Promise<void> {
  const own = await actorUnit(actor, repository);
  if (!isWithin(target.path, own.path))
    throw new DomainError(HierarchyErrorCodes.OUTSIDE_SUBTREE, '只能查看本单位及下级单位的信息');
}

export async function actorUnit(actor: Actor, repository: OrgUnitRepository): Promise<OrgUnit> {
  const unit = actor.orgUnitId ? await repository.findById(actor.orgUnitId) : null;
  if (!unit) throw new DomainError(CommonErrorCodes.FORBIDDEN, '当前账号不属于任何单位');
  return unit;
}

export async function requireUnit(repository: OrgUnitRepository, id: string): Promise<OrgUnit> {
  const unit = await repository.findById(id);
  if (!unit) throw new DomainError(HierarchyErrorCodes.ORG_UNIT_NOT_FOUND, '单位不存在');
  return unit;
}
