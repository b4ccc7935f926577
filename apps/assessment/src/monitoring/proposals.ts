import { MonitoredColumn, MonitoringDay, MonitoringProposal, ScoreSheet } from '@app/contracts';

/** What the proposals read of a day (a MonitoringDay or a monitor_daily row). */
export type ProposalDay = Pick<
  MonitoringDay,
  | 'day'
  | 'homepageProbes'
  | 'homepageFailures'
  | 'failuresByCause'
  | 'homepageNewest'
  | 'columns'
  | 'blankColumns'
  | 'linksChecked'
  | 'brokenLinks'
  | 'broken'
>;

/**
 * The thresholds of the census sheet's automatic checks (census-2015 v1, vetoes and items):
 *
 * - 站点无法访问: at least 7 monitored days with at least 20 homepage visits each, and the
 *   homepage failed to open (within 15 s) in at least 5% of the visits of those days.
 * - 网站不更新: at least 14 monitored days, and no homepage publish date within the 14 days up
 *   to `to` (a homepage with no date counts as not updated).
 * - 栏目不更新, any one of: at least 5 columns not updated in time — 动态/要闻-like columns
 *   (name has 动态, 要闻, 新闻, 资讯, 头条, 快讯) within 14 days, 通知公告/政策文件-like ones
 *   (通知, 公告, 政策, 文件, 法规, 规划) within 6 months (183 days); at least 10 other
 *   information columns not updated within a year; at least 5 blank columns on the last day
 *   the columns were probed.
 * - 链接可用性: the distinct broken links found in the range (one point each, capped by the engine).
 * - 首页可用性: the percentage of homepage visits that failed in the range.
 */
export const MONITORING_RULES = {
  unreachableMinDays: 7,
  unreachableMinVisits: 20,
  unreachableRatio: 0.05,
  notUpdatedMinDays: 14,
  notUpdatedWithinDays: 14,
  newsColumnDays: 14,
  noticeColumnDays: 183,
  otherColumnDays: 365,
  columnsNotUpdated: 5,
  columnsLongNotUpdated: 10,
  blankColumns: 5,
} as const;

const NEWS_COLUMN = /动态|要闻|新闻|资讯|头条|快讯/;
const NOTICE_COLUMN = /通知|公告|政策|文件|法规|规划/;
const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
}

function addCauses(into: Record<string, number>, from: Record<string, number>): void {
  for (const [cause, count] of Object.entries(from ?? {})) into[cause] = (into[cause] ?? 0) + count;
}

interface ColumnState {
  name: string;
  url: string;
  category: string;
  newest: string | null;
  lastDay: string;
  ok: boolean;
  blank: boolean;
}

/** Each column's newest date over the range and its state on the last day it was probed. */
function columnStates(days: ProposalDay[]): Map<string, ColumnState> {
  const states = new Map<string, ColumnState>();
  for (const day of days)
    for (const column of day.columns as MonitoredColumn[]) {
      const previous = states.get(column.url);
      const newest =
        previous?.newest && (!column.newest || previous.newest > column.newest) ? previous.newest : column.newest;
      states.set(column.url, {
        name: column.name,
        url: column.url,
        category: column.category,
        newest,
        lastDay: day.day,
        ok: column.ok,
        blank: column.blank,
      });
    }
  return states;
}

/**
 * The vetoes and deductions the monitoring of `days` (one site's daily rows, any order) proposes
 * on `sheet` for the range `from`–`to` (Beijing days, inclusive): only those the sheet has and
 * whose condition holds, each with its evidence. Pure: the same rows give the same proposals.
 */
export function proposeFromMonitoring(
  sheet: ScoreSheet,
  dailyRows: ProposalDay[],
  range: { from: string; to: string },
): MonitoringProposal[] {
  const days = dailyRows
    .filter((row) => row.day >= range.from && row.day <= range.to)
    .sort((a, b) => a.day.localeCompare(b.day));
  const veto = (key: string) => sheet.vetoes.find((v) => v.key === key);
  const item = (key: string) => sheet.groups.flatMap((group) => group.items).find((i) => i.key === key);
  const proposals: MonitoringProposal[] = [];
  const R = MONITORING_RULES;

  // 站点无法访问
  const visited = days.filter((day) => day.homepageProbes >= R.unreachableMinVisits);
  const visits = visited.reduce((sum, day) => sum + day.homepageProbes, 0);
  const failures = visited.reduce((sum, day) => sum + day.homepageFailures, 0);
  const unreachable = veto('site-unreachable');
  if (unreachable && visited.length >= R.unreachableMinDays && failures / visits >= R.unreachableRatio) {
    const byCause: Record<string, number> = {};
    visited.forEach((day) => addCauses(byCause, day.failuresByCause));
    proposals.push({
      key: unreachable.key,
      name: unreachable.name,
      kind: 'veto',
      value: true,
      text: `监测${visited.length}天（每天访问${R.unreachableMinVisits}次以上），首页共访问${visits}次，打不开${failures}次，占${percent(failures, visits)}%，达到${R.unreachableRatio * 100}%。`,
      evidence: {
        days: visited.map((day) => ({ day: day.day, probes: day.homepageProbes, failures: day.homepageFailures })),
        visits,
        failures,
        percent: percent(failures, visits),
        failuresByCause: byCause,
      },
    });
  }

  // 网站不更新
  const monitored = days.filter((day) => day.homepageProbes > 0);
  const newest = monitored.reduce<string | null>(
    (max, day) => (day.homepageNewest && (!max || day.homepageNewest > max) ? day.homepageNewest : max),
    null,
  );
  const notUpdated = veto('site-not-updated');
  if (
    notUpdated &&
    monitored.length >= R.notUpdatedMinDays &&
    (!newest || daysBetween(newest, range.to) >= R.notUpdatedWithinDays)
  ) {
    proposals.push({
      key: notUpdated.key,
      name: notUpdated.name,
      kind: 'veto',
      value: true,
      text: newest
        ? `监测${monitored.length}天，首页最新信息发布于${newest}，${R.notUpdatedWithinDays}天内无更新。`
        : `监测${monitored.length}天，首页未见注明发布时间的信息，视为不更新。`,
      evidence: { monitoredDays: monitored.length, first: monitored[0].day, last: monitored.at(-1)!.day, newest },
    });
  }

  // 栏目不更新
  const columns = [...columnStates(days).values()];
  const stale = (column: ColumnState, within: number) =>
    !column.newest || daysBetween(column.newest, range.to) >= within;
  const late = columns.filter(
    (column) =>
      (NEWS_COLUMN.test(column.name) && stale(column, R.newsColumnDays)) ||
      (!NEWS_COLUMN.test(column.name) && NOTICE_COLUMN.test(column.name) && stale(column, R.noticeColumnDays)),
  );
  const longLate = columns.filter(
    (column) =>
      !NEWS_COLUMN.test(column.name) &&
      !NOTICE_COLUMN.test(column.name) &&
      column.category === 'information' &&
      !column.blank &&
      stale(column, R.otherColumnDays),
  );
  const lastColumnDay = [...days].reverse().find((day) => day.columns.length > 0);
  const blank = lastColumnDay ? (lastColumnDay.columns as MonitoredColumn[]).filter((column) => column.blank) : [];
  const columnsVeto = veto('columns-not-updated');
  if (columnsVeto) {
    const reasons: string[] = [];
    if (late.length >= R.columnsNotUpdated)
      reasons.push(`${late.length}个动态要闻类或通知公告、政策文件类栏目未按期更新`);
    if (longLate.length >= R.columnsLongNotUpdated) reasons.push(`${longLate.length}个栏目超过一年未更新`);
    if (blank.length >= R.blankColumns) reasons.push(`${blank.length}个空白栏目（${lastColumnDay!.day}）`);
    if (reasons.length > 0) {
      const brief = (column: ColumnState | MonitoredColumn) => ({
        name: column.name,
        url: column.url,
        newest: column.newest,
      });
      proposals.push({
        key: columnsVeto.key,
        name: columnsVeto.name,
        kind: 'veto',
        value: true,
        text: `${reasons.join('；')}。`,
        evidence: {
          notUpdated: late.map(brief),
          longNotUpdated: longLate.map(brief),
          blank: blank.map(brief),
          blankDay: lastColumnDay?.day ?? null,
        },
      });
    }
  }

  // 首页可用性
  const allVisits = monitored.reduce((sum, day) => sum + day.homepageProbes, 0);
  const allFailures = monitored.reduce((sum, day) => sum + day.homepageFailures, 0);
  const availability = item('homepage-availability');
  if (availability && allFailures > 0) {
    proposals.push({
      key: availability.key,
      name: availability.name,
      kind: 'deduction',
      value: percent(allFailures, allVisits),
      text: `首页访问${allVisits}次，打不开${allFailures}次，占${percent(allFailures, allVisits)}%。`,
      evidence: { visits: allVisits, failures: allFailures, days: monitored.length },
    });
  }

  // 链接可用性
  const brokenByUrl = new Map<string, { url: string; cause: string; status: number | null; day: string }>();
  for (const day of days)
    for (const link of day.broken) if (!brokenByUrl.has(link.url)) brokenByUrl.set(link.url, { ...link, day: day.day });
  const links = item('link-availability');
  if (links && brokenByUrl.size > 0) {
    proposals.push({
      key: links.key,
      name: links.name,
      kind: 'deduction',
      value: brokenByUrl.size,
      text: `抽查首页链接${days.reduce((sum, day) => sum + day.linksChecked, 0)}次，发现${brokenByUrl.size}个不能正常访问的链接。`,
      evidence: { broken: [...brokenByUrl.values()] },
    });
  }
  return proposals;
}
