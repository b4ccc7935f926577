/** Bytes as Latin-1 text (each byte one character), a chunk of code units at a time. */
export function latin1(bytes: Uint8Array): string {
  const CHUNK = 8192;
  let text = '';
  for (let at = 0; at < bytes.length; at += CHUNK)
    text += String.fromCharCode.apply(null, bytes.subarray(at, at + CHUNK) as unknown as number[]);
  return text;
}
