// The package codec on Node: native zlib and crypto. Kept out of the package's index so the
// browser bundle (the offline client) never sees a node: import; server code imports it as
// '@app/package/node-codec'.
import { createHash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';
import { decode } from 'iconv-lite';
import { PackageCodec } from './codec';

export const nodeCodec: PackageCodec = {
  inflateRaw(data, maxBytes) {
    try {
      // maxOutputLength: zlib itself stops one byte past the budget, so a bomb costs no more.
      const bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
      return bytes.length > maxBytes ? { ok: false, producedBytes: bytes.length } : { ok: true, bytes };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        return { ok: false, producedBytes: maxBytes + 1 };
      throw error;
    }
  },
  crc32: (bytes) => crc32(bytes),
  sha256Hex: (bytes) => createHash('sha256').update(bytes).digest('hex'),
  decodeCp936(raw) {
    // iconv-lite marks bytes that are not CP936 with U+FFFD instead of throwing.
    const text = decode(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), 'cp936');
    return text.includes('\uFFFD') ? null : text;
  },
};
