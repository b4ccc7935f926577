import { Injectable } from '@nestjs/common';
import { CommitImportRequest, CommitState, IMPORT_STAGE_TABLE, ImportErrorCodes, ImportSummary } from '@app/contracts';
import { AuditTrail, DomainError } from '@app/platform';
import { finalReviewerOf, nextPosition } from '@app/workflow';
import { EntityManager } from 'typeorm';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { SiteRecord } from '../records/record.entity';
import { AppliedMove, RecordRepository } from '../records/record.repository';
import { PlannedForm, planImport, summarize, urlKey } from './import-plan';
import { ImportRepository, ReportRow, StagedRow } from './import.repository';

/**
 * The record side of an import. Intake stages a job's read and validated forms in PostgreSQL
 * (IMPORT_STAGE_TABLE) and sends only the job id: `commit` plans from the staged rows' ids,
 * names and hashes, applies the whole batch set-based from the staged rows in ONE transaction
 * — all or nothing — writes the report's rows beside them and deletes the staged rows. It is
 * idempotent per job: a repeated commit (a retried or re-run job, a lost reply) answers the
 * stored counts and changes nothing. A dry run evaluates the same batch and changes no record.
 * Every answer is the counts only, whatever the package's size.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportRepository,
    private readonly records: RecordRepository,
    private readonly audit: AuditTrail,
    private readonly lifecycle: LifecycleRepository,
  ) {}

  async commit(request: CommitImportRequest): Promise<ImportSummary> {
    return this.records.transaction(async (manager) => {
      await this.imports.lockJob(manager, request.jobId);
      const done = await this.imports.committedSummary(manager, request.jobId);
      if (done) {
        // Committed before (a lost reply, or the job re-run after its replica died): same answer, no change.
        await this.imports.clearStage(manager, request.jobId);
        return done;
      }
      const staged = await this.imports.stagedRows(manager, request.jobId);
      if (staged.length !== request.staged)
        throw new DomainError(ImportErrorCodes.IMPORT_INCOMPLETE, '导入数据尚未完整送达，请稍后重试', {
          expected: request.staged,
          staged: staged.length,
        });
      const forms = staged.filter((row) => !row.invalid);
      const existing = await this.records.lockForImport(
        manager,
        forms.map((form) => form.id),
      );
      const planned = planImport(
        request.importer.orgUnitId,
        forms,
        existing,
        await this.ownHomepages(manager, request.importer.orgUnitId),
      );
      const summary = summarize(planned, staged.length - forms.length, request.dryRun);
      if (summary.applied) await this.apply(manager, request, planned);
      const report: ReportRow[] = [
        ...staged
          .filter((row) => row.invalid)
          .map((row) => ({ seq: row.seq, outcome: 'rejected' as const, errors: null, warnings: [] })),
        ...planned.map((p) => ({ seq: p.form.seq, outcome: p.outcome, errors: p.errors, warnings: p.warnings })),
      ];
      await this.imports.writeReport(manager, request.jobId, report);
      await this.imports.saveSummary(manager, request.jobId, summary);
      if (!request.dryRun)
        await this.audit.record(manager, {
          actor: request.importer.actor,
          action: 'record.import',
          outcome: summary.applied ? 'success' : 'failure',
          targetType: 'import-job',
          targetId: request.jobId,
          details: {
            created: summary.created,
            updated: summary.updated,
            unchanged: summary.unchanged,
            rejected: summary.rejected,
          },
        });
      await this.imports.clearStage(manager, request.jobId);
      return summary;
    });
  }

  /** Whether the job is committed, being committed now, or neither (see CommitState). */
  async commitState(jobId: string): Promise<CommitState> {
    return this.records.transaction(async (manager) => {
      if (!(await this.imports.tryLockJob(manager, jobId))) return { state: 'running' };
      const summary = await this.imports.committedSummary(manager, jobId);
      return summary ? { state: 'committed', summary } : { state: 'none' };
    });
  }

  private async ownHomepages(manager: EntityManager, ownerOrgUnitId: string): Promise<Map<string, string[]>> {
    const byUrl = new Map<string, string[]>();
    for (const row of await this.records.ownHomepages(manager, ownerOrgUnitId))
      byUrl.set(urlKey(row.homepageUrl), [...(byUrl.get(urlKey(row.homepageUrl)) ?? []), row.id]);
    return byUrl;
  }

  /**
   * 变更 by re-import: each form becomes its record's pending change (from the staged rows); a
   * record without one goes to its first reviewer as a filed request does (history and audit
   * say 申请变更), one with one already keeps its status and holder.
   */
  private async fileChanges(manager: EntityManager, request: CommitImportRequest, planned: PlannedForm[]) {
    if (planned.length === 0) return;
    const { importer } = request;
    const actor = {
      accountId: importer.actor.accountId,
      username: importer.actor.username,
      orgUnitId: importer.orgUnitId,
    };
    if (planned.some((p) => !(p.form as StagedRow).hasContent))
      throw new DomainError(ImportErrorCodes.IMPORT_INCOMPLETE, '导入数据尚未完整送达，请稍后重试');
    await this.lifecycle.fileChangesFromStage(
      manager,
      IMPORT_STAGE_TABLE,
      request.jobId,
      planned.map((p) => ({ id: p.form.id, seq: p.form.seq })),
      importer.actor.username,
      { code: importer.code, name: importer.regionName },
    );
    const moves: AppliedMove[] = [];
    for (const p of planned.filter((p) => p.change === 'new')) {
      const record = (await this.records.lockById(manager, p.form.id)) as SiteRecord;
      const to = nextPosition(record, 'submit');
      moves.push({
        id: record.id,
        status: to.status,
        holderOrgUnitId: to.holderOrgUnitId,
        fromStatus: record.status,
        fromHolder: record.holderOrgUnitId,
        siteCode: null,
        checkCodeEnc: null,
      });
      await this.audit.record(manager, {
        actor: importer.actor,
        action: 'record.request-change',
        targetType: 'record',
        targetId: record.id,
        details: {
          siteName: record.siteName,
          siteCode: record.siteCode,
          toHolder: to.holderOrgUnitId,
          reason: '重新导入',
        },
      });
    }
    await this.records.applyMoves(manager, actor, 'request-change', '重新导入（变更申请）', moves);
    await this.records.appendHistory(
      manager,
      actor,
      planned
        .filter((p) => p.change === 'refile' && p.existing)
        .map((p) => ({
          recordId: p.form.id,
          action: 'reimport' as const,
          fromStatus: p.existing!.status,
          toStatus: p.existing!.status,
          reason: '重新导入（更新待审核的变更申请）',
        })),
    );
  }

  /** Set-based writes: one statement per table however many forms the package holds. */
  private async apply(manager: EntityManager, request: CommitImportRequest, planned: PlannedForm[]): Promise<void> {
    const { importer } = request;
    const created = planned.filter((p) => p.outcome === 'created');
    const requested = planned.filter((p) => p.outcome === 'updated' && p.change);
    const updated = planned.filter((p) => p.outcome === 'updated' && !p.change);
    const changed = [...created, ...updated];
    // An approved record's re-import becomes (or updates) its 变更 request: the content stays.
    await this.fileChanges(manager, request, requested);
    // A dry run stages no content; one cannot be applied (never happens: the job says which it is).
    if (changed.some((p) => !(p.form as StagedRow).hasContent))
      throw new DomainError(ImportErrorCodes.IMPORT_INCOMPLETE, '导入数据尚未完整送达，请稍后重试');
    await this.records.insertDrafts(
      manager,
      created.map((p) => ({
        id: p.form.id,
        ownerOrgUnitId: importer.orgUnitId,
        ownerCode: importer.code,
        ownerChain: importer.chain,
        finalReviewerOrgUnitId: finalReviewerOf(importer.chain),
        siteName: p.form.siteName,
        homepageUrl: p.form.homepageUrl,
        regionCode: importer.code,
        regionName: importer.regionName,
      })),
    );
    // A re-import overwrites the content and keeps status and holder (the FAQ, item 17).
    await this.records.advanceVersions(
      manager,
      updated.map((p) => ({ id: p.form.id, siteName: p.form.siteName, homepageUrl: p.form.homepageUrl })),
    );
    if (changed.length === 0) return;
    await this.imports.insertVersionsFromStage(
      manager,
      request.jobId,
      changed.map((p) => p.form.seq),
      {
        username: importer.actor.username,
        orgUnitId: importer.orgUnitId,
        packageKey: request.packageKey,
        region: { code: importer.code, name: importer.regionName },
      },
    );
    await this.records.appendHistory(
      manager,
      { accountId: importer.actor.accountId, username: importer.actor.username, orgUnitId: importer.orgUnitId },
      changed.map((p) =>
        p.existing
          ? {
              recordId: p.form.id,
              action: 'import' as const,
              fromStatus: p.existing.status,
              toStatus: p.existing.status,
              reason: `重新导入（第${p.existing.currentVersion + 1}版）`,
            }
          : {
              recordId: p.form.id,
              action: 'import' as const,
              fromStatus: null,
              toStatus: 'DRAFT' as const,
              reason: '导入',
            },
      ),
    );
  }
}
