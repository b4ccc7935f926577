import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  AssessmentCounts,
  AssessmentFailure,
  AssessmentFailuresPage,
  AssessmentResult,
  AssessmentStatsTable,
  CommonErrorCodes,
  HierarchySubjects,
  SelfAssessmentAnswers,
  StatsSubjects,
  UnitCounts,
  VERDICT_SOURCE_LABELS,
  VerdictSource,
} from '@app/contracts';
import { AuditTrail, BusClient, DomainError } from '@app/platform';
import { DataSource } from 'typeorm';
import { ScoreSheets } from '../sheet/sheets';

interface CountsRow {
  child: string | null;
  total: boolean;
  assessed: number;
  pass: number;
  fail: number;
  self: number;
  inspection: number;
  average: number | null;
}

interface VetoRow {
  child: string | null;
  total: boolean;
  key: string;
  sites: number;
}

/**
 * 统计: the official verdicts (assessment.verdict) of a unit's subtree, per direct child unit
 * (its whole subtree), the unit's own sites and the total. A unit's subtree is `owner_chain @>
 * ARRAY[unit]` on the verdict's GIN index; the child a site counts under is the unit just below
 * on its owner chain. The number of coded sites and the children come from review's statistics,
 * which also checks that the unit asked for is the caller's own or below it.
 */
@Injectable()
export class AssessmentStatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sheets: ScoreSheets,
    private readonly bus: BusClient,
    private readonly audit: AuditTrail,
  ) {}

  /** The gateway wrote the 评分统计 workbook of the unit (already checked by `stats`): recorded in the audit log. */
  async exported(
    actor: Actor,
    orgUnitId: string | undefined,
    rows: number,
    failures: number,
  ): Promise<{ recorded: true }> {
    const target = orgUnitId ?? unitOf(actor);
    // hierarchy refuses a unit outside the caller's subtree, and gives its name.
    const unit = await this.bus.request(HierarchySubjects.get, { actor, id: target });
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        actor,
        action: 'assessment.stats.export',
        targetType: 'org-unit',
        targetId: target,
        details: { unitName: unit.name, rows, failures },
      }),
    );
    return { recorded: true };
  }

  async stats(actor: Actor, orgUnitId: string | undefined): Promise<AssessmentStatsTable> {
    const target = orgUnitId ?? unitOf(actor);
    // review (through hierarchy) refuses a unit outside the caller's subtree: 404 / 403 OUTSIDE_SUBTREE.
    const units = await this.bus.request(StatsSubjects.units, { actor, orgUnitId: target });
    const [counts, vetoes] = await Promise.all([this.counts(target), this.vetoCounts(target)]);
    const scope = (pick: (row: { child: string | null; total: boolean }) => boolean, sites: UnitCounts) => {
      const row = counts.find(pick);
      const byVeto = Object.fromEntries(vetoes.filter(pick).map((veto) => [veto.key, veto.sites]));
      return countsOf(row, byVeto, sites);
    };
    return {
      unit: { orgUnitId: units.unit.orgUnitId, code: units.unit.code, name: units.unit.name },
      path: units.path,
      vetoes: this.sheets.current().vetoes.map((veto) => ({ key: veto.key, name: veto.name })),
      children: units.children.map((child) => ({
        orgUnitId: child.orgUnitId,
        code: child.code,
        name: child.name,
        ...scope((row) => !row.total && row.child === child.orgUnitId, child),
      })),
      own: scope((row) => !row.total && row.child === null, units.own),
      total: scope((row) => row.total, units.total),
    };
  }

  async failures(
    actor: Actor,
    orgUnitId: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<AssessmentFailuresPage> {
    const target = orgUnitId ?? unitOf(actor);
    // hierarchy refuses a unit outside the caller's subtree (ORG_UNIT_NOT_FOUND 404, OUTSIDE_SUBTREE 403).
    if (orgUnitId && orgUnitId !== actor.orgUnitId)
      await this.bus.request(HierarchySubjects.get, { actor, id: target });
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT v.site_code AS "siteCode", v.site_name AS "siteName", v.owner_org_unit_id AS "ownerOrgUnitId",
                v.source, v.inspection_id AS "inspectionId", v.score::float AS score, v.result, v.sheet_version AS "sheetVersion",
                v.decided_at AS "decidedAt", coalesce(i.answers, s.answers) AS answers
           FROM verdict v
           LEFT JOIN inspection_site i ON v.source = 'INSPECTION' AND i.inspection_id = v.inspection_id AND i.site_code = v.site_code
           LEFT JOIN self_assessment s ON v.source = 'SELF' AND s.site_code = v.site_code
          WHERE v.owner_chain @> ARRAY[$1::uuid] AND v.verdict = 'FAIL'
          ORDER BY v.site_code LIMIT $2 OFFSET $3`,
        [target, pageSize, (page - 1) * pageSize],
      ),
      this.dataSource.query(
        `SELECT count(*)::int AS total FROM verdict WHERE owner_chain @> ARRAY[$1::uuid] AND verdict = 'FAIL'`,
        [target],
      ),
    ]);
    return { items: (rows as FailureRow[]).map(failureOf), total: total as number };
  }

  private async counts(unit: string): Promise<CountsRow[]> {
    return this.dataSource.query(VERDICT_COUNTS_SQL, [unit]);
  }

  private async vetoCounts(unit: string): Promise<VetoRow[]> {
    return this.dataSource.query(VETO_COUNTS_SQL, [unit]);
  }
}

/**
 * The verdicts of unit $1's subtree per direct child (the unit just below $1 on the owner chain;
 * null: $1's own sites), and the total (`total`): on the GIN index of owner_chain.
 */
export const VERDICT_COUNTS_SQL = `WITH v AS (
    SELECT owner_chain[array_position(owner_chain, $1::uuid) + 1] AS child, verdict, score, source
      FROM verdict WHERE owner_chain @> ARRAY[$1::uuid])
  SELECT child::text AS child, grouping(child) = 1 AS total, count(*)::int AS assessed,
         count(*) FILTER (WHERE verdict = 'PASS')::int AS pass, count(*) FILTER (WHERE verdict = 'FAIL')::int AS fail,
         count(*) FILTER (WHERE source = 'SELF')::int AS self,
         count(*) FILTER (WHERE source = 'INSPECTION')::int AS inspection,
         round(avg(score), 1)::float AS average
    FROM v GROUP BY GROUPING SETS ((child), ())`;

/** 不合格 by veto, per direct child of unit $1 and in total. */
export const VETO_COUNTS_SQL = `WITH v AS (
    SELECT owner_chain[array_position(owner_chain, $1::uuid) + 1] AS child, key
      FROM verdict, unnest(vetoes) AS key WHERE owner_chain @> ARRAY[$1::uuid] AND verdict = 'FAIL')
  SELECT child::text AS child, grouping(child) = 1 AS total, key, count(*)::int AS sites
    FROM v GROUP BY GROUPING SETS ((child, key), (key))`;

interface FailureRow {
  siteCode: string;
  siteName: string;
  ownerOrgUnitId: string;
  source: VerdictSource;
  inspectionId: string | null;
  score: number | null;
  result: AssessmentResult;
  sheetVersion: string;
  decidedAt: Date;
  answers: SelfAssessmentAnswers | null;
}

function failureOf(row: FailureRow): AssessmentFailure {
  const answers = row.answers ?? { vetoes: {}, items: {} };
  const evidence: AssessmentFailure['evidence'] = [];
  for (const veto of row.result.vetoes) {
    const entry = answers.vetoes[veto.key];
    evidence.push({
      key: veto.key,
      name: veto.name,
      note: entry?.note ?? null,
      evidenceUrl: entry?.evidenceUrl ?? null,
    });
  }
  for (const item of row.result.deductions) {
    const entry = answers.items[item.key];
    if (item.deducted > 0 && (entry?.note || entry?.evidenceUrl))
      evidence.push({
        key: item.key,
        name: item.name,
        note: entry.note ?? null,
        evidenceUrl: entry.evidenceUrl ?? null,
      });
  }
  return {
    siteCode: row.siteCode,
    siteName: row.siteName,
    ownerOrgUnitId: row.ownerOrgUnitId,
    source: row.source,
    sourceLabel: VERDICT_SOURCE_LABELS[row.source],
    inspectionId: row.inspectionId,
    score: row.score,
    vetoes: row.result.vetoes,
    evidence,
    sheetVersion: row.sheetVersion,
    decidedAt: new Date(row.decidedAt).toISOString(),
  };
}

function countsOf(row: CountsRow | undefined, byVeto: Record<string, number>, sites: UnitCounts): AssessmentCounts {
  return {
    sites: sites.byStatus.APPROVED ?? 0,
    assessed: row?.assessed ?? 0,
    pass: row?.pass ?? 0,
    fail: row?.fail ?? 0,
    byVeto,
    bySource: { SELF: row?.self ?? 0, INSPECTION: row?.inspection ?? 0 },
    averageScore: row?.average ?? null,
  };
}

function unitOf(actor: Actor): string {
  if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以查看评分统计');
  return actor.orgUnitId;
}
