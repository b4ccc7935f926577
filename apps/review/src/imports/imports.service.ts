import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CommitImportRequest,
  ImportErrorCodes,
  ImportReport,
  InvalidImportForm,
  StageImportRequest,
} from '@app/contracts';
import { validateForm } from '@app/forms';
import { AuditTrail, DomainError } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';
import { finalReviewerOf } from '../records/record.entity';
import { buildReport, ExistingRecord, PlannedForm, planImport, StagedForm, urlKey } from './import-plan';

const JOB_LOCK = 0x67737203;

/**
 * The record side of an import. Intake stages a job's validated forms in chunks; `commit`
 * then applies the whole batch in ONE transaction — all or nothing — and is idempotent per
 * job: a repeated commit (a retried or re-run job) returns the stored report and changes
 * nothing. A dry run evaluates the same batch and changes nothing.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async stage(request: StageImportRequest): Promise<{ staged: number }> {
    await this.dataSource.query(
      `INSERT INTO import_stage (job_id, chunk, forms) VALUES ($1, $2, $3)
       ON CONFLICT (job_id, chunk) DO UPDATE SET forms = EXCLUDED.forms, created_at = now()`,
      [request.jobId, request.chunk, JSON.stringify(request.forms)],
    );
    return { staged: request.forms.length };
  }

  async commit(request: CommitImportRequest): Promise<ImportReport> {
    const report = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [JOB_LOCK, request.jobId]);
      const [done] = await manager.query('SELECT report FROM import_commit WHERE job_id = $1', [request.jobId]);
      if (done) {
        // Committed before (the job was re-run after its replica died): same answer, no change.
        await manager.query('DELETE FROM import_stage WHERE job_id = $1', [request.jobId]);
        return done.report as ImportReport;
      }
      const { forms, invalid } = await this.stagedForms(manager, request);
      const existing = await this.existing(
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
        await manager.query('INSERT INTO import_commit (job_id, report) VALUES ($1, $2)', [
          request.jobId,
          JSON.stringify(result),
        ]);
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
      await manager.query('DELETE FROM import_stage WHERE job_id = $1', [request.jobId]);
      return result;
    });
    return report;
  }

  /** The staged forms, checked again here: review never stores a form that breaks the rules. */
  private async stagedForms(
    manager: EntityManager,
    request: CommitImportRequest,
  ): Promise<{ forms: StagedForm[]; invalid: InvalidImportForm[] }> {
    const rows: Array<{ chunk: number; forms: StagedForm[] }> = await manager.query(
      'SELECT chunk, forms FROM import_stage WHERE job_id = $1 ORDER BY chunk',
      [request.jobId],
    );
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

  /** The records the batch touches, locked until commit, with their current content hash. */
  private async existing(manager: EntityManager, ids: string[]): Promise<Map<string, ExistingRecord>> {
    if (ids.length === 0) return new Map();
    const rows: ExistingRecord[] = await manager.query(
      `SELECT r.id, r.owner_org_unit_id, r.status, r.current_version, r.homepage_url, v.content_hash
         FROM record r JOIN record_version v ON v.record_id = r.id AND v.version = r.current_version
        WHERE r.id = ANY($1::uuid[]) FOR UPDATE OF r`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  private async ownHomepages(manager: EntityManager, ownerOrgUnitId: string): Promise<Map<string, string[]>> {
    const rows: Array<{ id: string; homepage_url: string }> = await manager.query(
      'SELECT id, homepage_url FROM record WHERE owner_org_unit_id = $1',
      [ownerOrgUnitId],
    );
    const byUrl = new Map<string, string[]>();
    for (const row of rows)
      byUrl.set(urlKey(row.homepage_url), [...(byUrl.get(urlKey(row.homepage_url)) ?? []), row.id]);
    return byUrl;
  }

  /** Set-based writes: one statement per table however many forms the package holds. */
  private async apply(manager: EntityManager, request: CommitImportRequest, planned: PlannedForm[]): Promise<void> {
    const { importer } = request;
    const created = planned.filter((p) => p.outcome === 'created');
    const updated = planned.filter((p) => p.outcome === 'updated');
    if (created.length) {
      const rows = created.map((p) => ({
        id: p.form.id,
        owner_org_unit_id: importer.orgUnitId,
        owner_code: importer.code,
        owner_chain: importer.chain,
        holder_org_unit_id: importer.orgUnitId,
        final_reviewer_org_unit_id: finalReviewerOf(importer.chain),
        site_name: p.form.site.siteName,
        homepage_url: p.form.site.homepageUrl,
        region_code: importer.code,
        region_name: importer.regionName,
      }));
      await manager.query(
        `INSERT INTO record (id, owner_org_unit_id, owner_code, owner_chain, holder_org_unit_id, final_reviewer_org_unit_id, status, site_name, homepage_url, region_code, region_name, current_version)
         SELECT x.id, x.owner_org_unit_id, x.owner_code, x.owner_chain, x.holder_org_unit_id, x.final_reviewer_org_unit_id, 'DRAFT', x.site_name, x.homepage_url, x.region_code, x.region_name, 1
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, owner_org_unit_id uuid, owner_code text, owner_chain uuid[], holder_org_unit_id uuid, final_reviewer_org_unit_id uuid, site_name text, homepage_url text, region_code text, region_name text)`,
        [JSON.stringify(rows)],
      );
    }
    if (updated.length) {
      await manager.query(
        `UPDATE record r SET site_name = x.site_name, homepage_url = x.homepage_url, current_version = r.current_version + 1, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, site_name text, homepage_url text) WHERE r.id = x.id`,
        [
          JSON.stringify(
            updated.map((p) => ({
              id: p.form.id,
              site_name: p.form.site.siteName,
              homepage_url: p.form.site.homepageUrl,
            })),
          ),
        ],
      );
    }
    const changed = [...created, ...updated];
    if (changed.length === 0) return;
    const region = { code: importer.code, name: importer.regionName };
    const versions = changed.map((p) => ({
      record_id: p.form.id,
      version: p.existing ? p.existing.current_version + 1 : 1,
      content: { ...p.form, region },
      content_hash: p.hash,
    }));
    await manager.query(
      `INSERT INTO record_version (record_id, version, content, content_hash, imported_by, imported_by_org_unit_id, import_job_id, package_key)
       SELECT x.record_id, x.version, x.content, x.content_hash, $2, $3, $4, $5 FROM jsonb_to_recordset($1::jsonb) AS x(record_id uuid, version int, content jsonb, content_hash text)`,
      [JSON.stringify(versions), importer.actor.username, importer.orgUnitId, request.jobId, request.packageKey],
    );
    const history = changed.map((p) => ({
      record_id: p.form.id,
      status: p.existing ? p.existing.status : 'DRAFT',
      reason: p.existing ? `重新导入（第${p.existing.current_version + 1}版）` : '导入',
    }));
    await manager.query(
      `INSERT INTO record_history (record_id, action, actor_account_id, actor_username, actor_org_unit_id, from_status, to_status, reason)
       SELECT x.record_id, 'import', $2, $3, $4, CASE WHEN x.reason = '导入' THEN NULL ELSE x.status END, x.status, x.reason
         FROM jsonb_to_recordset($1::jsonb) AS x(record_id uuid, status text, reason text)`,
      [JSON.stringify(history), importer.actor.accountId, importer.actor.username, importer.orgUnitId],
    );
  }
}
