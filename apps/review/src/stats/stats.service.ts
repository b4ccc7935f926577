import { Injectable } from '@nestjs/common';
import {
  Actor,
  CommonErrorCodes,
  HierarchySubjects,
  NotificationSubjects,
  OrgUnitRecord,
  OrgUnitView,
  REMINDER_SKIP_LABELS,
  ReminderSkipped,
  ReminderSkipReason,
  RemindersResult,
  StatsErrorCodes,
  UnitCounts,
  UnitStatsRow,
  UnitStatsTable,
  ZeroReportState,
} from '@app/contracts';
import { AuditTrail, BusClient, DomainError, Outbox } from '@app/platform';
import { actorUnitId } from '../workflow/record-access';
import { emptyCounts, StatsRepository } from './stats.repository';

/** Children per request to hierarchy (its page limit). */
const CHILD_PAGE = 500;

/** At least one record beyond 未提交. */
function submittedAny(counts: UnitCounts): boolean {
  return counts.websites - counts.byStatus.DRAFT > 0;
}

/**
 * 统计分析, 零报送 and 催报. The counts come from `unit_stats` (kept by triggers as records
 * change, never counted per request); the units, their names and contacts from hierarchy,
 * which also decides whether the caller may see the unit asked for (its subtree rule).
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly bus: BusClient,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
  ) {}

  async units(actor: Actor, orgUnitId: string | undefined): Promise<UnitStatsTable> {
    const own = actorUnitId(actor);
    const target = orgUnitId ?? own;
    // hierarchy checks the subtree (ORG_UNIT_NOT_FOUND 404, OUTSIDE_SUBTREE 403) and gives the unit.
    const [unit, children] = await Promise.all([
      this.bus.request(HierarchySubjects.get, { actor, id: target }),
      this.allChildren(actor, target),
    ]);
    const chain = await this.bus.request(HierarchySubjects.lookup, { ancestorsOf: target });
    const visibleFrom = chain.findIndex((link) => link.id === own);
    const ids = [target, ...children.map((child) => child.id)];
    const [counts, zero, ownCounts] = await Promise.all([
      this.stats.subtreeCounts(ids),
      this.stats.zeroReports(ids),
      this.stats.ownCounts(target),
    ]);
    const row = (view: OrgUnitView): UnitStatsRow => {
      const subtree = counts.get(view.id) ?? emptyCounts();
      const zeroReport = zero.has(view.id);
      return {
        orgUnitId: view.id,
        code: view.code,
        name: view.name,
        unitKind: view.kind,
        childCount: view.childCount,
        ...subtree,
        zeroReport,
        reported: zeroReport || submittedAny(subtree),
      };
    };
    const total = counts.get(target) ?? emptyCounts();
    const childRows = children.map(row);
    return {
      unit: row(unit),
      path: chain.slice(Math.max(visibleFrom, 0)).map((link) => ({ orgUnitId: link.id, name: link.name })),
      own: ownCounts,
      children: childRows,
      total,
      canDeclareZeroReport: target === own && ownCounts.websites === 0,
    };
  }

  /** 零报送: the caller's own unit, refused while the unit owns any record. */
  async declareZeroReport(actor: Actor, orgUnitId: string): Promise<ZeroReportState> {
    this.assertOwnUnit(actor, orgUnitId);
    return this.stats.transaction(async (manager) => {
      const outcome = await this.stats.declareZeroReport(manager, orgUnitId, actor.username);
      if (outcome.hasRecords)
        throw new DomainError(
          StatsErrorCodes.ZERO_REPORT_HAS_RECORDS,
          '本单位已有网站信息，不能声明零报送；如网站均已不存在，请办理关停或注销',
        );
      if (outcome.created)
        await this.audit.record(manager, {
          actor,
          action: 'org-unit.zero-report.declare',
          targetType: 'org-unit',
          targetId: orgUnitId,
        });
      return { orgUnitId, zeroReport: true, declaredAt: outcome.declaredAt?.toISOString() ?? null };
    });
  }

  async withdrawZeroReport(actor: Actor, orgUnitId: string): Promise<ZeroReportState> {
    this.assertOwnUnit(actor, orgUnitId);
    return this.stats.transaction(async (manager) => {
      if (!(await this.stats.withdrawZeroReport(manager, orgUnitId)))
        throw new DomainError(StatsErrorCodes.ZERO_REPORT_NOT_DECLARED, '本单位没有声明零报送，无需撤回');
      await this.audit.record(manager, {
        actor,
        action: 'org-unit.zero-report.withdraw',
        targetType: 'org-unit',
        targetId: orgUnitId,
      });
      return { orgUnitId, zeroReport: false, declaredAt: null };
    });
  }

  /**
   * 催报: each named unit below the caller's that has not reported, or has records waiting at
   * it, gets an in-app notice and a mail to its contact, once a day at most (whoever sends).
   */
  async remind(actor: Actor, orgUnitIds: string[]): Promise<RemindersResult> {
    const own = actorUnitId(actor);
    const ids = [...new Set(orgUnitIds)];
    const units = await this.bus.request(HierarchySubjects.lookup, { ids: [own, ...ids] });
    const byId = new Map(units.map((unit) => [unit.id, unit]));
    const sender = byId.get(own);
    if (!sender) throw new DomainError(CommonErrorCodes.FORBIDDEN, '当前账号不属于任何单位');
    const skipped: ReminderSkipped[] = [];
    const skip = (id: string, unit: OrgUnitRecord | undefined, reason: ReminderSkipReason) =>
      skipped.push({ orgUnitId: id, name: unit?.name ?? null, reason, message: REMINDER_SKIP_LABELS[reason] });
    const below: OrgUnitRecord[] = [];
    for (const id of ids) {
      const unit = byId.get(id);
      if (!unit) skip(id, undefined, 'NOT_FOUND');
      else if (!unit.path.startsWith(`${sender.path}.`)) skip(id, unit, 'OUTSIDE_SUBTREE');
      else below.push(unit);
    }
    const belowIds = below.map((unit) => unit.id);
    const [counts, zero, waiting] = await Promise.all([
      this.stats.subtreeCounts(belowIds),
      this.stats.zeroReports(belowIds),
      this.stats.waitingAt(belowIds),
    ]);
    const due = below.filter((unit) => {
      const reported = zero.has(unit.id) || submittedAny(counts.get(unit.id) ?? emptyCounts());
      if (reported && !waiting.get(unit.id)) {
        skip(unit.id, unit, 'REPORTED');
        return false;
      }
      return true;
    });
    const sent = await this.stats.transaction(async (manager) => {
      const recorded = await this.stats.recordReminders(
        manager,
        due.map((unit) => unit.id),
        { orgUnitId: own, username: actor.username },
      );
      const days = new Map(recorded.map((row) => [row.unitId, row.day]));
      const result = [];
      for (const unit of due) {
        const day = days.get(unit.id);
        if (!day) {
          skip(unit.id, unit, 'ALREADY_REMINDED');
          continue;
        }
        const pending = waiting.get(unit.id) ?? 0;
        const reported = zero.has(unit.id) || submittedAny(counts.get(unit.id) ?? emptyCounts());
        const body =
          `${sender.name}提醒${unit.name}：` +
          (reported ? '' : '本单位尚未报送政府网站信息，请尽快导入并提交；没有政府网站的单位请声明零报送。') +
          (pending > 0 ? `有 ${pending} 条网站信息待本单位处理（提交或审核），请尽快办理。` : '');
        const title = `${sender.name}催报：请尽快报送政府网站信息`;
        await this.outbox.enqueue(manager, NotificationSubjects.createNotice, {
          key: `reminder:${unit.id}:${day}`,
          orgUnitId: unit.id,
          kind: 'reminder',
          title,
          body,
        });
        const email = unit.contact?.email?.trim();
        if (email)
          await this.outbox.enqueue(manager, NotificationSubjects.sendMail, {
            key: `reminder-mail:${unit.id}:${day}`,
            to: [email],
            subject: title,
            text: `${unit.contact?.name ?? ''}您好：\n\n${body}\n\n请登录全国政府网站信息报送系统办理。\n\n（系统邮件，请勿回复）`,
          });
        await this.audit.record(manager, {
          actor,
          action: 'stats.remind',
          targetType: 'org-unit',
          targetId: unit.id,
          details: { day, mailed: Boolean(email), pending, reported },
        });
        result.push({ orgUnitId: unit.id, name: unit.name, mailed: Boolean(email) });
      }
      return result;
    });
    return { sent, skipped };
  }

  private assertOwnUnit(actor: Actor, orgUnitId: string): void {
    if (actorUnitId(actor) !== orgUnitId)
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '只能为本单位声明或撤回零报送');
  }

  private async allChildren(actor: Actor, id: string): Promise<OrgUnitView[]> {
    const children: OrgUnitView[] = [];
    for (let page = 1; ; page++) {
      const next = await this.bus.request(HierarchySubjects.children, { actor, id, page, pageSize: CHILD_PAGE });
      children.push(...next.items);
      if (children.length >= next.total || next.items.length === 0) return children;
    }
  }
}
