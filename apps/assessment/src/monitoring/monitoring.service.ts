import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  AssessmentErrorCodes,
  CommonErrorCodes,
  hasRole,
  MonitoringDay,
  MonitoringSummary,
  MonitoringView,
  ProbeNowResult,
  Roles,
  ScoreSheet,
  SiteInfo,
  SiteSubjects,
} from '@app/contracts';
import { APP_CONFIG, AuditTrail, BusClient, DomainError } from '@app/platform';
import { DataSource } from 'typeorm';
import { AssessmentConfig } from '../assessment.settings';
import { ScoreSheets } from '../sheet/sheets';
import { DailyRow } from './monitor.repository';
import { MonitorRuntime } from './monitor-runtime';
import { analyzePage, beijingDay, HostLimiter, probe, PROBE_FAILURE_LABELS, ProbeFailure } from './probe';
import { proposeFromMonitoring } from './proposals';

const DAY_MS = 86_400_000;
/** The default range: the last 7 days, today included. */
const DEFAULT_DAYS = 7;
/**
 * What the proposals shown to inspectors read: the last two weeks, the longest a census check
 * monitors (网站不更新); the column checks read the newest dates those days found.
 */
export const PROPOSAL_DAYS = 14;
const MAX_RANGE_DAYS = 366;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What monitoring found for one site, and 立即探测. Who sees a site is decided as for its
 * self-assessment, from review's owner chain: the site itself, its owner unit and every unit
 * above; anyone else is told the site does not exist. 立即探测 is for the units above the
 * owner (and the root), rate-limited per site, audited.
 */
@Injectable()
export class MonitoringService {
  private readonly limiter = new HostLimiter();

  constructor(
    private readonly runtime: MonitorRuntime,
    private readonly sheets: ScoreSheets,
    private readonly bus: BusClient,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AssessmentConfig,
  ) {}

  async view(actor: Actor, siteCode: string, from?: string, to?: string): Promise<MonitoringView> {
    const range = parseRange(from, to, Date.now());
    const site = await this.visibleSite(actor, siteCode);
    const repository = this.runtime.repository;
    const registered = await repository.site(site.siteCode);
    const days = (await repository.days(site.siteCode, range.from, range.to)).map(toDay);
    return {
      siteCode: site.siteCode,
      siteName: site.siteName,
      homepageUrl: registered?.homepageUrl ?? null,
      monitored: registered !== null,
      probesPerDay: this.config.MONITOR_HOMEPAGE_PROBES_PER_DAY,
      from: range.from,
      to: range.to,
      days,
      proposals: proposeFromMonitoring(this.sheets.current(), days, range),
    };
  }

  /**
   * What monitoring proposes for a site on `sheet` from the last PROPOSAL_DAYS days up to today
   * (for inspectors scoring it: the caller has checked who may see the site).
   */
  async proposalsFor(siteCode: string, sheet: ScoreSheet, now = Date.now()): Promise<MonitoringSummary> {
    const to = beijingDay(new Date(now));
    const from = beijingDay(new Date(Date.parse(`${to}T00:00:00Z`) - (PROPOSAL_DAYS - 1) * DAY_MS));
    const repository = this.runtime.repository;
    const [registered, rows] = await Promise.all([repository.site(siteCode), repository.days(siteCode, from, to)]);
    const days = rows.map(toDay);
    return {
      monitored: registered !== null,
      from,
      to,
      daysWithProbes: days.filter((day) => day.homepageProbes > 0).length,
      proposals: proposeFromMonitoring(sheet, days, { from, to }),
    };
  }

  async probeNow(actor: Actor, siteCode: string): Promise<ProbeNowResult> {
    const site = await this.visibleSite(actor, siteCode);
    const above = actor.orgUnitId !== null && actor.orgUnitId !== site.ownerOrgUnitId;
    if (hasRole(actor, Roles.SITE) || !(above || hasRole(actor, Roles.ROOT)))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '立即探测由网站主办单位的上级单位发起');
    const repository = this.runtime.repository;
    const registered = await repository.site(site.siteCode);
    if (!registered)
      throw new DomainError(
        AssessmentErrorCodes.SITE_NOT_MONITORED,
        '该网站不在监测范围内（未处于运行中，或尚未同步到监测），不能探测',
      );
    const interval = this.config.MONITOR_MANUAL_PROBE_INTERVAL_SECONDS;
    if (!(await repository.takeManualTurn(site.siteCode, interval)))
      throw new DomainError(CommonErrorCodes.RATE_LIMITED, `该网站刚刚探测过，请${interval}秒后再试`, {
        retryAfterSeconds: interval,
      });
    const url = registered.homepageUrl;
    const result = await probe(url, {
      allowPrivateTargets: this.config.MONITOR_ALLOW_PRIVATE_TARGETS,
      limiter: this.limiter,
    });
    const at = new Date();
    const page = result.reachable && result.html ? analyzePage(result.html, result.finalUrl, at) : null;
    const cause = result.failure ?? null;
    const answer: ProbeNowResult = {
      url,
      ok: result.reachable,
      cause,
      causeLabel: cause ? PROBE_FAILURE_LABELS[cause as ProbeFailure] : null,
      status: result.status ?? null,
      elapsedMs: result.elapsedMs,
      newestDate: page?.newestDate ?? null,
      blank: page ? page.blank : null,
      linksFound: page?.links.length ?? 0,
      at: at.toISOString(),
    };
    await repository.ensurePartition(beijingDay(at));
    await this.dataSource.transaction(async (manager) => {
      await repository.recordManual(
        manager,
        site.siteCode,
        url,
        {
          ok: answer.ok,
          cause,
          status: answer.status,
          elapsedMs: answer.elapsedMs,
          probedAt: at,
          newest: answer.newestDate,
          blank: answer.blank,
        },
        { actor: actor.username, linksFound: answer.linksFound },
      );
      await this.audit.record(manager, {
        actor,
        action: 'monitoring.probe',
        targetType: 'record',
        targetId: site.recordId,
        details: {
          siteCode: site.siteCode,
          siteName: site.siteName,
          url,
          ok: answer.ok,
          cause,
          causeLabel: answer.causeLabel,
          status: answer.status,
          elapsedMs: answer.elapsedMs,
        },
      });
    });
    return answer;
  }

  /** The site the caller may see: the site itself (SITE), its owner unit and every unit above; else not found. */
  private async visibleSite(actor: Actor, siteCode: string): Promise<SiteInfo> {
    const { site } = await this.bus.request(SiteSubjects.lookup, { siteCode });
    const visible =
      site &&
      (hasRole(actor, Roles.SITE)
        ? actor.siteCode === site.siteCode
        : actor.orgUnitId !== null && site.ownerChain.includes(actor.orgUnitId));
    if (!site || !visible) throw new DomainError(AssessmentErrorCodes.SITE_NOT_FOUND, '未找到该网站，或无权查看其评分');
    return site;
  }
}

function toDay(row: DailyRow): MonitoringDay {
  return {
    day: row.day,
    homepageProbes: row.homepageProbes,
    homepageFailures: row.homepageFailures,
    failuresByCause: row.failuresByCause,
    availability:
      row.homepageProbes > 0
        ? Math.round(((row.homepageProbes - row.homepageFailures) / row.homepageProbes) * 10_000) / 100
        : null,
    homepageNewest: row.homepageNewest,
    columns: row.columns,
    blankColumns: row.blankColumns,
    linksChecked: row.linksChecked,
    brokenLinks: row.brokenLinks,
    broken: row.broken,
  };
}

function invalidRange(message: string): DomainError {
  return new DomainError(CommonErrorCodes.VALIDATION_FAILED, message);
}

function isDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `from`–`to` (Beijing days, inclusive), checked; default the last 7 days up to today. */
export function parseRange(
  from: string | undefined,
  to: string | undefined,
  now: number,
): { from: string; to: string } {
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (value !== undefined && value !== '' && !isDay(value))
      throw invalidRange(`${name === 'from' ? '开始日期' : '结束日期'}应为有效日期，格式为 YYYY-MM-DD`);
  const end = to || beijingDay(new Date(now));
  const start = from || beijingDay(new Date(Date.parse(`${end}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS));
  if (start > end) throw invalidRange('开始日期不能晚于结束日期');
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS) + 1;
  if (days > MAX_RANGE_DAYS) throw invalidRange(`查询范围不能超过${MAX_RANGE_DAYS}天`);
  return { from: start, to: end };
}
