import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AccountSubjects,
  Actor,
  CommonErrorCodes,
  CreateNodeRequest,
  HierarchyErrorCodes,
  hasRole,
  NodeRequestStatus,
  NodeRequestView,
  NotificationSubjects,
  Page,
  Roles,
} from '@app/contracts';
import { AuditTrail, DomainError, Outbox } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actorUnit } from '../org-units/access';
import { OrgUnit } from '../org-units/org-unit.entity';
import { OrgUnitRepository } from '../org-units/org-unit.repository';
import { checkNewUnitCode, kindOfNewUnit } from './new-unit-code';
import { NodeRequest } from './node-request.entity';
import { NodeRequestRepository } from './node-request.repository';

const UNIQUE_VIOLATION = '23505';

/**
 * 新增节点申请. Only the root decides. Approval creates the unit and, through the outbox in
 * the same transaction, its account (identity), the parent's refreshed workbook (files,
 * after the account exists) and the parent's notice and email (notification): all of it
 * happens, or is retried until it does.
 */
@Injectable()
export class NodeRequestsService {
  constructor(
    private readonly repository: OrgUnitRepository,
    private readonly requests: NodeRequestRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async create(request: CreateNodeRequest): Promise<NodeRequestView> {
    const { actor } = request;
    const parent = await actorUnit(actor, this.repository);
    const code = request.code.trim();
    checkNewUnitCode(code, parent.code);
    if (await this.repository.findByCode(code))
      throw new DomainError(HierarchyErrorCodes.UNIT_CODE_TAKEN, `单位代码 ${code} 已存在`);
    try {
      const saved = await this.dataSource.transaction(async (manager) => {
        const row = await this.requests.insert(manager, {
          name: request.name.trim(),
          code,
          reason: request.reason.trim(),
          status: 'PENDING',
          parentId: parent.id,
          requestedBy: actor.username,
        });
        await this.audit.record(manager, {
          actor,
          action: 'node-request.create',
          targetType: 'node-request',
          targetId: row.id,
          details: { code, name: row.name },
        });
        return row;
      });
      return this.view(saved, parent.name);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION)
        throw new DomainError(HierarchyErrorCodes.UNIT_CODE_TAKEN, `单位代码 ${code} 已有待审批的申请`);
      throw err;
    }
  }

  /** The root sees every request; a unit sees its own. */
  async list(
    actor: Actor,
    status: NodeRequestStatus | undefined,
    page: number,
    pageSize: number,
  ): Promise<Page<NodeRequestView>> {
    const parentId = hasRole(actor, Roles.ROOT) ? undefined : (await actorUnit(actor, this.repository)).id;
    const { rows, total } = await this.requests.page({ parentId, status }, (page - 1) * pageSize, pageSize);
    const parents = new Map(
      (await this.repository.findByIds([...new Set(rows.map((row) => row.parentId))])).map((unit) => [
        unit.id,
        unit.name,
      ]),
    );
    return { items: rows.map((row) => this.view(row, parents.get(row.parentId) ?? '')), total };
  }

  async approve(actor: Actor, id: string): Promise<{ orgUnitId: string }> {
    assertRoot(actor);
    const orgUnitId = await this.dataSource.transaction(async (manager) => {
      const request = await this.lockPending(manager, id);
      const parent = await this.repository.getById(manager, request.parentId);
      if (await this.repository.codeExists(manager, request.code))
        throw new DomainError(HierarchyErrorCodes.UNIT_CODE_TAKEN, `单位代码 ${request.code} 已存在`);
      const unit = await this.repository.insert(manager, {
        id: randomUUID(),
        code: request.code,
        name: request.name,
        level: parent.level + 1,
        kind: kindOfNewUnit(request.code),
        parentId: parent.id,
        path: `${parent.path}.${request.code}`,
      });
      Object.assign(request, {
        status: 'APPROVED',
        decidedAt: new Date(),
        decidedBy: actor.username,
        orgUnitId: unit.id,
      });
      await this.requests.save(manager, request);
      await this.outbox.enqueue(manager, AccountSubjects.ensureUnitAccounts, {
        units: [{ orgUnitId: unit.id, code: unit.code, parentId: parent.id }],
      });
      await this.notifyParent(manager, request, parent, 'approved');
      await this.audit.record(manager, {
        actor,
        action: 'node-request.approve',
        targetType: 'node-request',
        targetId: id,
        details: { code: unit.code, orgUnitId: unit.id },
      });
      return unit.id;
    });
    return { orgUnitId };
  }

  async reject(actor: Actor, id: string, reason: string): Promise<NodeRequestView> {
    assertRoot(actor);
    const { request, parent } = await this.dataSource.transaction(async (manager) => {
      const request = await this.lockPending(manager, id);
      const parent = await this.repository.getById(manager, request.parentId);
      Object.assign(request, {
        status: 'REJECTED',
        decidedAt: new Date(),
        decidedBy: actor.username,
        decisionReason: reason.trim(),
      });
      await this.requests.save(manager, request);
      await this.notifyParent(manager, request, parent, 'rejected');
      await this.audit.record(manager, {
        actor,
        action: 'node-request.reject',
        targetType: 'node-request',
        targetId: id,
        details: { code: request.code },
      });
      return { request, parent };
    });
    return this.view(request, parent.name);
  }

  private async lockPending(manager: EntityManager, id: string): Promise<NodeRequest> {
    const request = await this.requests.findForUpdate(manager, id);
    if (!request) throw new DomainError(HierarchyErrorCodes.NODE_REQUEST_NOT_FOUND, '申请不存在');
    if (request.status !== 'PENDING')
      throw new DomainError(HierarchyErrorCodes.NODE_REQUEST_DECIDED, '该申请已处理，不能重复处理');
    return request;
  }

  private async notifyParent(
    manager: EntityManager,
    request: NodeRequest,
    parent: OrgUnit,
    outcome: 'approved' | 'rejected',
  ): Promise<void> {
    const title =
      outcome === 'approved' ? `新增节点申请已通过：${request.name}` : `新增节点申请未通过：${request.name}`;
    const body =
      outcome === 'approved'
        ? `贵单位申请新增的下级单位“${request.name}”（代码 ${request.code}）已审批通过。其账号已生成，请到 文件中心 → 我的协作组 下载下级单位账号表。`
        : `贵单位申请新增的下级单位“${request.name}”（代码 ${request.code}）未通过审批。理由：${request.decisionReason ?? ''}`;
    const key = `node-request:${request.id}:${outcome}`;
    await this.outbox.enqueue(manager, NotificationSubjects.createNotice, {
      key,
      orgUnitId: parent.id,
      kind: 'node-request',
      title,
      body,
    });
    if (parent.contactEmail) {
      await this.outbox.enqueue(manager, NotificationSubjects.sendMail, {
        key,
        to: [parent.contactEmail],
        subject: `【全国政府网站信息报送系统】${title}`,
        text: `${parent.name}：\n\n${body}\n\n（本邮件由系统自动发送，请勿回复。）`,
      });
    }
  }

  private view(row: NodeRequest, parentName: string): NodeRequestView {
    return {
      id: row.id,
      name: row.name,
      code: row.code,
      reason: row.reason,
      status: row.status,
      parentId: row.parentId,
      parentName,
      requestedBy: row.requestedBy,
      createdAt: row.createdAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
      decidedBy: row.decidedBy,
      decisionReason: row.decisionReason,
      orgUnitId: row.orgUnitId,
    };
  }
}

function assertRoot(actor: Actor): void {
  if (!hasRole(actor, Roles.ROOT))
    throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有国务院办公厅可以审批新增节点申请');
}
