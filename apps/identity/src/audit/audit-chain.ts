import { AuditBrokenLink, AuditEntry } from '@app/contracts';
import { createHash } from 'node:crypto';

/** The "previous hash" of the first entry ever appended. */
export const GENESIS_HASH = '0'.repeat(64);

/** An entry with its place in the chain, as stored. */
export interface ChainedEntry extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * JSON with object keys sorted at every level and `undefined` members left out: the same
 * value always gives the same text, whichever order its keys were written or stored in
 * (PostgreSQL's jsonb reorders them).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

/**
 * An entry as it will read back from the table: the time at millisecond precision in UTC,
 * details through JSON (what jsonb keeps). Hashes are computed over this form.
 */
export function normalizeEntry(entry: AuditEntry): AuditEntry {
  return {
    ...entry,
    at: new Date(entry.at).toISOString(),
    details: entry.details === null || entry.details === undefined ? null : JSON.parse(JSON.stringify(entry.details)),
    actorAccountId: entry.actorAccountId ?? null,
    actorUsername: entry.actorUsername ?? null,
    actorOrgUnitId: entry.actorOrgUnitId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    correlationId: entry.correlationId ?? null,
  };
}

/** What an entry's hash covers: every stored field and its position, in a fixed order. */
export function entryContent(seq: number, entry: AuditEntry): string {
  return canonicalJson([
    'gsr-audit-v1',
    seq,
    entry.id,
    entry.at,
    entry.service,
    entry.action,
    entry.outcome,
    entry.actorAccountId,
    entry.actorUsername,
    entry.actorOrgUnitId,
    entry.targetType,
    entry.targetId,
    entry.details,
    entry.correlationId,
  ]);
}

/**
 * An entry's content as the text before and after its seq, for a chain link made where the seq
 * is known only under the head's lock (the database's login_succeeded):
 * `before + seq + after` is entryContent(seq, entry).
 */
export function contentAroundSeq(entry: AuditEntry): { before: string; after: string } {
  const before = `${canonicalJson(['gsr-audit-v1']).slice(0, -1)},`;
  const content = entryContent(0, entry);
  if (!content.startsWith(`${before}0,`)) throw new Error('unexpected audit content layout');
  return { before, after: content.slice(before.length + 1) };
}

/** SHA-256 (hex) over the previous entry's hash and this entry's content. */
export function chainHash(prevHash: string, seq: number, entry: AuditEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(entryContent(seq, entry), 'utf8').digest('hex');
}

/** Links normalized entries onto the chain after `head`; answers them with seq and hashes, and the new head. */
export function linkEntries(
  head: { seq: number; hash: string },
  entries: AuditEntry[],
): { linked: ChainedEntry[]; head: { seq: number; hash: string } } {
  let { seq, hash } = head;
  const linked = entries.map((raw) => {
    const entry = normalizeEntry(raw);
    const prevHash = hash;
    seq += 1;
    hash = chainHash(prevHash, seq, entry);
    return { ...entry, seq, prevHash, hash };
  });
  return { linked, head: { seq, hash } };
}

/**
 * Checks the chain in order, one stored entry at a time, from the anchor (the last purged
 * entry's hash, or GENESIS_HASH) to the head row's last position and hash. Stops at the
 * first link that does not hold.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private previousHash: string;
  checked = 0;
  broken: AuditBrokenLink | null = null;

  constructor(anchor: { seq: number; hash: string }) {
    this.expectedSeq = anchor.seq + 1;
    this.previousHash = anchor.hash;
  }

  /** Answers false once a link is broken (no need to read further). */
  check(entry: ChainedEntry): boolean {
    if (this.broken) return false;
    const link = { entryId: entry.id, seq: entry.seq, at: entry.at };
    if (entry.seq !== this.expectedSeq) {
      this.broken = {
        ...link,
        problem:
          entry.seq > this.expectedSeq
            ? `缺少序号 ${this.expectedSeq}${entry.seq - 1 > this.expectedSeq ? `–${entry.seq - 1}` : ''} 的记录（已被删除）`
            : `序号 ${entry.seq} 重复或顺序错乱`,
      };
      return false;
    }
    if (entry.prevHash !== this.previousHash) {
      this.broken = { ...link, problem: '记录的“前一条哈希”与前一条记录不符（前一条被改动、删除或插入）' };
      return false;
    }
    if (chainHash(entry.prevHash, entry.seq, entry) !== entry.hash) {
      this.broken = { ...link, problem: '记录内容与其哈希不符（内容被改动）' };
      return false;
    }
    this.checked += 1;
    this.expectedSeq += 1;
    this.previousHash = entry.hash;
    return true;
  }

  /** After the last stored entry: the chain must end where the head row says. */
  finish(head: { seq: number; hash: string }): AuditBrokenLink | null {
    if (this.broken) return this.broken;
    const lastSeq = this.expectedSeq - 1;
    if (lastSeq < head.seq)
      this.broken = {
        entryId: null,
        seq: lastSeq + 1,
        at: null,
        problem: `链尾缺少序号 ${lastSeq + 1}${head.seq > lastSeq + 1 ? `–${head.seq}` : ''} 的记录（已被删除）`,
      };
    else if (lastSeq > head.seq || this.previousHash !== head.hash)
      this.broken = { entryId: null, seq: head.seq, at: null, problem: '链头记录与最后一条记录不符（链头被改动）' };
    return this.broken;
  }
}
