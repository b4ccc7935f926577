import { Injectable } from '@nestjs/common';
import {
  CommitImportRequest,
  CommitState,
  ImportErrorCodes,
  ImportReport,
  InvalidImportForm,
  StageImportRequest,
} from '@app/contracts';
import { validateForm } from '@app/forms';
import { AuditTrail, DomainError } from '@app/platform';
import { finalReviewerOf } from '@app/workflow';
import { EntityManager } from 'typeorm';
import { RecordRepository } from '../records/record.repository';
import { buildReport, PlannedForm, planImport, StagedForm, urlKey } from './import-plan';
import { ImportRepository } from './import.repository';

/**
 * The record side of an import. Intake stages a job's validated forms in chunks; `commit`
 * then applies the whole batch in ONE transaction — all or nothing — and is idempotent per
 * job: a repeated commit (a retried or re-run job) returns the stored report and changes
 * nothing. A dry run evaluates the same batch and changes nothing.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportRepository,
    private readonly records: RecordRepository,
    private readonly audit: AuditTrail,
  ) {}

  async stage(request: StageImportRequest): Promise<{ staged: number }> {
    await this.imports.stage(request.jobId, request.chunk, request.forms);
    return { staged: request.forms.length };
  }

  async commit(request: CommitImportRequest): Promise<ImportReport> {
    const report = await this.records.transaction(async (manager) => {
      await this.imports.lockJob(manager, request.jobId);
      const done = await this.imports.committedReport(manager, request.jobId);
      if (done) {
        // Committed before (the job was re-run after its replica died): same answer, no change.
        await this.imports.clearStage(manager, request.jobId);
        return done;
      }
      const { forms, invalid } = await this.stagedForms(manager, request);
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
      const result = buildReport(planned, [...request.invalid, ...invalid], request.dryRun);
      if (result.applied) await this.apply(manager, request, planned);
      if (!request.dryRun) {
        await this.imports.saveReport(manager, request.jobId, result);
        await this.audit.record(manager, {
          actor: request.importer.actor,
          action: 'record.import',
          outcome: result.applied ? 'success' : 'failure',
          targetType: 'import-job',
          targetId: request.jobId,
          details: {
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            rejected: result.rejected,
          },
        });
      }
      await this.imports.clearStage(manager, request.jobId);
      return result;
    });
    return report;
  }

  /** Whether the job is committed, being committed now, or neither (see CommitState). */
  async commitState(jobId: string): Promise<CommitState> {
    return this.records.transaction(async (manager) => {
      if (!(await this.imports.tryLockJob(manager, jobId))) return { state: 'running' };
      const report = await this.imports.committedReport(manager, jobId);
      return report ? { state: 'committed', report } : { state: 'none' };
    });
  }

  /** The staged forms, checked again here: review never stores a form that breaks the rules. */
  private async stagedForms(
    manager: EntityManager,
    request: CommitImportRequest,
  ): Promise<{ forms: StagedForm[]; invalid: InvalidImportForm[] }> {
    const rows = await this.imports.stagedChunks(manager, request.jobId);
    if (rows.length !== request.chunks || rows.some((row, index) => row.chunk !== index)) {
      throw new DomainError(ImportErrorCodes.IMPORT_INCOMPLETE, '导入数据尚未完整送达，请稍后重试', {
        expected: request.chunks,
        staged: rows.length,
      });
    }
    const forms: StagedForm[] = [];
    const invalid: InvalidImportForm[] = [];
    for (const staged of rows.flatMap((row) => row.forms)) {
      const result = validateForm(staged);
      if (result.ok) forms.push(result.value as unknown as StagedForm);
      else
        invalid.push({
          formId: typeof staged.id === 'string' ? staged.id : null,
          siteName: String(staged.site?.siteName ?? ''),
          errors: result.errors,
        });
    }
    return { forms, invalid };
  }

  private async ownHomepages(manager: EntityManager, ownerOrgUnitId: string): Promise<Map<string, string[]>> {
    const byUrl = new Map<string, string[]>();
    for (const row of await this.records.ownHomepages(manager, ownerOrgUnitId))
      byUrl.set(urlKey(row.homepageUrl), [...(byUrl.get(urlKey(row.homepageUrl)) ?? []), row.id]);
    return byUrl;
  }

  /** Set-based writes: one statement per table however many forms the package holds. */
  private async apply(manager: EntityManager, request: CommitImportRequest, planned: PlannedForm[]): Promise<void> {
    const { importer } = request;
    const created = planned.filter((p) => p.outcome === 'created');
    const updated = planned.filter((p) => p.outcome === 'updated');
    await this.records.insertDrafts(
      manager,
      created.map((p) => ({
        id: p.form.id,
        ownerOrgUnitId: importer.orgUnitId,
        ownerCode: importer.code,
        ownerChain: importer.chain,
        finalReviewerOrgUnitId: finalReviewerOf(importer.chain),
        siteName: p.form.site.siteName,
        homepageUrl: p.form.site.homepageUrl,
        regionCode: importer.code,
        regionName: importer.regionName,
      })),
    );
    // A re-import overwrites the content and keeps status and holder (the FAQ, item 17).
    await this.records.advanceVersions(
      manager,
      updated.map((p) => ({ id: p.form.id, siteName: p.form.site.siteName, homepageUrl: p.form.site.homepageUrl })),
    );
    const changed = [...created, ...updated];
    if (changed.length === 0) return;
    const region = { code: importer.code, name: importer.regionName };
    await this.records.appendVersions(
      manager,
      {
        username: importer.actor.username,
        orgUnitId: importer.orgUnitId,
        importJobId: request.jobId,
        packageKey: request.packageKey,
      },
      changed.map((p) => ({
        recordId: p.form.id,
        version: p.existing ? p.existing.currentVersion + 1 : 1,
        content: { ...p.form, region },
        contentHash: p.hash,
      })),
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
