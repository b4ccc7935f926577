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
import { AUDIT_EXPORT_COLUMNS } from '@app/contracts/workbooks/audit-workbook';

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
    const { default: ExcelJS } = await import('exceljs');
    const asOfSeq = (await this.log.head()).seq;
    const bytes = new PassThrough();
    let failed: unknown;
    const upload = this.storage.putStream(bucketName(this.config, 'files'), key, bytes, XLSX_TYPE);
    upload.catch((err: unknown) => {
      failed = err ?? new Error('upload failed');
    });
    let rows = 0;
    try {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        stream: bytes,
        useStyles: true,
        useSharedStrings: false,
      });
      const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = AUDIT_EXPORT_COLUMNS.map((column) => ({ header: column.header, width: column.width }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      let after: { micros: string; seq: number } | null = null;
      for (;;) {
        const page = await exportPage(this.log.source, filters, asOfSeq, after, PAGE);
        const views: AuditEntryView[] = await this.audit.describe(page.entries);
        for (const entry of views) sheet.addRow(AUDIT_EXPORT_COLUMNS.map((column) => column.value(entry))).commit();
        rows += views.length;
        while (bytes.readableLength > QUEUED_BYTES && failed === undefined) await sleep(5);
        if (failed !== undefined) throw failed;
        if (page.entries.length < PAGE || !page.last) break;
        after = page.last;
      }
      sheet.commit();
      await workbook.commit();
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
