import { Client } from 'minio';
import { Readable } from 'node:stream';

export interface StorageSettings {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
}

export interface StoredObject {
  bucket: string;
  key: string;
  size: number;
  contentType: string;
}

/**
 * Bytes held in memory per write: a write up to this size is one PUT, a larger one a standard
 * S3 multipart upload in parts of this size (S3's minimum part is 5 MiB; 10,000 parts of 8 MiB
 * allow 80 GB). A write never holds more than one part in memory, whatever its size.
 */
export const PART_BYTES = 8 * 1024 * 1024;

/** A write stopped because its source said it was cut short (e.g. over an upload limit). */
export class TruncatedWriteError extends Error {
  constructor() {
    super('the source of the write was truncated');
    this.name = 'TruncatedWriteError';
  }
}

/**
 * Object storage over the `minio` client: MinIO in production, s3rver in the embedded
 * default and tests. Writes stream: one PUT up to PART_BYTES, else multipart with parts of
 * PART_BYTES (CreateMultipartUpload, UploadPart, CompleteMultipartUpload — what both MinIO
 * and s3rver implement). The minio client's own putObject is not used for large writes: it
 * buffers parts of 64 MiB and first lists incomplete uploads (ListMultipartUploads), which
 * s3rver does not implement (NotImplemented → every write over 64 MiB failed).
 */
export class ObjectStorage {
  readonly client: Client;

  constructor(settings: StorageSettings) {
    const url = new URL(settings.endpoint);
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
      useSSL: url.protocol === 'https:',
      accessKey: settings.accessKey,
      secretKey: settings.secretKey,
      region: settings.region,
      pathStyle: true,
    });
  }

  /** Creates each bucket that does not exist yet. Safe to run from several services at once. */
  async ensureBuckets(buckets: string[], region: string): Promise<void> {
    for (const bucket of buckets) {
      if (await this.client.bucketExists(bucket)) continue;
      try {
        await this.client.makeBucket(bucket, region);
      } catch (err) {
        // Another service created it between our check and our call.
        if (!(await this.client.bucketExists(bucket))) throw err;
      }
    }
  }

  async put(
    bucket: string,
    key: string,
    body: Buffer,
    contentType: string,
    metadata: Record<string, string> = {},
  ): Promise<StoredObject> {
    return this.putStream(bucket, key, [body], contentType, { metadata });
  }

  /**
   * Writes the bytes of `source` as they come, holding at most one part (PART_BYTES) in
   * memory; awaiting each part's upload before reading on gives the source backpressure.
   * If `truncated()` is true once the source ends, or anything fails, nothing is stored (an
   * open multipart upload is aborted) and the write throws.
   */
  async putStream(
    bucket: string,
    key: string,
    source: AsyncIterable<Buffer | string> | Iterable<Buffer>,
    contentType: string,
    options: { metadata?: Record<string, string>; truncated?: () => boolean } = {},
  ): Promise<StoredObject> {
    const headers = { 'Content-Type': contentType, ...(options.metadata ?? {}) };
    const part = Buffer.allocUnsafe(PART_BYTES);
    let filled = 0;
    let size = 0;
    let uploadId: string | undefined;
    const parts: Array<{ part: number; etag: string }> = [];
    const flush = async () => {
      uploadId ??= await this.client.initiateNewMultipartUpload(bucket, key, headers);
      const uploaded = await this.client.uploadPart(
        { bucketName: bucket, objectName: key, uploadID: uploadId, partNumber: parts.length + 1, headers: {} },
        part.subarray(0, filled),
      );
      parts.push({ part: parts.length + 1, etag: uploaded.etag });
      filled = 0;
    };
    try {
      for await (const item of source) {
        const chunk = typeof item === 'string' ? Buffer.from(item) : item;
        let offset = 0;
        while (offset < chunk.length) {
          const n = Math.min(chunk.length - offset, PART_BYTES - filled);
          chunk.copy(part, filled, offset, offset + n);
          filled += n;
          offset += n;
          size += n;
          if (filled === PART_BYTES) await flush();
        }
      }
      if (options.truncated?.()) throw new TruncatedWriteError();
      if (uploadId === undefined) {
        await this.client.putObject(bucket, key, part.subarray(0, filled), filled, headers);
      } else {
        if (filled > 0) await flush();
        await this.client.completeMultipartUpload(bucket, key, uploadId, parts);
      }
    } catch (err) {
      // MinIO drops the parts; s3rver has no AbortMultipartUpload and keeps them in its
      // bucket's upload folder (never listed as an object).
      if (uploadId !== undefined) await this.client.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
      throw err;
    }
    return { bucket, key, size, contentType };
  }

  async get(bucket: string, key: string): Promise<Buffer> {
    return streamToBuffer(await this.getStream(bucket, key));
  }

  /** The object's bytes as a stream (nothing buffered beyond the socket's own). */
  async getStream(bucket: string, key: string): Promise<Readable> {
    return this.client.getObject(bucket, key);
  }

  async stat(bucket: string, key: string): Promise<{ size: number; contentType: string } | undefined> {
    try {
      const stat = await this.client.statObject(bucket, key);
      return { size: stat.size, contentType: String(stat.metaData?.['content-type'] ?? 'application/octet-stream') };
    } catch (err) {
      if ((err as { code?: string }).code === 'NotFound' || (err as { code?: string }).code === 'NoSuchKey')
        return undefined;
      throw err;
    }
  }

  /** Every object whose key starts with `prefix`, listed page by page (ListObjects). */
  async *list(bucket: string, prefix: string): AsyncIterable<{ key: string; size: number; lastModified: Date }> {
    for await (const item of this.client.listObjects(bucket, prefix, true)) {
      const object = item as { name?: string; size?: number; lastModified?: Date };
      if (object.name && object.lastModified)
        yield { key: object.name, size: object.size ?? 0, lastModified: new Date(object.lastModified) };
    }
  }

  async remove(bucket: string, key: string): Promise<void> {
    await this.client.removeObject(bucket, key);
  }

  async ping(bucket: string): Promise<void> {
    if (!(await this.client.bucketExists(bucket))) throw new Error(`bucket ${bucket} is missing`);
  }
}

async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
