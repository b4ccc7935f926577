// Test support: writes ZIP archives byte by byte, including the hostile ones no honest tool
// makes (headers that lie about sizes, names without the UTF-8 flag, `../` names) so the
// reader's refusals are tested against real bytes. Not used by production code.
import { deflateSync } from 'fflate';
import { crc32 } from '../zip/crc32';
import { readCentralDirectory } from '../zip/central-directory';
import { readEntry } from '../zip/inflate-entry';

export interface CraftEntry {
  name: string;
  data: Uint8Array | string;
  /** 8 (deflate, default) or 0 (stored). */
  method?: 0 | 8;
  /** Raw bytes of the name, for names in a legacy code page; overrides `name`. */
  rawName?: Uint8Array;
  /** Sets the UTF-8 flag; defaults to "name is not ASCII". */
  utf8Flag?: boolean;
  /** Pre-compressed deflate data (e.g. a bomb made by streaming); `data` is then ignored. */
  compressed?: { bytes: Uint8Array; size: number; crc: number };
  /** Lie about the uncompressed size in both headers. */
  claimedSize?: number;
}

export function craftZip(entries: CraftEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = entry.rawName ?? new TextEncoder().encode(entry.name);
    const { stored, size, crc, method } = encode(entry);
    const utf8 = entry.utf8Flag ?? [...entry.name].some((char) => char.charCodeAt(0) > 0x7f);
    const fields = {
      flags: utf8 ? 0x0800 : 0,
      method,
      crc,
      compressed: stored.length,
      size: entry.claimedSize ?? size,
      nameLength: name.length,
    };
    const local = header(0x04034b50, fields, offset, false);
    parts.push(local, name, stored);
    central.push(header(0x02014b50, fields, offset, true), name);
    offset += local.length + name.length + stored.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  return concat([...parts, ...central, new Uint8Array(end.buffer)]);
}

function encode(entry: CraftEntry): { stored: Uint8Array; size: number; crc: number; method: number } {
  if (entry.compressed)
    return { stored: entry.compressed.bytes, size: entry.compressed.size, crc: entry.compressed.crc, method: 8 };
  const data = typeof entry.data === 'string' ? new TextEncoder().encode(entry.data) : entry.data;
  const method = entry.method ?? 8;
  return { stored: method === 8 ? deflateSync(data) : data, size: data.length, crc: crc32(data), method };
}

type HeaderFields = {
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  nameLength: number;
};

function header(signature: number, f: HeaderFields, offset: number, isCentral: boolean): Uint8Array {
  const view = new DataView(new ArrayBuffer(isCentral ? 46 : 30));
  const shift = isCentral ? 2 : 0; // the central record has "version made by" first
  view.setUint32(0, signature, true);
  if (isCentral) view.setUint16(4, 20, true);
  view.setUint16(4 + shift, 20, true);
  view.setUint16(6 + shift, f.flags, true);
  view.setUint16(8 + shift, f.method, true);
  view.setUint32(14 + shift, f.crc, true);
  view.setUint32(18 + shift, f.compressed, true);
  view.setUint32(22 + shift, f.size, true);
  view.setUint16(26 + shift, f.nameLength, true);
  if (isCentral) view.setUint32(42, offset, true);
  return new Uint8Array(view.buffer);
}

/** Every entry of an archive, inflated, in order: the raw material for altered copies. */
export function unpack(bytes: Uint8Array): CraftEntry[] {
  const budget = { maxEntryBytes: 1 << 30, maxTotalBytes: 1 << 30, usedBytes: 0 };
  return readCentralDirectory(bytes).map((entry) => ({ name: entry.name, data: readEntry(bytes, entry, budget) }));
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
