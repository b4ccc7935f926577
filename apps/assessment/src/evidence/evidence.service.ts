import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  Actor,
  AssessmentErrorCodes,
  BeginEvidenceRequest,
  CommonErrorCodes,
  EVIDENCE_PER_ITEM,
  EVIDENCE_PER_SHEET,
  EVIDENCE_TYPES,
  EVIDENCE_TYPES_TEXT,
  EvidenceFileView,
  EvidenceLocation,
  EvidenceUpload,
  evidenceExtension,
  hasRole,
  Roles,
  SiteInfo,
} from '@app/contracts';
import { APP_CONFIG, AuditTrail, DomainError, PollingLoop } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AssessmentConfig } from '../assessment.settings';
import { alreadySubmitted as inspectionSubmitted, InspectionService } from '../inspection/inspection.service';
import { alreadySubmitted as selfSubmitted, SelfAssessmentService } from '../self-assessment/self-assessment.service';
import { SelfAssessmentRepository } from '../self-assessment/self-assessment.repository';
import { sheetEntry, unknownItem } from '../sheet/engine';
import { ScoreSheets } from '../sheet/sheets';
import { EvidenceRepository, EvidenceRow, EvidenceSheet, fileView } from './evidence.repository';

/** An upload that has not finished this long after its place was reserved died on the way. */
export const EVIDENCE_UPLOAD_GRACE_MS = 3_600_000;
const SWEEP_EVERY_MS = 600_000;
const SWEEP_BATCH = 100;

/**
 * 评分证据: files a site uploads for its self-assessment and inspectors for their scoring of a
 * site, each for one veto or item. The gateway streams the bytes into object storage; this
 * service decides who may add, see and remove which file, keeps the limits, and audits each
 * change. Files can be added and removed while their sheet is a draft; a submitted sheet keeps
 * them as they were. Who sees a sheet sees its files; nobody else learns they exist.
 */
@Injectable()
export class EvidenceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Evidence');
  private sweep?: PollingLoop;

  constructor(
    private readonly repository: EvidenceRepository,
    private readonly selfAssessments: SelfAssessmentService,
    private readonly selfRows: SelfAssessmentRepository,
    private readonly inspections: InspectionService,
    private readonly sheets: ScoreSheets,
    private readonly storage: ObjectStorage,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AssessmentConfig,
  ) {}

  /** Reserves a place for one file of a draft sheet: the caller may change it, the key is on the sheet, the limits hold. */
  async begin(actor: Actor, request: BeginEvidenceRequest): Promise<EvidenceUpload> {
    const fileName = request.fileName.trim();
    const ext = evidenceExtension(fileName);
    if (!ext)
      throw new DomainError(
        AssessmentErrorCodes.EVIDENCE_TYPE_NOT_ALLOWED,
        `不支持该类型的证据文件“${fileName}”：请上传${EVIDENCE_TYPES_TEXT}`,
        { fileName },
      );
    const sheet = this.sheets.current();
    if (!sheetEntry(sheet, request.key)) throw unknownItem(sheet, request.key);
    const id = randomUUID();
    const contentType = EVIDENCE_TYPES[ext];
    const objectKey = `${request.scope}/${request.siteCode}/${id}.${ext}`;
    await this.repository.transaction(async (manager) => {
      const target = await this.lockDraft(manager, actor, request);
      const counts = await this.repository.counts(manager, target.sheet);
      const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
      if ((counts.get(request.key) ?? 0) >= EVIDENCE_PER_ITEM || total >= EVIDENCE_PER_SHEET)
        throw new DomainError(
          AssessmentErrorCodes.EVIDENCE_LIMIT_REACHED,
          `证据文件已达上限：每项最多${EVIDENCE_PER_ITEM}个，每份评分最多${EVIDENCE_PER_SHEET}个；请先删除不需要的文件`,
          { perItem: EVIDENCE_PER_ITEM, perSheet: EVIDENCE_PER_SHEET },
        );
      await this.repository.insert(manager, {
        id,
        ...target.sheet,
        key: request.key,
        objectKey,
        fileName,
        contentType,
        uploadedBy: hasRole(actor, Roles.SITE) ? '网站自查' : actor.username,
      });
    });
    return { id, objectKey, contentType };
  }

  /** The bytes are stored: the file joins its sheet (if the sheet is still a draft the caller may change). */
  async complete(actor: Actor, id: string, size: number): Promise<EvidenceFileView> {
    return this.repository.transaction(async (manager) => {
      const row = await this.repository.find(id, manager, true);
      if (!row || row.status !== 'UPLOADING') throw notFound();
      const target = await this.lockDraft(manager, actor, row);
      await this.repository.markStored(manager, id, size);
      await this.audit.record(manager, {
        actor,
        action: 'evidence.upload',
        targetType: 'record',
        targetId: target.recordId,
        details: { ...described(row, { ...target, itemName: this.itemName(row.key) }), size },
      });
      return fileView({ ...row, size, status: 'STORED' });
    });
  }

  /** An upload that failed: its reservation and whatever bytes got stored go (only the uploader's own). */
  async abort(actor: Actor, id: string): Promise<{ aborted: boolean }> {
    const row = await this.repository.find(id);
    if (!row || row.status !== 'UPLOADING') return { aborted: false };
    await this.readable(actor, row);
    await this.discard(row);
    return { aborted: true };
  }

  /** Where the bytes of a stored file are, for a caller who may see its sheet. */
  async locate(actor: Actor, id: string): Promise<EvidenceLocation> {
    const row = await this.repository.find(id);
    if (!row || row.status !== 'STORED') throw notFound();
    const owner = await this.readable(actor, row);
    await this.repository.transaction((manager) =>
      this.audit.record(manager, {
        actor,
        action: 'evidence.download',
        targetType: 'record',
        targetId: owner.recordId,
        details: described(row, { ...owner, itemName: this.itemName(row.key) }),
      }),
    );
    return { objectKey: row.objectKey, fileName: row.fileName, contentType: row.contentType, size: Number(row.size) };
  }

  /** Removes a file from a draft sheet the caller may change; its bytes go right after (or at the next sweep). */
  async remove(actor: Actor, id: string): Promise<{ removed: true }> {
    const row = await this.repository.transaction(async (manager) => {
      const found = await this.repository.find(id, manager, true);
      if (!found || found.status !== 'STORED') throw notFound();
      await this.readable(actor, found);
      const target = await this.lockDraft(manager, actor, found);
      await this.repository.markDeleted(manager, id);
      await this.audit.record(manager, {
        actor,
        action: 'evidence.delete',
        targetType: 'record',
        targetId: target.recordId,
        details: described(found, { ...target, itemName: this.itemName(found.key) }),
      });
      return found;
    });
    await this.discard(row).catch(() => undefined);
    return { removed: true };
  }

  onApplicationBootstrap(): void {
    this.sweep = new PollingLoop('evidence-sweep', SWEEP_EVERY_MS, () => this.sweepOnce());
    this.sweep.trigger();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep?.stop();
  }

  /** Removes the bytes and rows of deleted files and of uploads that died; true while there may be more. */
  async sweepOnce(now = Date.now()): Promise<boolean> {
    const rows = await this.repository.unfinished(new Date(now - EVIDENCE_UPLOAD_GRACE_MS), SWEEP_BATCH);
    let removed = 0;
    for (const row of rows) {
      try {
        await this.discard(row);
        removed += 1;
      } catch (err) {
        this.logger.warn({ msg: 'evidence file not removed yet', fileId: row.id, error: String(err) });
      }
    }
    if (removed) this.logger.log({ msg: 'evidence files cleaned up', removed });
    return rows.length === SWEEP_BATCH && removed > 0;
  }

  /** The veto or item a key names on the current sheet (the key itself if the sheet no longer has it). */
  private itemName(key: string): string {
    const sheet = this.sheets.current();
    return sheetEntry(sheet, key)?.name ?? key;
  }

  private async discard(row: EvidenceRow): Promise<void> {
    await this.storage.remove(bucketName(this.config, 'evidence'), row.objectKey);
    await this.repository.forget(row.id);
  }

  /**
   * Locks the draft the file belongs to, for a caller who may change it: the site its own
   * self-assessment, the inspectors their open inspection's scoring of a sampled site.
   */
  private async lockDraft(
    manager: EntityManager,
    actor: Actor,
    target: { scope: EvidenceSheet['scope']; siteCode: string; inspectionId?: string | null },
  ): Promise<SheetOwner & { sheet: EvidenceSheet }> {
    if (target.scope === 'self') {
      const site: SiteInfo = await this.selfAssessments.ownSite(actor, target.siteCode);
      const current = await this.selfRows.lock(manager, site, this.sheets.current());
      if (current.status === 'SUBMITTED') throw selfSubmitted();
      return {
        sheet: { scope: 'self', siteCode: site.siteCode, inspectionId: null },
        recordId: site.recordId,
        siteName: site.siteName,
      };
    }
    if (!target.inspectionId) throw notFound();
    await this.inspections.visible(actor, target.inspectionId);
    const { inspection, site } = await this.inspections.lockOpenSite(manager, target.inspectionId, target.siteCode);
    if (site.status === 'SUBMITTED') throw inspectionSubmitted();
    return {
      sheet: { scope: 'inspection', siteCode: site.siteCode, inspectionId: target.inspectionId },
      recordId: site.recordId,
      siteName: site.siteName,
      inspectionName: inspection.name,
    };
  }

  /** Who sees the sheet sees its files (whose they are, for the audit); else not found. */
  private async readable(actor: Actor, row: EvidenceRow): Promise<SheetOwner> {
    try {
      if (row.scope === 'self') {
        const site = await this.selfAssessments.visibleSite(actor, row.siteCode);
        return { recordId: site.recordId, siteName: site.siteName };
      }
      const inspection = await this.inspections.visible(actor, row.inspectionId ?? '');
      const site = await this.inspections.sampledSite(inspection.id, row.siteCode);
      return { recordId: site.recordId, siteName: site.siteName, inspectionName: inspection.name };
    } catch (err) {
      // Not allowed to see the sheet (or no unit at all): the file does not exist for the caller.
      if (err instanceof DomainError && HIDDEN.has(err.code)) throw notFound();
      throw err;
    }
  }
}

const HIDDEN = new Set<string>([
  AssessmentErrorCodes.SITE_NOT_FOUND,
  AssessmentErrorCodes.INSPECTION_NOT_FOUND,
  CommonErrorCodes.FORBIDDEN,
]);

/** The site (its record) a sheet is of, and the inspection, by name. */
interface SheetOwner {
  recordId: string;
  siteName: string;
  inspectionName?: string;
}

/** What the audit names: the sheet (site, inspection), the item and the file. */
function described(
  row: Pick<EvidenceRow, 'scope' | 'siteCode' | 'inspectionId' | 'id' | 'key' | 'fileName'>,
  names: { siteName: string; inspectionName?: string; itemName: string },
): Record<string, unknown> {
  return {
    scope: row.scope,
    siteCode: row.siteCode,
    siteName: names.siteName,
    ...(row.inspectionId && { inspectionId: row.inspectionId, inspectionName: names.inspectionName ?? '' }),
    fileId: row.id,
    key: row.key,
    itemName: names.itemName,
    fileName: row.fileName,
  };
}

function notFound(): DomainError {
  return new DomainError(AssessmentErrorCodes.EVIDENCE_NOT_FOUND, '未找到该证据文件，或无权查看');
}
