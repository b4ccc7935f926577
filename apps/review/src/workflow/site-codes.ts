import { Inject, Injectable } from '@nestjs/common';
import { RecordErrorCodes } from '@app/contracts';
import { APP_CONFIG, DomainError, EncryptionSettings, FieldCipher } from '@app/platform';
import { randomInt } from 'node:crypto';
import { EntityManager } from 'typeorm';

/** 校验码 alphabet: A–Z and 2–9 without the look-alikes O, I, L (and 0, 1). */
export const CHECK_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CHECK_CODE_LENGTH = 6;
export const MAX_SEQUENCE = 9999;

const CHECK_VIOLATION = '23514';

/** A 6-character 校验码 from the CSPRNG (randomInt is unbiased). */
export function newCheckCode(): string {
  let code = '';
  for (let i = 0; i < CHECK_CODE_LENGTH; i++) code += CHECK_CODE_ALPHABET[randomInt(CHECK_CODE_ALPHABET.length)];
  return code;
}

/** 网站标识码: the owner's unit code followed by its 4-digit sequence. */
export function siteCodeOf(ownerCode: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE)
    throw new Error(`sequence out of range: ${sequence}`);
  return `${ownerCode}${String(sequence).padStart(4, '0')}`;
}

/**
 * Hands out each owner's next sequence numbers: `n` per owner, consecutive, from its counter
 * row (0001–9999). The row is locked by the UPSERT until the transaction ends, so two
 * approvals of one owner's records queue on it: no gaps, no duplicates; a rollback gives the
 * numbers back. Owners are taken in code order so concurrent batches lock in one order.
 */
export async function reserveSequences(
  manager: EntityManager,
  counts: Map<string, number>,
): Promise<Map<string, number>> {
  const owners = [...counts.keys()].sort();
  if (owners.length === 0) return new Map();
  try {
    const rows: Array<{ owner_code: string; last_sequence: number }> = await manager.query(
      `INSERT INTO site_code_counter (owner_code, last_sequence)
       SELECT owner_code, n FROM unnest($1::varchar[], $2::int[]) AS t(owner_code, n) ORDER BY owner_code
       ON CONFLICT (owner_code) DO UPDATE SET last_sequence = site_code_counter.last_sequence + EXCLUDED.last_sequence
       RETURNING owner_code, last_sequence`,
      [owners, owners.map((owner) => counts.get(owner))],
    );
    // The first number of each owner's block.
    return new Map(rows.map((row) => [row.owner_code, row.last_sequence - (counts.get(row.owner_code) ?? 0) + 1]));
  } catch (err) {
    if ((err as { code?: string }).code === CHECK_VIOLATION) {
      throw new DomainError(
        RecordErrorCodes.SITE_CODES_EXHAUSTED,
        `网站标识码已用完：每个单位最多 ${MAX_SEQUENCE} 个（0001–${MAX_SEQUENCE}），请联系上级单位处理`,
        { ownerCodes: owners },
      );
    }
    throw err;
  }
}

export interface CodedRecord {
  id: string;
  siteCode: string;
  checkCode: string;
}

/** Gives every record that has none its 标识码 and an encrypted 校验码; codes never change afterwards. */
@Injectable()
export class SiteCodes {
  private readonly cipher: FieldCipher;

  constructor(@Inject(APP_CONFIG) config: EncryptionSettings) {
    this.cipher = new FieldCipher(config.ENCRYPTION_KEY);
  }

  /** `records` must be locked by the caller and still without a code. */
  async assign(manager: EntityManager, records: Array<{ id: string; ownerCode: string }>): Promise<CodedRecord[]> {
    if (records.length === 0) return [];
    const byOwner = new Map<string, string[]>();
    for (const record of [...records].sort((a, b) => a.id.localeCompare(b.id)))
      byOwner.set(record.ownerCode, [...(byOwner.get(record.ownerCode) ?? []), record.id]);
    const first = await reserveSequences(manager, new Map([...byOwner].map(([owner, ids]) => [owner, ids.length])));
    const coded: CodedRecord[] = [];
    for (const [owner, ids] of byOwner)
      ids.forEach((id, index) =>
        coded.push({
          id,
          siteCode: siteCodeOf(owner, (first.get(owner) as number) + index),
          checkCode: newCheckCode(),
        }),
      );
    await manager.query(
      `UPDATE record r SET site_code = v.code, check_code_enc = v.enc, coded_at = now()
         FROM unnest($1::uuid[], $2::varchar[], $3::text[]) AS v(id, code, enc)
        WHERE r.id = v.id AND r.site_code IS NULL`,
      [coded.map((c) => c.id), coded.map((c) => c.siteCode), coded.map((c) => this.seal(c.id, c.checkCode))],
    );
    return coded;
  }

  seal(recordId: string, checkCode: string): string {
    return this.cipher.encrypt(checkCode, `check-code:${recordId}`);
  }

  open(recordId: string, sealed: string): string {
    return this.cipher.decrypt(sealed, `check-code:${recordId}`);
  }
}
