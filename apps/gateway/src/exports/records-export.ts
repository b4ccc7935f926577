import { XLSX_TYPE } from '@app/contracts';
import { Actor, EXPORT_WRITE_TIMEOUT_MS, ExportSubjects, FilesSubjects, RecordExportFilters } from '@app/contracts';
import { BusClient, DomainError } from '@app/platform/core';
import { ObjectStorage } from '@app/storage';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { contentDisposition } from '../http/download';

/** 报送记录-20261202-0840.xlsx, in Beijing time. */
export function recordsExportName(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `报送记录-${local.slice(0, 10).replace(/-/g, '')}-${local.slice(11, 16).replace(':', '')}.xlsx`;
}

/**
 * A direct download of the records list: review writes the workbook (from a cursor, through
 * exceljs's streaming writer) into a temporary object of the files bucket; the gateway streams
 * that object to the browser and deletes it. No bytes cross the bus; neither side holds the file.
 * More than `maxRows` records: review refuses the direct download (EXPORT_TOO_LARGE) and this
 * answers 202 with a 后台导出 job instead, whose workbook lands in 文件中心 → 导出 with a notice.
 */
export async function sendRecordsExport(
  bus: BusClient,
  storage: ObjectStorage,
  bucket: string,
  actor: Actor,
  filters: RecordExportFilters,
  maxRows: number,
  res: Response,
): Promise<void> {
  const key = `exports/${actor.orgUnitId}/${randomUUID()}.xlsx`;
  let written;
  try {
    written = await bus.request(
      ExportSubjects.records,
      { actor, filters, key, maxRows },
      { timeoutMs: EXPORT_WRITE_TIMEOUT_MS },
    );
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'EXPORT_TOO_LARGE')) throw err;
    const job = await bus.request(FilesSubjects.createExport, { actor, kind: 'records', filters });
    res.status(202).setHeader('Location', `/api/v1/exports/${job.id}`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(job);
    return;
  }
  try {
    const body = await storage.getStream(bucket, key);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Length', String(written.size));
    res.setHeader('Content-Disposition', contentDisposition(recordsExportName()));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Export-Rows', String(written.rows));
    await pipeline(body, res);
  } finally {
    await storage.remove(bucket, key).catch(() => undefined);
  }
}
