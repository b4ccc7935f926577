import { IsOptional, IsString } from 'class-validator';
import { subject } from '../subject';
import { SiteRequest } from './assessment.contract';

/** One registered 栏目 as probed on a day. */
export interface MonitoredColumn {
  name: string;
  url: string;
  category: string;
  ok: boolean;
  /** Why the page did not open (a probe failure cause), or null. */
  cause: string | null;
  /** The newest publish date on the page, `YYYY-MM-DD`, or null. */
  newest: string | null;
  blank: boolean;
}

export interface BrokenLink {
  url: string;
  cause: string;
  status: number | null;
}

/** A Beijing day of monitoring of one site (assessment.monitor_daily). */
export interface MonitoringDay {
  day: string;
  homepageProbes: number;
  homepageFailures: number;
  failuresByCause: Record<string, number>;
  /** Percentage of homepage visits that opened (0–100, two decimals), null without visits. */
  availability: number | null;
  homepageNewest: string | null;
  columns: MonitoredColumn[];
  blankColumns: number;
  linksChecked: number;
  brokenLinks: number;
  broken: BrokenLink[];
}

/** A veto or deduction monitoring proposes for the score sheet, with what it rests on. */
export interface MonitoringProposal {
  /** The veto's or item's key in the score sheet. */
  key: string;
  name: string;
  kind: 'veto' | 'deduction';
  /** A veto: true; a deduction: the item's answer (a count or a percentage). */
  value: boolean | number;
  /** Why, in a sentence (zh-CN). */
  text: string;
  evidence: Record<string, unknown>;
}

/** What monitoring proposes for one site over a recent range (shown to inspectors beside the sheet). */
export interface MonitoringSummary {
  /** Whether the site is monitored now (approved, running and synced). */
  monitored: boolean;
  from: string;
  to: string;
  /** Days of the range with at least one homepage probe. */
  daysWithProbes: number;
  proposals: MonitoringProposal[];
}

export interface MonitoringView {
  siteCode: string;
  siteName: string;
  /** The homepage monitored (null when the site is not in the registry: not running or not yet synced). */
  homepageUrl: string | null;
  /** Whether the site is monitored now. */
  monitored: boolean;
  probesPerDay: number;
  from: string;
  to: string;
  days: MonitoringDay[];
  proposals: MonitoringProposal[];
}

/** `from`/`to`: Beijing days `YYYY-MM-DD` (default: the last 7 days up to today). */
export class MonitoringRequest extends SiteRequest {
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
}

/** What 立即探测 found on the homepage. */
export interface ProbeNowResult {
  url: string;
  ok: boolean;
  cause: string | null;
  causeLabel: string | null;
  status: number | null;
  elapsedMs: number;
  newestDate: string | null;
  blank: boolean | null;
  linksFound: number;
  at: string;
}

export const MonitoringSubjects = {
  get: subject<MonitoringRequest, MonitoringView>('assessment.monitoring.get'),
  probe: subject<SiteRequest, ProbeNowResult>('assessment.monitoring.probe'),
};
