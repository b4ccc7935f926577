import { Inject, Injectable } from '@nestjs/common';
import { Actor, CommonErrorCodes, ExportErrorCodes, ExportWritten, RecordExportFilters } from '@app/contracts';
import { APP_CONFIG, AuditTrail, DomainError, StorageSettings } from '@app/platform';
import { bucketName, ObjectStorage } from '@app/storage';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryRunner } from 'typeorm';
import { RecordRepository } from '../records/record.repository';
import { actorUnitId } from '../workflow/record-access';
import { XLSX_TYPE } from '@app/contracts';
import { ExportedColumn, ExportedForm, writeRecordsWorkbook } from './records-workbook';

/**
 * A unit id no record's owner chain holds: the export of a region that is not below the caller's
 * unit (or has no records there) is empty, as the list answers an empty page for it.
 */
const NO_UNIT = '00000000-0000-0000-0000-000000000000';

/** Rows per FETCH from the export's cursor. */
const FETCH_ROWS = 500;
/** The workbook's bytes waiting for the upload: the writer waits while more than this is queued. */
const QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * Writes the records list (its filters and scope, every field, 栏目 on a second sheet) as an
 * Excel workbook into the files bucket. Rows come from PostgreSQL cursors in one read-only
 * REPEATABLE READ snapshot and go through exceljs's streaming writer straight into the object
 * upload, so memory holds a fetch of rows and an upload part, never the workbook.
 */
@Injectable()
export class RecordsExportService {
  constructor(
    private readonly records: RecordRepository,
    private readonly storage: ObjectStorage,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: StorageSettings,
  ) {}

  /** A direct download: refused (EXPORT_TOO_LARGE, audited) when more than `maxRows` records match. */
  async exportNow(actor: Actor, filters: RecordExportFilters, key: string, maxRows: number): Promise<ExportWritten> {
    const unitId = await this.scopeUnit(actor, filters);
    const depth = await this.depth(unitId, filters);
    const matched = await this.records.exportCountUpTo({ unitId, ...filters }, depth, maxRows);
    if (matched > maxRows) {
      await this.audit.record(this.records.manager, {
        actor,
        action: 'export.records',
        outcome: 'denied',
        targetType: 'export',
        details: { rows: matched, maxRows, mode: 'download', filters: { ...filters } },
      });
      throw new DomainError(
        ExportErrorCodes.EXPORT_TOO_LARGE,
        `符合条件的记录超过 ${maxRows} 条，不能直接下载，请使用“后台导出”：导出完成后文件放在 文件中心 → 导出，并有站内通知`,
        { maxRows },
      );
    }
    const written = await this.write(unitId, depth, filters, key);
    await this.audit.record(this.records.manager, {
      actor,
      action: 'export.records',
      targetType: 'export',
      details: { rows: written.rows, columns: written.columns, mode: 'download', filters: { ...filters } },
    });
    return written;
  }

  /** A background export's workbook (files' export worker), whatever its size; audited with its job. */
  async exportForJob(
    jobId: string,
    requester: Actor,
    filters: RecordExportFilters,
    key: string,
  ): Promise<ExportWritten> {
    const unitId = await this.scopeUnit(requester, filters);
    const written = await this.write(unitId, await this.depth(unitId, filters), filters, key);
    await this.audit.record(this.records.manager, {
      actor: requester,
      action: 'export.records',
      targetType: 'export',
      targetId: jobId,
      details: { rows: written.rows, columns: written.columns, mode: 'job', filters: { ...filters } },
    });
    return written;
  }

  /**
   * The unit whose subtree (or held records) the export reads: the caller's, or a region below it
   * (records carry their whole owner chain, so a region's records below the caller's unit are all
   * within the caller's subtree). As in the list, a region is for the subtree scope only.
   */
  private async scopeUnit(actor: Actor, filters: RecordExportFilters): Promise<string> {
    const own = actorUnitId(actor);
    const region = filters.orgUnitId && filters.orgUnitId !== own ? filters.orgUnitId : null;
    if (!region) return own;
    if (filters.scope === 'held')
      throw new DomainError(CommonErrorCodes.VALIDATION_FAILED, '按地区筛选只用于本单位及下级的全部记录');
    return (await this.records.isBelow(region, own)) ? region : NO_UNIT;
  }

  private async depth(unitId: string, filters: RecordExportFilters): Promise<number | null> {
    return (await this.records.tally(unitId, filters.scope === 'held' ? 'h' : 's')).depth;
  }

  private async write(
    unitId: string,
    depth: number | null,
    filters: RecordExportFilters,
    key: string,
  ): Promise<ExportWritten> {
    const statements = this.records.exportStatements({ unitId, ...filters }, depth);
    const bytes = new PassThrough();
    let uploadFailed: unknown;
    const upload = this.storage.putStream(bucketName(this.config, 'files'), key, bytes, XLSX_TYPE);
    upload.catch((err: unknown) => {
      uploadFailed = err ?? new Error('upload failed');
    });
    /** Backpressure: let the upload take what is queued before writing more. */
    const drained = async () => {
      while (bytes.readableLength > QUEUED_BYTES && uploadFailed === undefined) await sleep(5);
      if (uploadFailed !== undefined) throw uploadFailed;
    };
    const runner = this.records.queryRunner();
    let rows = 0;
    let columns = 0;
    try {
      await runner.connect();
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const counts = await writeRecordsWorkbook(
        bytes,
        () => cursor<ExportedForm>(runner, 'export_forms', statements.forms, statements.params),
        () => cursor<ExportedColumn>(runner, 'export_columns', statements.columns, statements.params),
        drained,
      );
      rows = counts.rows;
      columns = counts.columns;
      await runner.query('COMMIT');
    } catch (err) {
      bytes.destroy(err as Error);
      await upload.catch(() => undefined);
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
    const stored = await upload;
    return { rows, columns, size: stored.size };
  }
}

/** The rows of `sql`, FETCH_ROWS at a time, from a server-side cursor in the runner's transaction. */
async function* cursor<T>(runner: QueryRunner, name: string, sql: string, params: unknown[]): AsyncIterable<T[]> {
  await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
  for (;;) {
    const batch: T[] = await runner.query(`FETCH ${FETCH_ROWS} FROM ${name}`);
    if (batch.length === 0) break;
    yield batch;
    if (batch.length < FETCH_ROWS) break;
  }
  await runner.query(`CLOSE ${name}`);
}
