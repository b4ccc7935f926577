// backup --out DIR: a copy of PostgreSQL and the object store that belong together. The
// database is dumped first (pg_dump, one snapshot); the objects are copied after it, so every
// object a row of the dump names is in the copy (an object stored meanwhile is copied too,
// and is harmless). manifest.json lists every file with its size and SHA-256.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { say } from '../print';
import { BackupManifest, BackupObject, BACKUP_FORMAT, MANIFEST_FILE } from './manifest';
import {
  digestFile,
  loadOpsSettings,
  OpsError,
  OpsSettings,
  pgToolVersion,
  runPgTool,
  storageOf,
  systemBuckets,
  withDatabase,
} from './tools';

const DUMP_FILE = 'database.dump';

export async function backup(out: string, given?: OpsSettings): Promise<number> {
  const dir = resolve(out);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new OpsError('BACKUP_TARGET_NOT_EMPTY', `备份目录 ${dir} 不是空的：请给一个新目录，旧备份不会被覆盖`);
  const settings = given ?? loadOpsSettings();
  mkdirSync(dir, { recursive: true });

  const startedAt = new Date().toISOString();
  const database = await describeDatabase(settings.DATABASE_URL);
  say(`备份数据库 ${database.name}（PostgreSQL ${database.serverVersion}）…`);
  // Custom format: compressed, restored by pg_restore in one transaction. One snapshot.
  await runPgTool('pg_dump', ['--format=custom', `--file=${join(dir, DUMP_FILE)}`], settings.DATABASE_URL);
  const dump = await digestFile(join(dir, DUMP_FILE));
  say(`  数据库已导出：${DUMP_FILE}（${dump.size} 字节）`);

  const storage = storageOf(settings);
  const buckets: BackupManifest['buckets'] = [];
  for (const bucket of systemBuckets(settings)) {
    const objects: BackupObject[] = [];
    if (await storage.client.bucketExists(bucket.name)) {
      const keys: string[] = [];
      for await (const item of storage.list(bucket.name, '')) keys.push(item.key);
      keys.sort();
      for (const [index, key] of keys.entries()) {
        const file = join('objects', bucket.role, String(index + 1).padStart(6, '0'));
        objects.push(await copyObject(storage, bucket.name, key, dir, file));
      }
    }
    buckets.push({ role: bucket.role, name: bucket.name, objects });
    const bytes = objects.reduce((sum, o) => sum + o.size, 0);
    say(`  存储桶 ${bucket.name}：${objects.length} 个对象（${bytes} 字节）`);
  }

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    formatVersion: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    system: systemVersion(),
    database: { file: DUMP_FILE, ...dump, ...database, pgDump: await pgToolVersion('pg_dump') },
    buckets,
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  say(`备份完成：${dir}（清单 ${MANIFEST_FILE}，数据库导出开始于 ${startedAt}）`);
  return 0;
}

async function describeDatabase(
  url: string,
): Promise<Omit<BackupManifest['database'], 'file' | 'size' | 'sha256' | 'pgDump'>> {
  return withDatabase(url, async (client) => {
    const { rows: info } = await client.query<{ name: string; version: string }>(
      `SELECT current_database() AS name, current_setting('server_version') AS version`,
    );
    const { rows: schemas } = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%'
        ORDER BY nspname`,
    );
    const described: BackupManifest['database']['schemas'] = [];
    for (const { name } of schemas) {
      const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
        `"${name}".migrations`,
      ]);
      let lastMigration: string | null = null;
      if (rows[0].exists) {
        const last = await client.query<{ name: string }>(
          `SELECT name FROM "${name}".migrations ORDER BY timestamp DESC, id DESC LIMIT 1`,
        );
        lastMigration = last.rows[0]?.name ?? null;
      }
      described.push({ name, lastMigration });
    }
    return { name: info[0].name, serverVersion: info[0].version, schemas: described };
  });
}

async function copyObject(
  storage: ReturnType<typeof storageOf>,
  bucket: string,
  key: string,
  dir: string,
  file: string,
): Promise<BackupObject> {
  const stat = await storage.client.statObject(bucket, key);
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const digest = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(await storage.getStream(bucket, key), digest, createWriteStream(path));
  const meta = (stat.metaData ?? {}) as Record<string, string>;
  // As headers for the restore's PUT: the content headers kept as they are, user metadata
  // (the client strips its x-amz-meta- prefix) prefixed again; other x-amz-* are the store's own.
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(meta)) {
    const lower = name.toLowerCase();
    if (lower === 'content-type' || lower.startsWith('x-amz-') || lower.startsWith('if-')) continue;
    const kept = ['cache-control', 'content-encoding', 'content-disposition', 'content-language'].includes(lower);
    metadata[kept ? lower : `x-amz-meta-${lower}`] = String(value);
  }
  const contentType = String(meta['content-type'] ?? meta['Content-Type'] ?? 'application/octet-stream');
  return { key, file, size, sha256: hash.digest('hex'), contentType, metadata };
}

function systemVersion(): { name: string; version: string } {
  for (const candidate of [
    resolve(__dirname, '../../../../package.json'),
    resolve(__dirname, '../../../../../package.json'),
  ])
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name: string; version: string };
      return { name: pkg.name, version: pkg.version };
    }
  return { name: 'gov-site-report', version: 'unknown' };
}
