import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  CommonErrorCodes,
  HierarchyErrorCodes,
  LookupOrgUnitsRequest,
  OrgUnitDetail,
  OrgUnitRecord,
  OrgUnitView,
  ORG_UNIT_NAME_MATCHES,
  Page,
  UpdateContactRequest,
} from '@app/contracts';
import { AuditTrail, DomainError } from '@app/platform';
import { DataSource } from 'typeorm';
import { assertCanSee, requireUnit } from './access';
import { checkContact } from './contact-rules';
import { OrgUnit } from './org-unit.entity';
import { toDetail, toRecord, toView } from './org-unit.mapper';
import { OrgUnitRepository } from './org-unit.repository';

@Injectable()
export class OrgUnitsService {
  constructor(
    private readonly repository: OrgUnitRepository,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(actor: Actor, id: string): Promise<OrgUnitDetail> {
    const unit = await requireUnit(this.repository, id);
    await assertCanSee(actor, unit, this.repository);
    return this.detail(unit);
  }

  async children(actor: Actor, id: string, page: number, pageSize: number): Promise<Page<OrgUnitView>> {
    const parent = await requireUnit(this.repository, id);
    await assertCanSee(actor, parent, this.repository);
    const { units, total } = await this.repository.children(id, (page - 1) * pageSize, pageSize);
    const counts = await this.repository.childCounts(units.map((unit) => unit.id));
    return { items: units.map((unit) => toView(unit, counts.get(unit.id) ?? 0)), total };
  }

  /** A unit maintains its own contact; nobody else may change it. */
  async updateContact(request: UpdateContactRequest): Promise<OrgUnitDetail> {
    const { actor, id } = request;
    if (actor.orgUnitId !== id) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只能维护本单位的联系人信息');
    const check = checkContact(request);
    if (!check.value) throw new DomainError(HierarchyErrorCodes.INVALID_CONTACT, '联系人信息有误', check.errors);
    const contact = check.value;
    const unit = await this.dataSource.transaction(async (manager) => {
      const target = await this.repository.findForUpdate(manager, id);
      if (!target) throw new DomainError(HierarchyErrorCodes.ORG_UNIT_NOT_FOUND, '单位不存在');
      Object.assign(target, {
        contactName: contact.name,
        contactOfficePhone: contact.officePhone,
        contactMobile: contact.mobile,
        contactEmail: contact.email,
        contactDepartment: contact.department,
      });
      await this.repository.save(manager, target);
      await this.audit.record(manager, {
        actor,
        action: 'org-unit.contact.update',
        targetType: 'org-unit',
        targetId: id,
        details: { code: target.code },
      });
      return target;
    });
    return this.detail(unit);
  }

  /** Internal: resolve units by id, code or parent, with their parents' names. */
  async lookup(request: LookupOrgUnitsRequest): Promise<OrgUnitRecord[]> {
    const units: OrgUnit[] = [];
    if (request.ids?.length) units.push(...(await this.repository.findByIds(request.ids)));
    if (request.codes?.length) units.push(...(await this.repository.findByCodes(request.codes)));
    if (request.parentId) units.push(...(await this.repository.allChildren(request.parentId)));
    if (request.ancestorsOf) units.push(...(await this.ancestors(request.ancestorsOf)));
    const name = request.nameContains?.trim();
    if (name) units.push(...(await this.repository.findByNameContaining(name, ORG_UNIT_NAME_MATCHES)));
    const parentIds = [...new Set(units.map((unit) => unit.parentId).filter((id): id is string => id !== null))];
    const parents = new Map((await this.repository.findByIds(parentIds)).map((parent) => [parent.id, parent.name]));
    return units.map((unit) => toRecord(unit, unit.parentId ? (parents.get(unit.parentId) ?? null) : null));
  }

  /** The unit and its ancestors, root first: the codes of its path, one indexed query. */
  private async ancestors(id: string): Promise<OrgUnit[]> {
    const unit = await this.repository.findById(id);
    if (!unit) return [];
    const codes = unit.path.split('.');
    const found = await this.repository.findByCodes(codes);
    return found.sort((a, b) => a.level - b.level);
  }

  private async detail(unit: OrgUnit): Promise<OrgUnitDetail> {
    const [counts, parent] = await Promise.all([
      this.repository.childCounts([unit.id]),
      unit.parentId ? this.repository.findById(unit.parentId) : null,
    ]);
    return toDetail(unit, counts.get(unit.id) ?? 0, parent?.name ?? null);
  }
}
