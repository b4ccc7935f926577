// restore --from DIR [--force]: puts a backup (backup --out DIR) back. First every file is
// checked against the manifest (size and SHA-256): a damaged or incomplete backup is refused
// before anything changes. A target that already holds data is refused unless --force. Then
// the database (pg_restore, one transaction: all of it or nothing), then the objects.
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { say } from '../print';
import { BackupManifest, insideBackup, readManifest } from './manifest';
import {
  digestFile,
  loadOpsSettings,
  OpsError,
  OpsSettings,
  restoreReplacing,
  runPgTool,
  storageOf,
  systemBuckets,
  withDatabase,
} from './tools';

export async function restore(from: string, force: boolean, given?: OpsSettings): Promise<number> {
  const dir = resolve(from);
  const manifest = readManifest(dir);
  await verifyBackup(dir, manifest);
  const objectCount = manifest.buckets.reduce((sum, b) => sum + b.objects.length, 0);
  say(`备份校验通过：数据库导出和 ${objectCount} 个对象的大小与 sha256 均与清单一致（备份于 ${manifest.startedAt}）`);
  // The settings only now: a damaged backup is refused wherever it is checked.
  const settings = given ?? loadOpsSettings();

  const storage = storageOf(settings);
  const buckets = systemBuckets(settings);
  const tables = await userTables(settings.DATABASE_URL);
  const filled: string[] = [];
  for (const bucket of buckets)
    if (await storage.client.bucketExists(bucket.name))
      for await (const item of storage.list(bucket.name, '')) {
        if (item.key) filled.push(bucket.name);
        break;
      }
  if ((tables > 0 || filled.length > 0) && !force)
    throw new OpsError(
      'RESTORE_TARGET_NOT_EMPTY',
      `目标不是空的（${[tables > 0 ? `数据库已有 ${tables} 张表` : '', filled.length > 0 ? `存储桶 ${filled.join('、')} 已有对象` : ''].filter(Boolean).join('，')}），未做任何改动。确认要用备份替换其中的数据时加 --force（先停止所有服务）`,
    );

  say('恢复数据库…');
  const dump = resolve(dir, manifest.database.file);
  if (tables > 0) {
    // Replacing: every object of the dump is dropped and made again, in one transaction; the
    // partitioned tables (monitoring's daily probe partitions) first, with their partitions.
    const partitioned = await partitionedTables(settings.DATABASE_URL);
    await restoreReplacing(
      dump,
      settings.DATABASE_URL,
      partitioned.map((table) => `DROP TABLE IF EXISTS ${table} CASCADE;\n`).join(''),
    );
  } else await runPgTool('pg_restore', ['--single-transaction', '--exit-on-error', dump], settings.DATABASE_URL);
  say(`  数据库已恢复（${manifest.database.schemas.map((s) => s.name).join('、')}）`);

  for (const bucket of buckets) {
    const saved = manifest.buckets.find((b) => b.role === bucket.role)?.objects ?? [];
    await storage.ensureBuckets([bucket.name], settings.S3_REGION);
    const keep = new Set(saved.map((o) => o.key));
    let removed = 0;
    const stale: string[] = [];
    for await (const item of storage.list(bucket.name, '')) if (!keep.has(item.key)) stale.push(item.key);
    for (const key of stale) {
      await storage.remove(bucket.name, key);
      removed++;
    }
    for (const object of saved) {
      const written = await storage.putStream(
        bucket.name,
        object.key,
        createReadStream(insideBackup(dir, object.file)) as AsyncIterable<Buffer>,
        object.contentType,
        { metadata: object.metadata },
      );
      if (written.size !== object.size)
        throw new OpsError(
          'RESTORE_FAILED',
          `对象 ${bucket.name}/${object.key} 写入 ${written.size} 字节，应为 ${object.size}`,
        );
    }
    say(`  存储桶 ${bucket.name}：恢复 ${saved.length} 个对象${removed > 0 ? `，删除备份中没有的 ${removed} 个` : ''}`);
  }
  say(`恢复完成：数据库和 ${objectCount} 个对象与 ${manifest.startedAt} 的备份一致。现在可以启动服务`);
  return 0;
}

async function verifyBackup(dir: string, manifest: BackupManifest): Promise<void> {
  const expected = [
    {
      label: '数据库导出',
      file: manifest.database.file,
      size: manifest.database.size,
      sha256: manifest.database.sha256,
    },
    ...manifest.buckets.flatMap((b) =>
      b.objects.map((o) => ({ label: `对象 ${b.name}/${o.key}`, file: o.file, size: o.size, sha256: o.sha256 })),
    ),
  ];
  const problems: string[] = [];
  for (const entry of expected) {
    const actual = await digestFile(insideBackup(dir, entry.file)).catch(() => undefined);
    if (!actual) problems.push(`${entry.label}（${entry.file}）缺失`);
    else if (actual.size !== entry.size)
      problems.push(`${entry.label}（${entry.file}）大小 ${actual.size}，清单为 ${entry.size}`);
    else if (actual.sha256 !== entry.sha256) problems.push(`${entry.label}（${entry.file}）sha256 与清单不符`);
  }
  if (problems.length > 0)
    throw new OpsError(
      'BACKUP_CORRUPT',
      `备份与清单不符，未做任何改动：\n  - ${problems.slice(0, 20).join('\n  - ')}${problems.length > 20 ? `\n  - 另有 ${problems.length - 20} 处` : ''}`,
    );
}

/** Tables outside PostgreSQL's own schemas: a new, empty database has none. */
function userTables(url: string): Promise<number> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    return rows[0].n;
  });
}

/** The partitioned tables of the target, as quoted qualified names. */
async function partitionedTables(url: string): Promise<string[]> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'p' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    return rows.map((row) => row.name);
  });
}
