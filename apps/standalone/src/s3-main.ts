import { resolve } from 'node:path';
import { startEmbeddedS3 } from '@app/storage';

/**
 * The embedded S3 (s3rver, as `npm start` runs it) as a process of its own, for `npm run
 * cluster`: `node dist/apps/standalone/src/s3-main.js <directory> [port]`. Prints one JSON
 * line `{endpoint, accessKey, secretKey}` once it listens; SIGTERM/SIGINT stop it.
 */
async function main(): Promise<void> {
  const [directory, port] = process.argv.slice(2);
  if (!directory) {
    process.stderr.write('用法：node s3-main.js <数据目录> [端口]\n');
    process.exit(2);
  }
  const s3 = await startEmbeddedS3(resolve(directory), port ? Number(port) : 0);
  const { endpoint, accessKey, secretKey } = s3;
  process.stdout.write(`${JSON.stringify({ endpoint, accessKey, secretKey })}\n`);
  const stop = () => void s3.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`对象存储启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
