// The byte-level work of reading a package — inflate, CRC-32 and sha256 — behind one small
// interface, so the same reader runs in the browser (portable JavaScript) and on the server
// (Node's native zlib and crypto, see node-codec.ts: several times faster on a 5,000-form
// package). The reader's limits and refusals are the same whichever codec does the work.
import { Inflate } from 'fflate';
import { crc32 } from './zip/crc32';
import { sha256Hex } from './sha256';

/** What inflating one entry gave: its bytes, or how far it got before passing `maxBytes`. */
export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; producedBytes: number };

export interface PackageCodec {
  /**
   * Inflates raw deflate data, stopping as soon as the output passes `maxBytes` (a zip bomb
   * never gets further). Throws on data that is not valid deflate.
   */
  inflateRaw(data: Uint8Array, maxBytes: number): InflateResult;
  crc32(bytes: Uint8Array): number;
  sha256Hex(bytes: Uint8Array): string;
  /**
   * An entry name's bytes in the Chinese Windows code page (CP936/GBK), as text; null when
   * they are not valid CP936 (or this platform cannot decode it).
   */
  decodeCp936(raw: Uint8Array): string | null;
}

const MAX_DEFLATE_RATIO = 1032;
const MIN_SLICE = 256;
const MAX_SLICE = 64 * 1024;

/** Plain JavaScript (fflate, @noble/hashes): runs anywhere, the browser included. */
export const portableCodec: PackageCodec = {
  inflateRaw(data, maxBytes) {
    const chunks: Uint8Array[] = [];
    let produced = 0;
    let tooLarge = false;
    const inflater = new Inflate((chunk) => {
      produced += chunk.length;
      if (produced > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    // Compressed input goes in slices small enough that one slice can never inflate far past
    // what is left of the budget (deflate expands at most ~1032:1).
    let offset = 0;
    do {
      const slice = Math.max(MIN_SLICE, Math.min(MAX_SLICE, Math.floor((maxBytes - produced) / MAX_DEFLATE_RATIO)));
      const end = Math.min(data.length, offset + slice);
      inflater.push(data.subarray(offset, end), end === data.length);
      offset = end;
    } while (offset < data.length && !tooLarge);
    return tooLarge ? { ok: false, producedBytes: produced } : { ok: true, bytes: concat(chunks, produced) };
  },
  crc32: (bytes) => crc32(bytes),
  sha256Hex,
  decodeCp936: decodeWithPlatform,
};

let gbk: TextDecoder | null | undefined;

/**
 * The platform's own GBK decoder (the WHATWG Encoding Standard's, in every browser): no code
 * page table in the offline client's single HTML file. Node's nodeCodec uses iconv-lite's CP936.
 */
function decodeWithPlatform(raw: Uint8Array): string | null {
  if (gbk === undefined) {
    try {
      gbk = new TextDecoder('gbk', { fatal: true });
    } catch {
      gbk = null;
    }
  }
  if (!gbk) return null;
  try {
    return gbk.decode(raw);
  } catch {
    return null;
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
