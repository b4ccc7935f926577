import {
  CommonErrorCodes,
  IntakeErrorCodes,
  PackageKind,
  UPLOAD_RETRY_AFTER_SECONDS,
  uploadQuotaMessage,
  XLSX_TYPE,
} from '@app/contracts';
import { currentContext, DomainError, runWithContext, ServiceUnavailableError } from '@app/platform/core';
import { ObjectStorage, TruncatedWriteError } from '@app/storage';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError, StorageEngine } from 'multer';
import { randomUUID } from 'node:crypto';

/**
 * The uploads this gateway replica is receiving now (imports and evidence files alike): past
 * IMPORT_UPLOADS_PER_GATEWAY the next answers 429 with Retry-After. Each holds up to one part
 * (PART_BYTES) in memory, so this bounds the replica's upload memory.
 */
@Injectable()
export class UploadSlots {
  private receiving = 0;

  async run<T>(limit: number, res: Response, work: () => Promise<T>): Promise<T> {
    if (this.receiving >= limit) {
      res.setHeader('Retry-After', String(UPLOAD_RETRY_AFTER_SECONDS));
      throw new DomainError(CommonErrorCodes.RATE_LIMITED, '系统正在接收的上传较多，请稍后再试', {
        retryAfterSeconds: UPLOAD_RETRY_AFTER_SECONDS,
      });
    }
    this.receiving += 1;
    try {
      return await work();
    } finally {
      this.receiving -= 1;
    }
  }
}

/**
 * A spreadsheet by its name — .xlsx, .xls (Excel 97–2003), WPS .et, and the formats a clerk
 * may pick by mistake (.ods, .numbers, .csv) — is an Excel template upload (kind 'xlsx'): the
 * reader tells the formats apart by their bytes, reads .xlsx and .xls, and answers the others
 * with TEMPLATE_FORMAT_UNSUPPORTED and what to do. Anything else is a package.
 */
export function uploadKind(fileName: string): PackageKind {
  return /\.(xlsx|xlsm|xltx|xls|xlt|et|ett|ods|numbers|csv)$/i.test(fileName) ? 'xlsx' : 'zip';
}

/**
 * Room for the multipart envelope around the file (boundaries, part headers, a long file
 * name): a request longer than the limit plus this is refused before a byte is read.
 */
export const MULTIPART_ENVELOPE_BYTES = 64 * 1024;

export interface StoredUpload {
  objectKey: string;
  fileName: string;
  kind: PackageKind;
  size: number;
}

export interface UploadLimits {
  /** IMPORT_MAX_UPLOAD_BYTES: past it, 413 PAYLOAD_TOO_LARGE. */
  maxBytes: number;
  /** What the unit's quota still allows: past it, 413 UPLOAD_QUOTA_EXCEEDED. */
  remainingBytes: number;
  quotaBytes: number;
}

/** The request's declared length (Content-Length), if any. */
export function declaredLength(req: Request): number | undefined {
  const header = req.headers['content-length'];
  if (!header || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

export function tooLarge(maxBytes: number): DomainError {
  return new DomainError(
    CommonErrorCodes.PAYLOAD_TOO_LARGE,
    `上传内容超过大小限制（${Math.round(maxBytes / 1024 / 1024)} MiB）`,
    { maxBytes },
  );
}

/**
 * Streams the multipart field `file` of `req` into the packages bucket under
 * `imports/<unit>/` — never more than one part (PART_BYTES) of it in memory — and stops at
 * the smaller of the upload limit and the unit's remaining quota: then nothing is stored
 * (the multipart upload is aborted) and the answer is 413. Resolves to undefined when the
 * request carries no file.
 */
export async function streamUpload(
  req: Request,
  res: Response,
  options: { storage: ObjectStorage; bucket: string; orgUnitId: string; limits: UploadLimits },
): Promise<StoredUpload | undefined> {
  const { limits } = options;
  const received = await receiveFile(req, res, {
    storage: options.storage,
    bucket: options.bucket,
    limitBytes: Math.min(limits.maxBytes, limits.remainingBytes),
    place: (fileName) =>
      Promise.resolve({
        key: `imports/${options.orgUnitId}/${randomUUID()}.${uploadKind(fileName)}`,
        contentType: contentType(fileName),
      }),
  }).catch((err: unknown) => {
    throw uploadError(err, limits);
  });
  return received && { ...received, objectKey: received.key, kind: uploadKind(received.fileName) };
}

export interface ReceivedFile {
  key: string;
  fileName: string;
  size: number;
}

/**
 * Streams the one multipart field `file` of `req` into `bucket` under the key `place` gives
 * for its file name (asked before a byte is stored; it may refuse), holding at most one part
 * in memory, and stops past `limitBytes` (MulterError LIMIT_FILE_SIZE: nothing is stored).
 * Resolves to undefined when the request carries no file; rejects with the raw error.
 */
export function receiveFile(
  req: Request,
  res: Response,
  options: {
    storage: ObjectStorage;
    bucket: string;
    limitBytes: number;
    place: (fileName: string) => Promise<{ key: string; contentType: string }>;
  },
): Promise<ReceivedFile | undefined> {
  const { storage, bucket } = options;
  // The file arrives in busboy's events, which run in the context of whatever request first used
  // the connection (keep-alive), not this one's: `place` (a bus call carrying this caller's actor
  // assertion) runs in this request's context, taken here.
  const context = currentContext();
  const place = (fileName: string) =>
    context ? runWithContext(context, () => options.place(fileName)) : options.place(fileName);
  const engine: StorageEngine = {
    _handleFile(_req, file, callback) {
      const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
      const stream = file.stream as typeof file.stream & { truncated?: boolean };
      place(fileName)
        .then(({ key, contentType: type }) =>
          storage
            .putStream(bucket, key, stream, type, { truncated: () => stream.truncated === true })
            .then((stored) => callback(null, { path: key, size: stored.size, filename: fileName })),
        )
        .catch((err: unknown) => callback(err as Error));
    },
    _removeFile(_req, file, callback) {
      storage.remove(bucket, file.path).then(
        () => callback(null),
        (err: unknown) => callback(err as Error),
      );
    },
  };
  const middleware = multer({ storage: engine, limits: { fileSize: options.limitBytes, files: 1, fields: 5 } }).single(
    'file',
  );
  return new Promise((resolve, reject) => {
    middleware(req, res, (err?: unknown) => {
      if (err) return reject(err);
      const file = (req as Request & { file?: Express.Multer.File }).file;
      resolve(file && { key: file.path, fileName: file.filename, size: file.size });
    });
  });
}

export function contentType(fileName: string): string {
  if (/\.xlsx$/i.test(fileName)) return XLSX_TYPE;
  if (/\.xls$/i.test(fileName)) return 'application/vnd.ms-excel';
  return uploadKind(fileName) === 'zip' ? 'application/zip' : 'application/octet-stream';
}

function uploadError(err: unknown, limits: UploadLimits): DomainError {
  return receiveError(
    err,
    () =>
      limits.remainingBytes < limits.maxBytes
        ? new DomainError(
            IntakeErrorCodes.UPLOAD_QUOTA_EXCEEDED,
            uploadQuotaMessage(limits.quotaBytes, limits.quotaBytes - limits.remainingBytes),
            { quotaBytes: limits.quotaBytes, usedBytes: limits.quotaBytes - limits.remainingBytes },
          )
        : tooLarge(limits.maxBytes),
    tooLarge(limits.maxBytes),
    'gateway.upload.store',
  );
}

/**
 * What a failed `receiveFile` answers: over the size limit (`overLimit`, or `truncated` when
 * the store saw the source cut short), malformed multipart (400), a refusal of the service
 * asked where to put it (as it is), or object storage failing (503 on `subject`).
 */
export function receiveError(
  err: unknown,
  overLimit: () => DomainError,
  truncated: DomainError,
  subject: string,
): DomainError {
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return overLimit();
    return new DomainError(CommonErrorCodes.VALIDATION_FAILED, '上传内容格式有误：只能上传一个文件（字段名 file）', {
      reason: err.code,
    });
  }
  if (err instanceof TruncatedWriteError) return truncated;
  if (err instanceof DomainError) return err;
  // Busboy's malformed multipart, a client gone mid-upload, or object storage failing.
  const message = err instanceof Error ? err.message : String(err);
  if (/multipart|boundary|Unexpected end of form|Malformed/i.test(message))
    return new DomainError(CommonErrorCodes.VALIDATION_FAILED, '上传内容格式有误（multipart/form-data）');
  return new ServiceUnavailableError(subject);
}
