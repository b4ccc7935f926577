import { AuditEntry } from '@app/contracts';
import { createHash } from 'node:crypto';
import {
  canonicalJson,
  chainHash,
  ChainedEntry,
  ChainVerifier,
  contentAroundSeq,
  entryContent,
  GENESIS_HASH,
  linkEntries,
} from './audit-chain';

function entry(n: number, details: Record<string, unknown> | null = { siteName: `网站${n}`, n }): AuditEntry {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    service: 'review',
    action: 'record.approve',
    outcome: 'success',
    actorAccountId: null,
    actorUsername: '130300',
    actorOrgUnitId: null,
    targetType: 'record',
    targetId: `r${n}`,
    details,
    correlationId: null,
  };
}

function chain(count: number, anchor = { seq: 0, hash: GENESIS_HASH }): ChainedEntry[] {
  return linkEntries(
    anchor,
    Array.from({ length: count }, (_, i) => entry(anchor.seq + i + 1)),
  ).linked;
}

function verify(entries: ChainedEntry[], head = entries[entries.length - 1], anchor = { seq: 0, hash: GENESIS_HASH }) {
  const verifier = new ChainVerifier(anchor);
  for (const e of entries) if (!verifier.check(e)) break;
  return { broken: verifier.finish({ seq: head?.seq ?? anchor.seq, hash: head?.hash ?? anchor.hash }), verifier };
}

describe('audit hash chain', () => {
  it('links each entry to the previous one: prevHash is the previous hash, seq counts from 1', () => {
    const entries = chain(3);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[2].prevHash).toBe(entries[1].hash);
    for (const e of entries) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(entries.map((e) => e.hash)).size).toBe(3);
  });

  it('verifies an intact chain and counts the entries checked', () => {
    const { broken, verifier } = verify(chain(5));
    expect(broken).toBeNull();
    expect(verifier.checked).toBe(5);
  });

  it('hashes the same content the same way whatever order the stored details come back in (jsonb)', () => {
    const [first] = linkEntries({ seq: 0, hash: GENESIS_HASH }, [entry(1, { b: 1, a: { d: 2, c: [1, 'x'] } })]).linked;
    const reordered = { ...first, details: { a: { c: [1, 'x'], d: 2 }, b: 1 } };
    expect(verify([reordered]).broken).toBeNull();
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
  });

  it('names a changed entry as the first broken link', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], details: { siteName: '改过的网站', n: 3 } };
    const { broken, verifier } = verify(entries);
    expect(broken).toMatchObject({ entryId: entries[2].id, seq: 3, at: entries[2].at });
    expect(broken!.problem).toContain('内容被改动');
    expect(verifier.checked).toBe(2);
  });

  it('catches a changed entry whose hash was recomputed: the next entry no longer links', () => {
    const entries = chain(4);
    const forged = { ...entries[1], actorUsername: 'someone' };
    entries[1] = { ...forged, hash: chainHash(forged.prevHash, forged.seq, forged) };
    const { broken } = verify(entries);
    expect(broken).toMatchObject({ entryId: entries[2].id, seq: 3 });
    expect(broken!.problem).toContain('前一条');
  });

  it('catches a deleted entry in the middle and at the end', () => {
    const entries = chain(5);
    const middle = verify([...entries.slice(0, 2), ...entries.slice(3)], entries[4]).broken;
    expect(middle).toMatchObject({ entryId: entries[3].id, seq: 4 });
    expect(middle!.problem).toContain('缺少序号 3');
    const tail = verify(entries.slice(0, 4), entries[4]).broken;
    expect(tail).toMatchObject({ entryId: null, seq: 5 });
    expect(tail!.problem).toContain('链尾缺少序号 5');
  });

  it('covers the time, the outcome and the position', () => {
    const [e] = chain(1);
    const base = chainHash(e.prevHash, e.seq, e);
    expect(chainHash(e.prevHash, e.seq, { ...e, at: '2026-01-01T00:00:02.000Z' })).not.toBe(base);
    expect(chainHash(e.prevHash, e.seq, { ...e, outcome: 'denied' })).not.toBe(base);
    expect(chainHash(e.prevHash, 2, e)).not.toBe(base);
    expect(chainHash('f'.repeat(64), e.seq, e)).not.toBe(base);
  });

  it('verifies what remains after a purge from the anchor (the last purged entry)', () => {
    const entries = chain(6);
    const anchor = { seq: entries[2].seq, hash: entries[2].hash };
    const { broken, verifier } = verify(entries.slice(3), entries[5], anchor);
    expect(broken).toBeNull();
    expect(verifier.checked).toBe(3);
    // Without the anchor the remaining chain cannot be told from a cut one.
    expect(verify(entries.slice(3), entries[5]).broken).toMatchObject({ seq: 4 });
  });

  it('continues a chain across appends', () => {
    const first = linkEntries({ seq: 0, hash: GENESIS_HASH }, [entry(1), entry(2)]);
    const second = linkEntries(first.head, [entry(3)]);
    expect(second.linked[0]).toMatchObject({ seq: 3, prevHash: first.linked[1].hash });
    expect(verify([...first.linked, ...second.linked]).broken).toBeNull();
  });

  it('gives the content around the seq so that a link made in the database hashes as linkEntries does', () => {
    const e = linkEntries({ seq: 0, hash: GENESIS_HASH }, [entry(7, { client: '127.0.0.1', 名: '引号"\\' })]).linked[0];
    const { before, after } = contentAroundSeq(e);
    for (const seq of [1, 9, 10, 12345678901]) expect(`${before}${seq}${after}`).toBe(entryContent(seq, e));
    // What login_succeeded computes: sha256(prev_hash || '\n' || before || seq || after).
    const inDatabase = createHash('sha256').update(`${GENESIS_HASH}\n${before}1${after}`, 'utf8').digest('hex');
    expect(inDatabase).toBe(e.hash);
  });
});
