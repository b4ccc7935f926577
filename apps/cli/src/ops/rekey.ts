// rekey [--batch N]: after ENCRYPTION_KEY was rotated (the old key moved to
// ENCRYPTION_PREVIOUS_KEYS), seals every encrypted field again with the current key, so the
// previous keys can then be removed. Batches in key order, each row written only if it still
// holds the value read (a service changing the row meanwhile wins); a value already sealed with
// the current key is skipped, so an interrupted run is simply run again. The run is audited
// (字段重新加密) with its counts.
import { userInfo } from 'node:os';
import {
  DatabaseSettings,
  EncryptionSettings,
  auditEntry,
  fieldCipherOf,
  FieldCipher,
  loadSettings,
} from '@app/platform';
import { DataSource } from 'typeorm';
import { AuditLogRepository } from '../../../identity/src/audit/audit-log.repository';
import { say } from '../print';
import { OpsError } from './tools';

/** Every encrypted field: where it is, its row key, and the associated data it is bound to. */
export const SEALED_FIELDS = [
  {
    name: 'identity.account.initial_password_enc',
    label: '初始密码',
    table: 'identity.account',
    column: 'initial_password_enc',
    id: 'id',
    context: (row: Row) => `initial-password:${row.username}`,
    extra: 'username',
    where: 'initial_password_enc IS NOT NULL',
  },
  {
    name: 'review.record.check_code_enc',
    label: '校验码',
    table: 'review.record',
    column: 'check_code_enc',
    id: 'id',
    context: (row: Row) => `check-code:${row.id}`,
    extra: 'id',
    where: 'check_code_enc IS NOT NULL',
  },
  {
    name: 'notification.mail.body',
    label: '待发邮件正文',
    table: 'notification.mail',
    column: 'body',
    id: 'id',
    context: (row: Row) => `mail:${row.key}`,
    extra: 'key',
    // Sent mail keeps its row with the body emptied ('').
    where: "body_sealed AND body <> ''",
  },
] as const;

type Row = { id: string; value: string } & Record<string, string>;

export interface RekeyCounts {
  /** Values read, values sealed again, values already under the current key, values no key opens. */
  scanned: number;
  resealed: number;
  current: number;
  failed: number;
  /** Rows changed by a service between our read and our write (left as the service wrote them). */
  changed: number;
}

export async function rekey(batch: number): Promise<number> {
  const settings = loadSettings([DatabaseSettings, EncryptionSettings]);
  const cipher = fieldCipherOf(settings);
  const dataSource = new DataSource({ type: 'postgres', url: settings.DATABASE_URL, extra: { max: 1 } });
  await dataSource.initialize();
  try {
    say(`用当前密钥（编号 ${cipher.keyId}）重新加密字段，每批 ${batch} 条…`);
    const results: Record<string, RekeyCounts> = {};
    for (const field of SEALED_FIELDS) {
      const exists = (await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [field.table])) as Array<{
        exists: boolean;
      }>;
      if (!exists[0].exists) continue;
      results[field.name] = await rekeyField(dataSource, cipher, field, batch);
      const c = results[field.name];
      say(
        `  ${field.label}（${field.name}）：共 ${c.scanned} 条，重新加密 ${c.resealed} 条，已是当前密钥 ${c.current} 条` +
          `${c.changed > 0 ? `，期间被服务改写 ${c.changed} 条（保留服务写入的值）` : ''}${c.failed > 0 ? `，无法解密 ${c.failed} 条` : ''}`,
      );
    }
    const total = Object.values(results).reduce(
      (sum, c) => ({
        scanned: sum.scanned + c.scanned,
        resealed: sum.resealed + c.resealed,
        current: sum.current + c.current,
        failed: sum.failed + c.failed,
        changed: sum.changed + c.changed,
      }),
      { scanned: 0, resealed: 0, current: 0, failed: 0, changed: 0 },
    );
    await recordRun(settings.DATABASE_URL, cipher.keyId, total, results);
    if (total.failed > 0)
      throw new OpsError(
        'REKEY_INCOMPLETE',
        `${total.failed} 个字段无法用当前密钥或 ENCRYPTION_PREVIOUS_KEYS 中的密钥解密，保持原样：把加密它们的旧密钥加入 ENCRYPTION_PREVIOUS_KEYS 后重跑 rekey；在此之前不要移除任何旧密钥`,
      );
    say(
      `完成：重新加密 ${total.resealed} 条，已是当前密钥 ${total.current} 条。所有加密字段都已使用当前密钥，可以从 ENCRYPTION_PREVIOUS_KEYS 中移除旧密钥`,
    );
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

async function rekeyField(
  dataSource: DataSource,
  cipher: FieldCipher,
  field: (typeof SEALED_FIELDS)[number],
  batch: number,
): Promise<RekeyCounts> {
  const counts: RekeyCounts = { scanned: 0, resealed: 0, current: 0, failed: 0, changed: 0 };
  let after: string | null = null;
  for (;;) {
    const rows = (await dataSource.query(
      `SELECT ${field.id}::text AS id, ${field.extra}::text AS "${field.extra}", ${field.column} AS value
         FROM ${field.table}
        WHERE ${field.where} ${after === null ? '' : `AND ${field.id} > $2`}
        ORDER BY ${field.id} LIMIT $1`,
      after === null ? [batch] : [batch, after],
    )) as Row[];
    if (rows.length === 0) return counts;
    after = rows[rows.length - 1].id;
    const updates: Array<{ id: string; old: string; next: string }> = [];
    for (const row of rows) {
      counts.scanned++;
      if (cipher.isCurrent(row.value)) {
        counts.current++;
        continue;
      }
      try {
        updates.push({ id: row.id, old: row.value, next: cipher.reseal(row.value, field.context(row)) });
      } catch {
        counts.failed++;
      }
    }
    if (updates.length === 0) continue;
    // Compare-and-set: a row a service changed since our read (a password changed, a mail
    // sent and emptied) keeps the service's value.
    const result = (await dataSource.query(
      `UPDATE ${field.table} t SET ${field.column} = u.next
         FROM jsonb_to_recordset($1::jsonb) AS u(id text, old text, next text)
        WHERE t.${field.id}::text = u.id AND t.${field.column} = u.old
        RETURNING t.${field.id}`,
      [JSON.stringify(updates)],
    )) as [unknown[], number];
    const written = Array.isArray(result[0]) ? result[0].length : 0;
    counts.resealed += written;
    counts.changed += updates.length - written;
  }
}

async function recordRun(
  url: string,
  keyId: string,
  total: RekeyCounts,
  fields: Record<string, RekeyCounts>,
): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    extra: { options: '-c search_path=identity', max: 1 },
  });
  await dataSource.initialize();
  try {
    await new AuditLogRepository(dataSource).insert(null, [
      auditEntry('cli', {
        actor: null,
        action: 'field.rekey',
        outcome: total.failed > 0 ? 'failure' : 'success',
        targetType: 'encryption-key',
        targetId: keyId,
        details: { keyId, operator: operatorName(), ...total, fields },
      }),
    ]);
  } finally {
    await dataSource.destroy();
  }
}

/** The operating-system account that ran the command (the audit entry has no system account). */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
