import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  AuditEntryView,
  AuditExportFilters,
  ExportWritten,
  hasRole,
  Roles,
  CommonErrorCodes,
} from '@app/contracts';
import { APP_CONFIG, DomainError, StorageSettings } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditLogRepository, exportPage } from './audit-log.repository';
import { AuditService } from './audit.service';
import { XLSX_TYPE } from '@app/contracts';
import { writeAuditWorkbook } from '@app/contracts/workbooks/audit-workbook';

const PAGE = 500;
const QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * 后台导出 of the audit log (files' export worker asks): the entries matching the auditor's
 * filters, up to the chain's head when the job starts, newest first as the list shows them, in
 * keyset pages of 500 described in Chinese (names, sentences) and written through exceljs's
 * streaming writer straight into the files bucket. Recorded as 导出审计日志 with its row count.
 */
@Injectable()
export class AuditExportService {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly audit: AuditService,
    private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: StorageSettings,
  ) {}

  async write(jobId: string, requester: Actor, filters: AuditExportFilters, key: string): Promise<ExportWritten> {
    if (!hasRole(requester, Roles.AUDITOR))
      throw new DomainError(CommonErrorCodes.FORBIDDEN, '只有审计员可以导出审计日志');
    const asOfSeq = (await this.log.head()).seq;
    const bytes = new PassThrough();
    let failed: unknown;
    const upload = this.storage.putStream(bucketName(this.config, 'files'), key, bytes, XLSX_TYPE);
    upload.catch((err: unknown) => {
      failed = err ?? new Error('upload failed');
    });
    let rows = 0;
    try {
      const log = this.log;
      const audit = this.audit;
      const pages = async function* (): AsyncIterable<AuditEntryView[]> {
        let after: { micros: string; seq: number } | null = null;
        for (;;) {
          const page = await exportPage(log.source, filters, asOfSeq, after, PAGE);
          yield await audit.describe(page.entries);
          if (page.entries.length < PAGE || !page.last) return;
          after = page.last;
        }
      };
      rows = await writeAuditWorkbook(bytes, pages(), async () => {
        while (bytes.readableLength > QUEUED_BYTES && failed === undefined) await sleep(5);
        if (failed !== undefined) throw failed;
      });
    } catch (err) {
      bytes.destroy(err as Error);
      await upload.catch(() => undefined);
      throw err;
    }
    const stored = await upload;
    await this.audit.record(null, {
      actor: requester,
      action: 'audit.export',
      targetType: 'audit-log',
      targetId: jobId,
      details: { rows, mode: 'job', filters: { ...filters } },
    });
    return { rows, columns: 0, size: stored.size };
  }
}
