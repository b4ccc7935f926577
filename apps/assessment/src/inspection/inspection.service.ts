import { Injectable } from '@nestjs/common';
import {
  Actor,
  AnswerEntry,
  AssessmentErrorCodes,
  CommonErrorCodes,
  HierarchySubjects,
  INSPECTION_STATUS_LABELS,
  InspectionDetail,
  InspectionSiteView,
  InspectionSummary,
  ListedSite,
  Page,
  SAMPLE_MODE_LABELS,
  SampleSpec,
  ScoreSheet,
  SELF_ASSESSMENT_STATUS_LABELS,
  SiteSubjects,
  VERDICT_LABELS,
} from '@app/contracts';
import { AuditTrail, BusClient, DomainError } from '@app/platform';
import { randomBytes, randomUUID } from 'node:crypto';
import { SelfAssessmentRepository } from '../self-assessment/self-assessment.repository';
import { entries, onSheet, valuesOf } from '../sheet/answers';
import { checkAnswers, evaluate } from '../sheet/engine';
import { MonitoringService } from '../monitoring/monitoring.service';
import { ScoreSheets } from '../sheet/sheets';
import { VerdictRepository } from '../verdict/verdict.repository';
import { EvidenceFiles } from '../evidence/evidence.repository';
import { InspectionRepository, InspectionRow, InspectionSiteRow } from './inspection.repository';
import { drawSample, SampleSize, sampleProblem } from './sample';

/** Sites asked of review per page while drawing a sample. */
const LIST_PAGE = 5000;

/**
 * 检查打分: a unit inspects its own subtree (or a unit below it). The running coded sites there
 * are sampled with a seed (the same seed draws the same sites again), the inspectors score each
 * sampled site on the current score sheet, and a submitted result becomes the site's official
 * verdict, overriding the self-assessment's (which is kept). The inspecting unit and the units
 * above it see and score the inspection; nobody else learns it exists.
 */
@Injectable()
export class InspectionService {
  constructor(
    private readonly repository: InspectionRepository,
    private readonly selfAssessments: SelfAssessmentRepository,
    private readonly verdicts: VerdictRepository,
    private readonly sheets: ScoreSheets,
    private readonly bus: BusClient,
    private readonly audit: AuditTrail,
    private readonly monitoring: MonitoringService,
    private readonly evidence: EvidenceFiles,
  ) {}

  async create(actor: Actor, name: string, orgUnitId: string, sample: SampleSpec): Promise<InspectionDetail> {
    const inspecting = unitOf(actor);
    const size = sampleSize(sample);
    const seed = sample.seed ?? randomBytes(8).toString('hex');
    const problem = sampleProblem(size, seed);
    if (problem) throw new DomainError(CommonErrorCodes.VALIDATION_FAILED, problem, { field: 'sample' });
    // hierarchy checks the unit is the caller's own or below it (ORG_UNIT_NOT_FOUND 404, OUTSIDE_SUBTREE 403).
    const unit = await this.bus.request(HierarchySubjects.get, { actor, id: orgUnitId });
    // The inspecting unit and every unit above it: those see and score the inspection.
    const chain = await this.bus.request(HierarchySubjects.lookup, { ancestorsOf: inspecting });
    const population = await this.population(orgUnitId);
    if (population.size === 0)
      throw new DomainError(
        AssessmentErrorCodes.INSPECTION_NO_SITES,
        `「${unit.name}」及其下级单位没有运行中的已赋码网站，无法抽查`,
      );
    const codes = drawSample([...population.keys()], size, seed);
    const id = randomUUID();
    await this.repository.transaction(async (manager) => {
      await this.repository.create(
        manager,
        {
          id,
          name: name.trim(),
          orgUnitId,
          orgUnitName: unit.name,
          inspectingUnitId: inspecting,
          inspectingUnitName: chain.find((link) => link.id === inspecting)?.name ?? '',
          unitChain: chain.map((link) => link.id),
          sampleMode: sample.mode,
          sampleValue: sample.mode === 'all' ? null : String(sample.value),
          seed,
          population: population.size,
          createdBy: actor.username,
        },
        codes.map((code) => population.get(code) as ListedSite),
      );
      await this.audit.record(manager, {
        actor,
        action: 'inspection.create',
        targetType: 'inspection',
        targetId: id,
        details: {
          name: name.trim(),
          orgUnitId,
          orgUnitName: unit.name,
          mode: sample.mode,
          value: sample.mode === 'all' ? null : sample.value,
          seed,
          population: population.size,
          sampled: codes.length,
        },
      });
    });
    return this.get(actor, id);
  }

  async list(actor: Actor, page: number, pageSize: number): Promise<Page<InspectionSummary>> {
    const { rows, total } = await this.repository.list(unitOf(actor), page, pageSize);
    return { items: rows.map(summary), total };
  }

  async get(actor: Actor, inspectionId: string): Promise<InspectionDetail> {
    const inspection = await this.visible(actor, inspectionId);
    const sites = await this.repository.sites(inspection.id);
    return {
      ...summary(inspection),
      sites: sites.map((site) => ({
        siteCode: site.siteCode,
        siteName: site.siteName,
        ownerOrgUnitId: site.ownerOrgUnitId,
        status: site.status,
        statusLabel: SELF_ASSESSMENT_STATUS_LABELS[site.status],
        verdict: site.result?.verdict ?? null,
        verdictLabel: site.result ? VERDICT_LABELS[site.result.verdict] : null,
        score: site.result?.score ?? null,
        submittedAt: iso(site.submittedAt),
      })),
    };
  }

  async close(actor: Actor, inspectionId: string): Promise<InspectionDetail> {
    await this.visible(actor, inspectionId);
    await this.repository.transaction(async (manager) => {
      const inspection = await this.repository.lock(manager, inspectionId);
      if (!inspection) throw notFound();
      if (inspection.status === 'CLOSED') throw closed();
      await this.repository.close(manager, inspectionId);
      await this.audit.record(manager, {
        actor,
        action: 'inspection.close',
        targetType: 'inspection',
        targetId: inspectionId,
        details: { name: inspection.name, ...inspection.progress },
      });
    });
    return this.get(actor, inspectionId);
  }

  async getSite(actor: Actor, inspectionId: string, siteCode: string): Promise<InspectionSiteView> {
    const inspection = await this.visible(actor, inspectionId);
    return this.siteView(inspection, await this.sampledSite(inspection.id, siteCode));
  }

  /** A site drawn for the inspection; else not found. */
  async sampledSite(inspectionId: string, siteCode: string): Promise<InspectionSiteRow> {
    const site = await this.repository.site(inspectionId, siteCode);
    if (!site) throw siteNotSampled();
    return site;
  }

  async saveSite(
    actor: Actor,
    inspectionId: string,
    siteCode: string,
    vetoes: Record<string, AnswerEntry<boolean>> = {},
    items: Record<string, AnswerEntry> = {},
  ): Promise<InspectionSiteView> {
    await this.visible(actor, inspectionId);
    const sheet = this.sheets.current();
    const given = { vetoes: entries(vetoes, 'vetoes'), items: entries(items, 'items') };
    checkAnswers(sheet, valuesOf(given));
    return this.changeSite(actor, inspectionId, siteCode, async (manager, inspection, site) => {
      if (site.status === 'SUBMITTED') throw alreadySubmitted();
      const answers = onSheet(sheet, {
        vetoes: { ...site.answers.vetoes, ...given.vetoes },
        items: { ...site.answers.items, ...given.items },
      });
      const next = { ...site, status: 'DRAFT' as const, sheetId: sheet.id, sheetVersion: sheet.version, answers };
      await this.repository.writeSite(manager, { ...next, result: null });
      await this.audit.record(manager, {
        actor,
        action: 'inspection.site.save',
        targetType: 'record',
        targetId: site.recordId,
        details: {
          inspectionId,
          inspectionName: inspection.name,
          siteCode: site.siteCode,
          siteName: site.siteName,
          answered: Object.keys(given.vetoes).length + Object.keys(given.items).length,
        },
      });
    });
  }

  /** Scores the answers on the current sheet; the result becomes the site's official verdict. */
  async submitSite(actor: Actor, inspectionId: string, siteCode: string): Promise<InspectionSiteView> {
    await this.visible(actor, inspectionId);
    const sheet = this.sheets.current();
    return this.changeSite(actor, inspectionId, siteCode, async (manager, inspection, site) => {
      if (site.status === 'SUBMITTED') throw alreadySubmitted();
      const answers = onSheet(sheet, site.answers);
      const result = evaluate(sheet, valuesOf(answers));
      await this.repository.writeSite(manager, {
        ...site,
        status: 'SUBMITTED',
        sheetId: sheet.id,
        sheetVersion: sheet.version,
        answers,
        result,
      });
      await this.verdicts.putInspection(manager, site, inspectionId, result);
      await this.audit.record(manager, {
        actor,
        action: 'inspection.site.submit',
        targetType: 'record',
        targetId: site.recordId,
        details: {
          inspectionId,
          inspectionName: inspection.name,
          siteCode: site.siteCode,
          siteName: site.siteName,
          sheetId: sheet.id,
          sheetVersion: sheet.version,
          verdict: result.verdict,
          verdictLabel: result.verdictLabel,
          score: result.score,
          vetoes: result.vetoes.map((veto) => veto.name),
        },
      });
    });
  }

  /** 退回: the inspectors' result goes back to a draft; the verdict before it stands again. */
  async reopenSite(actor: Actor, inspectionId: string, siteCode: string, reason: string): Promise<InspectionSiteView> {
    await this.visible(actor, inspectionId);
    return this.changeSite(actor, inspectionId, siteCode, async (manager, inspection, site) => {
      if (site.status !== 'SUBMITTED')
        throw new DomainError(AssessmentErrorCodes.ASSESSMENT_NOT_SUBMITTED, '该网站的检查评分尚未提交，无需退回');
      await this.repository.writeSite(manager, { ...site, status: 'DRAFT', result: null });
      await this.verdicts.removeInspection(manager, site.siteCode, inspectionId);
      await this.audit.record(manager, {
        actor,
        action: 'inspection.site.reopen',
        targetType: 'record',
        targetId: site.recordId,
        details: {
          inspectionId,
          inspectionName: inspection.name,
          siteCode: site.siteCode,
          siteName: site.siteName,
          reason: reason.trim(),
          verdictLabel: site.result?.verdictLabel ?? null,
        },
      });
    });
  }

  /** Runs a change of one sampled site under the inspection's lock (so it is still open) and the site's. */
  private async changeSite(
    actor: Actor,
    inspectionId: string,
    siteCode: string,
    change: (
      manager: Parameters<Parameters<InspectionRepository['transaction']>[0]>[0],
      inspection: InspectionRow,
      site: InspectionSiteRow,
    ) => Promise<void>,
  ): Promise<InspectionSiteView> {
    await this.repository.transaction(async (manager) => {
      const { inspection, site } = await this.lockOpenSite(manager, inspectionId, siteCode);
      await change(manager, inspection, site);
    });
    return this.getSite(actor, inspectionId, siteCode);
  }

  /**
   * The inspection (still open) and one sampled site of it, locked until the transaction ends
   * (the caller has checked that it may see the inspection). For a change of the site's scoring.
   */
  async lockOpenSite(
    manager: Parameters<Parameters<InspectionRepository['transaction']>[0]>[0],
    inspectionId: string,
    siteCode: string,
  ): Promise<{ inspection: InspectionRow; site: InspectionSiteRow }> {
    const inspection = await this.repository.lock(manager, inspectionId);
    if (!inspection) throw notFound();
    const site = await this.repository.site(inspectionId, siteCode, manager, true);
    if (!site) throw siteNotSampled();
    if (inspection.status === 'CLOSED') throw closed();
    return { inspection, site };
  }

  /** The inspection if the caller's unit made it or is above the unit that did (not the inspected units); else not found. */
  async visible(actor: Actor, inspectionId: string): Promise<InspectionRow> {
    const unit = unitOf(actor);
    const inspection = await this.repository.find(inspectionId);
    if (!inspection || !inspection.unitChain.includes(unit)) throw notFound();
    return inspection;
  }

  /** The running coded sites of the unit's subtree, by 标识码, a page at a time from review. */
  private async population(orgUnitId: string): Promise<Map<string, ListedSite>> {
    const sites = new Map<string, ListedSite>();
    let after: string | undefined;
    for (;;) {
      const page = await this.bus.request(SiteSubjects.list, {
        withinOrgUnitId: orgUnitId,
        activeOnly: true,
        limit: LIST_PAGE,
        ...(after && { after }),
      });
      for (const site of page.sites) sites.set(site.siteCode, site);
      if (!page.next) return sites;
      after = page.next;
    }
  }

  private async siteView(inspection: InspectionRow, site: InspectionSiteRow): Promise<InspectionSiteView> {
    const own = await this.selfAssessments.find(site.siteCode);
    // A submitted result is shown on the sheet version it was computed with.
    const sheet: ScoreSheet =
      (site.status === 'SUBMITTED' && site.sheetId && this.sheets.find(site.sheetId, site.sheetVersion ?? '')) ||
      this.sheets.current();
    return {
      inspectionId: inspection.id,
      inspectionName: inspection.name,
      inspectionStatus: inspection.status,
      siteCode: site.siteCode,
      siteName: site.siteName,
      ownerOrgUnitId: site.ownerOrgUnitId,
      status: site.status,
      statusLabel: SELF_ASSESSMENT_STATUS_LABELS[site.status],
      sheet,
      answers: site.answers,
      result: site.result,
      submittedAt: iso(site.submittedAt),
      updatedAt: iso(site.updatedAt),
      selfAssessment: own && {
        status: own.status,
        statusLabel: SELF_ASSESSMENT_STATUS_LABELS[own.status],
        answers: own.answers,
        result: own.result,
        submittedAt: iso(own.submittedAt),
        evidence: await this.evidence.of({ scope: 'self', siteCode: site.siteCode, inspectionId: null }),
      },
      evidence: await this.evidence.of({ scope: 'inspection', siteCode: site.siteCode, inspectionId: inspection.id }),
      monitoring: await this.monitoring.proposalsFor(site.siteCode, sheet),
    };
  }
}

function sampleSize(sample: SampleSpec): SampleSize {
  if (sample.mode === 'all') return { percent: 100 };
  if (typeof sample.value !== 'number')
    throw new DomainError(
      CommonErrorCodes.VALIDATION_FAILED,
      sample.mode === 'percent' ? '请填写抽查比例 value（%）' : '请填写抽查数量 value',
      { field: 'sample.value' },
    );
  return sample.mode === 'percent' ? { percent: sample.value } : { count: sample.value };
}

function summary(row: InspectionRow): InspectionSummary {
  return {
    id: row.id,
    name: row.name,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    inspectingUnitId: row.inspectingUnitId,
    inspectingUnitName: row.inspectingUnitName,
    status: row.status,
    statusLabel: INSPECTION_STATUS_LABELS[row.status],
    sample: {
      mode: row.sampleMode,
      modeLabel: SAMPLE_MODE_LABELS[row.sampleMode],
      value: row.sampleValue === null ? null : Number(row.sampleValue),
      seed: row.seed,
      population: row.population,
    },
    progress: row.progress,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    closedAt: iso(row.closedAt),
  };
}

function iso(value: Date | string | null): string | null {
  return value ? new Date(value).toISOString() : null;
}

function unitOf(actor: Actor): string {
  if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有单位账号可以进行检查打分');
  return actor.orgUnitId;
}

function notFound(): DomainError {
  return new DomainError(AssessmentErrorCodes.INSPECTION_NOT_FOUND, '未找到该检查，或无权查看');
}

function closed(): DomainError {
  return new DomainError(AssessmentErrorCodes.INSPECTION_CLOSED, '该检查已结束，不能再打分、退回或结束');
}

function siteNotSampled(): DomainError {
  return new DomainError(AssessmentErrorCodes.SITE_NOT_FOUND, '该网站不在本次检查的抽查名单中');
}

export function alreadySubmitted(): DomainError {
  return new DomainError(
    AssessmentErrorCodes.ASSESSMENT_ALREADY_SUBMITTED,
    '该网站的检查评分已提交，不能再修改；如需更正，请先退回',
  );
}
