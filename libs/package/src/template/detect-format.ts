// What an uploaded file is, by its first bytes (never by its name): a ZIP (a package, an
// .xlsx workbook, or a spreadsheet format we cannot read such as .ods or .numbers), an OLE2
// compound file (Excel 97–2003 .xls, WPS .et, or a password-protected .xlsx), or anything else.
import { latin1 } from '../zip/latin1';

export type FileFormat =
  /** A ZIP that is not a workbook: an upload package (or a damaged ZIP). */
  | 'zip'
  /** Office Open XML workbook (.xlsx, .xlsm). */
  | 'xlsx'
  /** An OLE2 compound file: .xls, .et, or an encrypted .xlsx. */
  | 'ole2'
  /** OpenDocument (.ods, or another OpenDocument file). */
  | 'ods'
  /** Apple Numbers. */
  | 'numbers'
  | 'other';

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const MAX_NAMES = 4096;

export function detectFileFormat(bytes: Uint8Array): FileFormat {
  if (OLE2_MAGIC.every((byte, i) => bytes[i] === byte)) return 'ole2';
  const isZip =
    bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && bytes[3] === bytes[2] + 1;
  if (!isZip) return 'other';
  const names = zipEntryNames(bytes);
  if (names.has('xl/workbook.xml') || names.has('xl/workbook.bin')) return 'xlsx';
  if (names.has('Index/Document.iwa') || [...names].some((name) => name.startsWith('Index/'))) return 'numbers';
  if (names.has('mimetype') && names.has('content.xml')) return 'ods';
  return 'zip';
}

/**
 * The entry names of a ZIP's central directory, read leniently (as Latin-1, at most
 * MAX_NAMES): only to tell a workbook from a package. The package reader checks everything.
 */
function zipEntryNames(bytes: Uint8Array): Set<string> {
  const names = new Set<string>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at -= 1) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return names;
  const count = Math.min(view.getUint16(eocd + 10, true), MAX_NAMES);
  let at = view.getUint32(eocd + 16, true);
  for (let i = 0; i < count && at + 46 <= bytes.length; i += 1) {
    if (view.getUint32(at, true) !== CENTRAL_SIGNATURE) break;
    const nameLength = view.getUint16(at + 28, true);
    if (at + 46 + nameLength > bytes.length) break;
    names.add(latin1(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return names;
}
