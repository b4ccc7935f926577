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
 * Object storage over the `minio` client: MinIO in production, s3rver in the embedded
 * default and tests. Writes are single PUTs with the size given (s3rver has no multipart).
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
    await this.client.putObject(bucket, key, body, body.length, { 'Content-Type': contentType, ...metadata });
    return { bucket, key, size: body.length, contentType };
  }

  async get(bucket: string, key: string): Promise<Buffer> {
    const stream = await this.client.getObject(bucket, key);
    return streamToBuffer(stream);
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
