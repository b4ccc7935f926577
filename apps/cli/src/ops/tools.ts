// What the operator commands (backup, restore, rekey) share: their settings, the PostgreSQL
// client binaries, files hashed as they are written or read.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { DatabaseSettings, loadSettings, StorageSettings } from '@app/platform';
import { bucketName, BUCKETS, BucketName, ObjectStorage } from '@app/storage';
import { Client } from 'pg';

/** An operator command stopped on purpose (exit code 1), with a stable code and a Chinese message. */
export class OpsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

/** The settings the services use: DATABASE_URL and the S3_* of the deployment (README table). */
export function loadOpsSettings() {
  return loadSettings([DatabaseSettings, StorageSettings]);
}

export type OpsSettings = ReturnType<typeof loadOpsSettings>;

export function storageOf(settings: OpsSettings): ObjectStorage {
  return new ObjectStorage({
    endpoint: settings.S3_ENDPOINT,
    accessKey: settings.S3_ACCESS_KEY,
    secretKey: settings.S3_SECRET_KEY,
    region: settings.S3_REGION,
  });
}

/** Every bucket of the system, by its role and its name under S3_BUCKET_PREFIX. */
export function systemBuckets(settings: OpsSettings): Array<{ role: BucketName; name: string }> {
  return (Object.keys(BUCKETS) as BucketName[]).map((role) => ({ role, name: bucketName(settings, role) }));
}

export async function withDatabase<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The connection for pg_dump / pg_restore: the URL without its password (command lines are
 * visible to every user of the host), the password in PGPASSWORD.
 */
function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

/** A PostgreSQL client binary (pg_dump, pg_restore) from PATH, or from PG_BIN_DIR when set. */
function pgBinary(name: string): string {
  const dir = process.env.PG_BIN_DIR;
  return dir ? `${dir.replace(/\/$/, '')}/${name}` : name;
}

/** Runs pg_dump / pg_restore against `url`; answers its stdout, throws OpsError with its stderr. */
export function runPgTool(name: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<string> {
  const { dbname, env } = pgConnection(url);
  return new Promise((resolve, reject) => {
    const child = spawn(pgBinary(name), [...args, `--dbname=${dbname}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new OpsError(
          'PG_TOOL_MISSING',
          error.code === 'ENOENT'
            ? `找不到 ${name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client，主版本不低于服务器），或用 PG_BIN_DIR 指定其目录`
            : `${name} 无法运行：${error.message}`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new OpsError('PG_TOOL_FAILED', `${name} 失败（退出码 ${code}）：${err.trim() || '无输出'}`)),
    );
  });
}

/**
 * Replaces the database's contents with a custom-format dump, all of it or nothing: pg_restore
 * writes the script (each object of the dump dropped if it exists, then made again) and psql runs
 * it in ONE transaction, after `prelude` (statements run first in the same transaction).
 * pg_restore's own --clean cannot drop a partition's inherited constraints, which is why the
 * script goes through psql: the prelude drops the partitioned tables first.
 */
export function restoreReplacing(dumpFile: string, url: string, prelude: string): Promise<void> {
  const { dbname, env } = pgConnection(url);
  // The drops of objects that are not there say NOTICE; only warnings and errors are wanted.
  const quiet = { ...env, PGOPTIONS: `${env.PGOPTIONS ?? ''} -c client_min_messages=warning`.trim() };
  return new Promise((resolve, reject) => {
    const restore = spawn(pgBinary('pg_restore'), ['--clean', '--if-exists', '--file=-', dumpFile], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const psql = spawn(
      pgBinary('psql'),
      ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--dbname=${dbname}`],
      { env: quiet, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    const errors = { pg_restore: '', psql: '' };
    const codes: Partial<Record<'pg_restore' | 'psql', number | null>> = {};
    let failed = false;
    const fail = (error: OpsError) => {
      if (failed) return;
      failed = true;
      restore.kill();
      psql.kill();
      reject(error);
    };
    for (const [name, child] of [
      ['pg_restore', restore],
      ['psql', psql],
    ] as const) {
      child.stderr.on('data', (chunk: Buffer) => (errors[name] += chunk.toString('utf8')));
      child.on('error', (error: NodeJS.ErrnoException) =>
        fail(
          new OpsError(
            'PG_TOOL_MISSING',
            error.code === 'ENOENT'
              ? `找不到 ${name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client，主版本不低于服务器），或用 PG_BIN_DIR 指定其目录`
              : `${name} 无法运行：${error.message}`,
          ),
        ),
      );
      child.on('close', (code) => {
        codes[name] = code;
        if (code !== 0)
          return fail(
            new OpsError('PG_TOOL_FAILED', `${name} 失败（退出码 ${code}）：${errors[name].trim() || '无输出'}`),
          );
        if (codes.pg_restore === 0 && codes.psql === 0 && !failed) resolve();
      });
    }
    psql.stdin.on('error', () => undefined); // psql stopped on an error: its exit code says so
    psql.stdin.write(prelude);
    restore.stdout.pipe(psql.stdin);
  });
}

/** `pg_dump (PostgreSQL) 15.20 …` → the version string. */
export async function pgToolVersion(name: 'pg_dump' | 'pg_restore'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(pgBinary(name), ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', () =>
      reject(
        new OpsError(
          'PG_TOOL_MISSING',
          `找不到 ${name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client，主版本不低于服务器），或用 PG_BIN_DIR 指定其目录`,
        ),
      ),
    );
    child.on('close', () => resolve(out.trim()));
  });
}

export interface FileDigest {
  size: number;
  sha256: string;
}

export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}
