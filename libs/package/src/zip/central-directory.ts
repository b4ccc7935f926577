// Reads a ZIP's central directory without trusting it: every offset and size is checked
// against the real bytes, local headers must agree with it, entries may not overlap (the
// overlapping-entry zip bomb), and names must be ASCII or UTF-8 — or, without the UTF-8 flag,
// are left for the reader to match against the manifest in the Chinese Windows code page
// (legacyName). Nothing is inflated here; see inflate-entry.ts.
import { PackageError } from '../errors';
import { latin1 } from './latin1';

export interface ZipEntry {
  name: string;
  flags: number;
  /** 0 stored, 8 deflated. */
  method: number;
  crc32: number;
  compressedSize: number;
  /** As the header CLAIMS; the inflater checks it, never relies on it. */
  uncompressedSize: number;
  localHeaderOffset: number;
  dataOffset: number;
  /** The name's bytes as stored, to compare with the local header. */
  rawName: Uint8Array;
  /**
   * Set when the name is not valid UTF-8 and carries no UTF-8 flag (re-zipped on Chinese
   * Windows: CP936/GBK). `name` is then the bytes as Latin-1, a placeholder only: the reader
   * decodes the name as CP936 and keeps it when it is a path the manifest lists.
   */
  legacyName?: boolean;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const FLAG_ENCRYPTED = 0x0001;
export const FLAG_UTF8 = 0x0800;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readCentralDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(bytes, view);
  const count = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  if (
    view.getUint16(eocd + 4, true) !== 0 ||
    view.getUint16(eocd + 6, true) !== 0 ||
    view.getUint16(eocd + 8, true) !== count
  ) {
    throw unsupported('分卷压缩的ZIP文件');
  }
  if (count === 0xffff || offset === 0xffffffff || size === 0xffffffff) throw unsupported('ZIP64格式');
  if (offset + size > eocd) throw corrupt('目录区超出了文件范围', { offset, size });
  const entries: ZipEntry[] = [];
  let position = offset;
  for (let i = 0; i < count; i += 1) {
    const entry = readCentralEntry(bytes, view, position, offset + size);
    position = entry.next;
    entries.push(entry.entry);
  }
  checkNoDuplicates(entries);
  checkLocalHeaders(bytes, view, entries, offset);
  checkNoOverlap(entries);
  return entries;
}

function findEndOfCentralDirectory(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at -= 1) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_SIZE + view.getUint16(at + 20, true) <= bytes.length)
      return at;
  }
  const looksLikeZip = bytes.length >= 4 && view.getUint32(0, true) === LOCAL_SIGNATURE;
  if (looksLikeZip) throw corrupt('找不到ZIP目录区，文件不完整（可能下载或拷贝时被截断）');
  throw new PackageError(
    'NOT_A_ZIP',
    '上传的文件既不是离线填报工具生成的上报文件（.zip），也不是Excel文件：请选择上报文件，或填好的Excel模板（.xlsx或.xls）',
  );
}

function readCentralEntry(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  end: number,
): { entry: ZipEntry; next: number } {
  if (at + CENTRAL_SIZE > end || view.getUint32(at, true) !== CENTRAL_SIGNATURE)
    throw corrupt('目录区记录损坏', { offset: at });
  const flags = view.getUint16(at + 8, true);
  const method = view.getUint16(at + 10, true);
  const nameLength = view.getUint16(at + 28, true);
  const next = at + CENTRAL_SIZE + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  if (next > end) throw corrupt('目录区记录超出范围', { offset: at });
  const rawName = bytes.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
  const { name, legacy } = decodeName(rawName, flags);
  const entry: ZipEntry = {
    name,
    flags,
    method,
    crc32: view.getUint32(at + 16, true),
    compressedSize: view.getUint32(at + 20, true),
    uncompressedSize: view.getUint32(at + 24, true),
    localHeaderOffset: view.getUint32(at + 42, true),
    dataOffset: 0,
    rawName,
    ...(legacy ? { legacyName: true } : {}),
  };
  if (flags & FLAG_ENCRYPTED) throw unsupported(`加密的文件“${name}”`);
  if (method !== 0 && method !== 8) throw unsupported(`“${name}”使用了不支持的压缩方式（${method}）`);
  if (
    entry.compressedSize === 0xffffffff ||
    entry.uncompressedSize === 0xffffffff ||
    entry.localHeaderOffset === 0xffffffff
  ) {
    throw unsupported('ZIP64格式');
  }
  return { entry, next };
}

/**
 * Names are ASCII or UTF-8. Our writer sets the language-encoding flag; Info-ZIP and macOS
 * write UTF-8 without it, which we accept (the hash check then names what was edited). A
 * name without the flag that is not valid UTF-8 (GBK from a zip tool on Chinese Windows) is
 * marked `legacy` for the reader to match against the manifest; one WITH the flag is refused.
 */
function decodeName(raw: Uint8Array, flags: number): { name: string; legacy: boolean } {
  if (raw.every((byte) => byte < 0x80)) return { name: latin1(raw), legacy: false };
  try {
    return { name: utf8.decode(raw), legacy: false };
  } catch {
    if (!(flags & FLAG_UTF8)) return { name: latin1(raw), legacy: true };
    throw new PackageError('ENTRY_NAME_NOT_UTF8', '上报文件中有文件名标明为UTF-8编码，却不是有效的UTF-8', {
      rawName: latin1(raw),
    });
  }
}

/** Each local header must exist, carry the same name, and its data must end before the directory. */
function checkLocalHeaders(bytes: Uint8Array, view: DataView, entries: ZipEntry[], directoryOffset: number): void {
  for (const entry of entries) {
    const at = entry.localHeaderOffset;
    if (at + LOCAL_SIZE > directoryOffset || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
      throw corrupt(`找不到“${entry.name}”的数据`, { entry: entry.name });
    }
    const nameLength = view.getUint16(at + 26, true);
    const localName = bytes.subarray(at + LOCAL_SIZE, at + LOCAL_SIZE + nameLength);
    if (localName.length !== entry.rawName.length || localName.some((byte, i) => byte !== entry.rawName[i])) {
      throw corrupt(`“${entry.name}”的文件头与目录不一致`, { entry: entry.name });
    }
    entry.dataOffset = at + LOCAL_SIZE + nameLength + view.getUint16(at + 28, true);
    if (entry.dataOffset + entry.compressedSize > directoryOffset) {
      throw corrupt(`“${entry.name}”的数据不完整（文件可能被截断）`, { entry: entry.name });
    }
  }
}

function checkNoDuplicates(entries: ZipEntry[]): void {
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name))
      throw new PackageError('ENTRY_DUPLICATE', `上报文件中“${name}”出现了两次，无法确定以哪个为准`, { entry: name });
    seen.add(name);
  }
}

function checkNoOverlap(entries: ZipEntry[]): void {
  const ordered = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < ordered.length; i += 1) {
    const previous = ordered[i - 1];
    if (ordered[i].localHeaderOffset < previous.dataOffset + previous.compressedSize) {
      throw corrupt(`“${ordered[i].name}”与“${previous.name}”的数据重叠`, { entry: ordered[i].name });
    }
  }
}

function corrupt(reason: string, details: Record<string, unknown> = {}): PackageError {
  return new PackageError('ZIP_CORRUPT', `上报文件已损坏：${reason}。请重新生成或重新拷贝上报文件`, {
    reason,
    ...details,
  });
}

function unsupported(what: string): PackageError {
  return new PackageError('ZIP_UNSUPPORTED', `上报文件使用了不支持的格式：${what}。请直接上报离线填报工具生成的文件`, {
    what,
  });
}
