import { Inject, Injectable } from '@nestjs/common';
import { RecordErrorCodes } from '@app/contracts';
import { APP_CONFIG, DomainError, EncryptionSettings, fieldCipherOf, FieldCipher } from '@app/platform';
import { randomInt } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { SiteCodeCounterRepository } from './site-code-counter.repository';

/** 校验码 alphabet: A–Z and 2–9 without the look-alikes O, I, L (and 0, 1). */
export const CHECK_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CHECK_CODE_LENGTH = 6;
export const MAX_SEQUENCE = 9999;

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

export interface CodedRecord {
  id: string;
  siteCode: string;
  checkCode: string;
  /** The 校验码 sealed for storage (bound to the record). */
  checkCodeEnc: string;
}

/**
 * Allocates 标识码 and 校验码 for records that have none; the caller writes them with the move
 * (RecordRepository.applyMoves), so each row is updated once. Codes never change afterwards.
 */
@Injectable()
export class SiteCodes {
  private readonly cipher: FieldCipher;

  constructor(
    @Inject(APP_CONFIG) config: EncryptionSettings,
    private readonly counters: SiteCodeCounterRepository,
  ) {
    this.cipher = fieldCipherOf(config);
  }

  /**
   * `records` must be locked by the caller and still without a code. Draws and seals each
   * record's 校验码 first (CPU only: a caller may have a statement running meanwhile), then
   * takes each owner's numbers from its counter row (locked until the caller's transaction
   * ends).
   */
  async allocate(manager: EntityManager, records: Array<{ id: string; ownerCode: string }>): Promise<CodedRecord[]> {
    if (records.length === 0) return [];
    const byOwner = new Map<string, string[]>();
    // In id order (the order records are locked in), each owner's numbers in one block.
    for (const record of [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const ids = byOwner.get(record.ownerCode);
      if (ids) ids.push(record.id);
      else byOwner.set(record.ownerCode, [record.id]);
    }
    const checkCodes = new Map<string, { checkCode: string; checkCodeEnc: string }>();
    for (const { id } of records) {
      const checkCode = newCheckCode();
      checkCodes.set(id, { checkCode, checkCodeEnc: this.seal(id, checkCode) });
    }
    const first = await this.counters.reserve(
      manager,
      new Map([...byOwner].map(([owner, ids]) => [owner, ids.length])),
    );
    if (!first)
      throw new DomainError(
        RecordErrorCodes.SITE_CODES_EXHAUSTED,
        `网站标识码已用完：每个单位最多 ${MAX_SEQUENCE} 个（0001–${MAX_SEQUENCE}），请联系上级单位处理`,
        { ownerCodes: [...byOwner.keys()].sort() },
      );
    const coded: CodedRecord[] = [];
    for (const [owner, ids] of byOwner)
      ids.forEach((id, index) =>
        coded.push({ id, siteCode: siteCodeOf(owner, (first.get(owner) as number) + index), ...checkCodes.get(id)! }),
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
