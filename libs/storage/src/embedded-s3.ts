import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

type S3rverClass = new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

/** s3rver accepts only its own key pair when it checks signatures. */
export const EMBEDDED_S3_KEY = 'S3RVER';

export interface EmbeddedS3 {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

/** An S3 server on 127.0.0.1 (a free port unless given), keeping objects under `directory`. */
export async function startEmbeddedS3(directory: string, port = 0): Promise<EmbeddedS3> {
  mkdirSync(directory, { recursive: true });
  // Loaded here, not on import: only the embedded default and the tests run the server, and a
  // service run as its own process (which imports this library for its S3 client) would
  // otherwise hold s3rver and its dependencies, about 11 MiB resident, for nothing.
  // s3rver ships no types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverClass;
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accessKey: EMBEDDED_S3_KEY,
    secretKey: EMBEDDED_S3_KEY,
    stop: () => server.close(),
  };
}
