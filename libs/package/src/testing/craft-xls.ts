// Test support: Excel 97–2003 (.xls) files written by SheetJS's BIFF8 writer, and the byte
// surgery that turns them into the crafted files no honest tool makes (a DIMENSIONS record
// claiming the whole sheet, a sector chain that loops back on itself). Not used by production code.
import * as XLSX from '@e965/xlsx';

/** An .xlsx (e.g. writeTemplate's) saved as .xls, as "另存为 Excel 97-2003 工作簿" does. */
export function xlsxToXls(xlsx: Uint8Array): Uint8Array {
  const workbook = XLSX.read(xlsx, { type: 'array' });
  return new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'biff8' }) as ArrayBuffer);
}

/** An .xls (or, with `bookType`, another format) of the given sheets, each an array of rows. */
export function workbookOf(sheets: [string, unknown[][]][], bookType: XLSX.BookType = 'biff8'): Uint8Array {
  const workbook = XLSX.utils.book_new();
  for (const [name, rows] of sheets) XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), name);
  return new Uint8Array(XLSX.write(workbook, { type: 'array', bookType }) as ArrayBuffer);
}

/** An OLE2 compound file holding the named streams (a Word document, an encrypted .xlsx). */
export function compoundFile(streams: Record<string, string>): Uint8Array {
  const container = XLSX.CFB.utils.cfb_new();
  for (const [name, content] of Object.entries(streams))
    XLSX.CFB.utils.cfb_add(container, `/${name}`, new TextEncoder().encode(content));
  return new Uint8Array(XLSX.CFB.write(container, { type: 'array' }) as ArrayLike<number>);
}

/** Every DIMENSIONS record (0x0200) claims 65,536 rows × 256 columns. */
export function claimHugeDimensions(xls: Uint8Array): Uint8Array {
  const copy = xls.slice();
  const view = new DataView(copy.buffer);
  let patched = 0;
  for (let at = 0; at + 18 <= copy.length; at += 1) {
    if (view.getUint16(at, true) === 0x0200 && view.getUint16(at + 2, true) === 14) {
      view.setUint32(at + 8, 0x10000, true);
      view.setUint16(at + 14, 256, true);
      patched += 1;
    }
  }
  if (patched === 0) throw new Error('no DIMENSIONS record found');
  return copy;
}

/** The Workbook stream's third sector points back to its first: a sector chain without end. */
export function loopWorkbookChain(xls: Uint8Array): Uint8Array {
  const copy = xls.slice();
  const view = new DataView(copy.buffer);
  const sector = (n: number) => (n + 1) * 512;
  const directory = view.getUint32(48, true);
  const firstFatSector = view.getUint32(76, true);
  for (let entry = 0; entry < 4; entry += 1) {
    const at = sector(directory) + entry * 128;
    const nameBytes = view.getUint16(at + 64, true);
    const name = String.fromCharCode(
      ...Array.from({ length: Math.max(0, nameBytes / 2 - 1) }, (_, i) => view.getUint16(at + i * 2, true)),
    );
    if (name !== 'Workbook') continue;
    const start = view.getUint32(at + 116, true);
    view.setUint32(sector(firstFatSector) + (start + 2) * 4, start, true);
    return copy;
  }
  throw new Error('no Workbook stream found');
}
