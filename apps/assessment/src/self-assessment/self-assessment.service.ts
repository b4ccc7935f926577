import { Injectable } from '@nestjs/common';
import {
  Actor,
  AnswerEntry,
  AssessmentErrorCodes,
  CommonErrorCodes,
  hasRole,
  Roles,
  ScoreSheet,
  SELF_ASSESSMENT_STATUS_LABELS,
  SelfAssessmentView,
  SiteInfo,
  SiteSubjects,
} from '@app/contracts';
import { AuditTrail, BusClient, DomainError } from '@app/platform';
import { entries, onSheet, valuesOf } from '../sheet/answers';
import { checkAnswers, evaluate } from '../sheet/engine';
import { ScoreSheets } from '../sheet/sheets';
import { VerdictRepository } from '../verdict/verdict.repository';
import { EvidenceFiles } from '../evidence/evidence.repository';
import { SelfAssessmentRepository, SelfAssessmentRow } from './self-assessment.repository';

/**
 * 自查评分: the site (signed in with its 校验码) fills in the current score sheet — per veto and
 * item a value, a note, a link to evidence — and submits it; the engine computes the verdict on
 * that sheet version and it is stored with it. The owner unit and every unit above it see it and
 * may send a submitted one back (reopen) for correction; nobody else learns the site exists.
 */
@Injectable()
export class SelfAssessmentService {
  constructor(
    private readonly repository: SelfAssessmentRepository,
    private readonly verdicts: VerdictRepository,
    private readonly sheets: ScoreSheets,
    private readonly bus: BusClient,
    private readonly audit: AuditTrail,
    private readonly evidence: EvidenceFiles,
  ) {}

  async get(actor: Actor, siteCode: string): Promise<SelfAssessmentView> {
    const site = await this.visibleSite(actor, siteCode);
    return this.view(site, await this.repository.find(site.siteCode));
  }

  async save(
    actor: Actor,
    siteCode: string,
    vetoes: Record<string, AnswerEntry<boolean>> = {},
    items: Record<string, AnswerEntry> = {},
  ): Promise<SelfAssessmentView> {
    const site = await this.ownSite(actor, siteCode);
    const sheet = this.sheets.current();
    const given = { vetoes: entries(vetoes, 'vetoes'), items: entries(items, 'items') };
    checkAnswers(sheet, valuesOf(given));
    const row = await this.repository.transaction(async (manager) => {
      const current = await this.repository.lock(manager, site, sheet);
      if (current.status === 'SUBMITTED') throw alreadySubmitted();
      // A draft follows the current sheet: answers to keys it no longer has are dropped.
      const answers = onSheet(sheet, {
        vetoes: { ...current.answers.vetoes, ...given.vetoes },
        items: { ...current.answers.items, ...given.items },
      });
      const state = { status: 'DRAFT' as const, sheetId: sheet.id, sheetVersion: sheet.version, answers, result: null };
      await this.repository.write(manager, site, { ...state, submitted: false });
      await this.audit.record(manager, {
        actor,
        action: 'self-assessment.save',
        targetType: 'record',
        targetId: site.recordId,
        details: {
          siteCode: site.siteCode,
          siteName: site.siteName,
          answered: Object.keys(given.vetoes).length + Object.keys(given.items).length,
        },
      });
      return { ...current, ...state };
    });
    return this.view(site, row);
  }

  async submit(actor: Actor, siteCode: string): Promise<SelfAssessmentView> {
    const site = await this.ownSite(actor, siteCode);
    const sheet = this.sheets.current();
    const row = await this.repository.transaction(async (manager) => {
      const current = await this.repository.lock(manager, site, sheet);
      if (current.status === 'SUBMITTED') throw alreadySubmitted();
      const answers = onSheet(sheet, current.answers);
      const result = evaluate(sheet, valuesOf(answers));
      const state = { status: 'SUBMITTED' as const, sheetId: sheet.id, sheetVersion: sheet.version, answers, result };
      await this.repository.write(manager, site, { ...state, submitted: true });
      // The official verdict, unless an inspection has scored the site (that one stands).
      await this.verdicts.putSelf(manager, site, result);
      await this.audit.record(manager, {
        actor,
        action: 'self-assessment.submit',
        targetType: 'record',
        targetId: site.recordId,
        details: {
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
      return { ...current, ...state, submittedAt: new Date() };
    });
    return this.view(site, row);
  }

  /** The owner unit or a unit above it sends a submitted self-assessment back: a draft again, its result cleared. */
  async reopen(actor: Actor, siteCode: string, reason: string): Promise<SelfAssessmentView> {
    const site = await this.visibleSite(actor, siteCode);
    if (!actor.orgUnitId) throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有主办单位及其上级单位可以退回自查评分');
    const sheet = this.sheets.current();
    const row = await this.repository.transaction(async (manager) => {
      const current = await this.repository.lock(manager, site, sheet);
      if (current.status !== 'SUBMITTED')
        throw new DomainError(AssessmentErrorCodes.ASSESSMENT_NOT_SUBMITTED, '该网站的自查评分尚未提交，无需退回');
      const state = {
        status: 'DRAFT' as const,
        sheetId: current.sheetId,
        sheetVersion: current.sheetVersion,
        answers: current.answers,
        result: null,
      };
      await this.repository.write(manager, site, { ...state, submitted: false });
      await this.verdicts.removeSelf(manager, site.siteCode);
      await this.audit.record(manager, {
        actor,
        action: 'self-assessment.reopen',
        targetType: 'record',
        targetId: site.recordId,
        details: {
          siteCode: site.siteCode,
          siteName: site.siteName,
          reason: reason.trim(),
          verdictLabel: current.result?.verdictLabel ?? null,
        },
      });
      return { ...current, ...state, submittedAt: null };
    });
    return this.view(site, row);
  }

  /** The site the caller may see: the site itself (SITE), its owner unit and every unit above; else not found. */
  async visibleSite(actor: Actor, siteCode: string): Promise<SiteInfo> {
    const { site } = await this.bus.request(SiteSubjects.lookup, { siteCode });
    const visible =
      site &&
      (hasRole(actor, Roles.SITE)
        ? actor.siteCode === site.siteCode
        : actor.orgUnitId !== null && site.ownerChain.includes(actor.orgUnitId));
    if (!site || !visible) throw siteNotFound();
    return site;
  }

  /** Only the site itself fills in and submits its self-assessment. */
  async ownSite(actor: Actor, siteCode: string): Promise<SiteInfo> {
    const site = await this.visibleSite(actor, siteCode);
    if (!hasRole(actor, Roles.SITE))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '自查评分由网站以标识码和校验码登录后填写和提交');
    return site;
  }

  private async view(site: SiteInfo, row: SelfAssessmentRow | null): Promise<SelfAssessmentView> {
    const status = row?.status ?? 'NOT_STARTED';
    // A submitted result is shown on the sheet version it was computed with.
    const sheet: ScoreSheet =
      (row?.status === 'SUBMITTED' && this.sheets.find(row.sheetId, row.sheetVersion)) || this.sheets.current();
    return {
      siteCode: site.siteCode,
      siteName: site.siteName,
      ownerOrgUnitId: site.ownerOrgUnitId,
      status,
      statusLabel: SELF_ASSESSMENT_STATUS_LABELS[status],
      sheet,
      answers: row?.answers ?? { vetoes: {}, items: {} },
      result: row?.result ?? null,
      submittedAt: row?.submittedAt ? new Date(row.submittedAt).toISOString() : null,
      updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
      evidence: await this.evidence.of({ scope: 'self', siteCode: site.siteCode, inspectionId: null }),
    };
  }
}

export function alreadySubmitted(): DomainError {
  return new DomainError(
    AssessmentErrorCodes.ASSESSMENT_ALREADY_SUBMITTED,
    '自查评分已提交，不能再修改；如需更正，请联系主办单位退回',
  );
}

function siteNotFound(): DomainError {
  return new DomainError(AssessmentErrorCodes.SITE_NOT_FOUND, '未找到该网站，或无权查看其评分');
}
