import { detect } from 'chardet';
import * as iconv from 'iconv-lite';

/** Where the charset a page was decoded with came from. */
export type CharsetSource = 'bom' | 'header' | 'meta' | 'sniff' | 'default';

export interface DecodedPage {
  text: string;
  /** The charset used, as iconv-lite names it (e.g. `gb18030`, `utf-8`, `big5`). */
  charset: string;
  source: CharsetSource;
}

/** How far into the body a `<meta charset>` is looked for (the HTML standard's prescan reads 1024 bytes; many sites put it later). */
const META_SCAN_BYTES = 4096;

/**
 * The charset names pages use, mapped onto what iconv-lite decodes. GB2312 and GBK pages are
 * decoded as GB18030, their superset: a GB2312 label on a page that uses GBK characters (common)
 * then still decodes; likewise Big5 as Big5-HKSCS.
 */
function normalizeCharset(label: string | undefined | null): string | null {
  if (!label) return null;
  const name = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  const aliases: Record<string, string> = {
    gb2312: 'gb18030',
    gbk: 'gb18030',
    'x-gbk': 'gb18030',
    gb_2312: 'gb18030',
    'gb_2312-80': 'gb18030',
    cp936: 'gb18030',
    'x-euc-cn': 'gb18030',
    'euc-cn': 'gb18030',
    hz: 'gb18030',
    big5: 'big5hkscs',
    'big5-hkscs': 'big5hkscs',
    'x-x-big5': 'big5hkscs',
    'iso-8859-1': 'windows-1252', // what browsers do
    'us-ascii': 'utf-8',
    ascii: 'utf-8',
    utf8: 'utf-8',
  };
  const mapped = aliases[name] ?? name;
  return iconv.encodingExists(mapped) ? mapped : null;
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return match ? match[2] : null;
}

/**
 * The charset a page declares in its head: `<meta charset="gbk">` or
 * `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`. This only reads the
 * label (ASCII in every charset pages use); decoding is iconv-lite's.
 */
export function charsetFromMeta(body: Buffer): string | null {
  const head = body.subarray(0, META_SCAN_BYTES).toString('latin1');
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(tag);
    if (direct) return direct[1];
  }
  return null;
}

function fromBom(body: Buffer): string | null {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Decodes a page: by its byte-order mark, then the Content-Type header's charset, then the
 * `<meta>` charset, then sniffing (chardet) and finally UTF-8. A label iconv-lite does not
 * know is skipped, as a browser would.
 */
export function decodePage(body: Buffer, contentType?: string): DecodedPage {
  const candidates: Array<[CharsetSource, () => string | null]> = [
    ['bom', () => fromBom(body)],
    ['header', () => normalizeCharset(charsetFromContentType(contentType))],
    ['meta', () => normalizeCharset(charsetFromMeta(body))],
    ['sniff', () => normalizeCharset(detect(body.subarray(0, 64 * 1024)))],
  ];
  for (const [source, find] of candidates) {
    const charset = find();
    if (charset) return { text: iconv.decode(body, charset), charset, source };
  }
  return { text: iconv.decode(body, 'utf-8'), charset: 'utf-8', source: 'default' };
}
