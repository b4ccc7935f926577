// sha256 in Node and in the browser alike, including pages served over plain http where
// WebCrypto's subtle API is missing; @noble/hashes is audited and has no dependencies.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
