// The manifest of a backup directory (manifest.json): what is in it, with the size and
// SHA-256 of every file, so a restore can refuse a damaged or incomplete copy before it
// changes anything.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { OpsError } from './tools';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'gsr-backup';

export interface BackupObject {
  key: string;
  /** Path of the copy, relative to the backup directory. */
  file: string;
  size: number;
  sha256: string;
  contentType: string;
  /** Headers restored with the object: its user metadata (x-amz-meta-*) and content headers. */
  metadata: Record<string, string>;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  /** When the database dump started (every row is from this moment) and when the copy ended. */
  startedAt: string;
  finishedAt: string;
  system: { name: string; version: string };
  database: {
    file: string;
    size: number;
    sha256: string;
    /** The database dumped (its name) and the server's version. */
    name: string;
    serverVersion: string;
    pgDump: string;
    /** Schemas in the dump, with their migrations (the last one applied), for the reader. */
    schemas: Array<{ name: string; lastMigration: string | null }>;
  };
  buckets: Array<{ role: string; name: string; objects: BackupObject[] }>;
}

export function readManifest(dir: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch (error) {
    throw new OpsError(
      'BACKUP_MANIFEST_INVALID',
      `无法读取备份清单 ${join(dir, MANIFEST_FILE)}：${(error as Error).message}`,
    );
  }
  if (manifest?.format !== BACKUP_FORMAT || manifest.formatVersion !== 1 || !manifest.database || !manifest.buckets)
    throw new OpsError('BACKUP_MANIFEST_INVALID', `${join(dir, MANIFEST_FILE)} 不是本系统的备份清单（第 1 版）`);
  for (const file of [manifest.database.file, ...manifest.buckets.flatMap((b) => b.objects.map((o) => o.file))])
    insideBackup(dir, file);
  return manifest;
}

/** A file named by the manifest, refused unless it lies inside the backup directory. */
export function insideBackup(dir: string, file: string): string {
  const relative = normalize(String(file));
  if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`))
    throw new OpsError('BACKUP_MANIFEST_INVALID', `备份清单中的文件路径不在备份目录内：${file}`);
  return join(dir, relative);
}
