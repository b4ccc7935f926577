import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** `attachment` with the UTF-8 name (RFC 6266 `filename*`) and an ASCII fallback. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Streams a stored file (an upload, an evidence file, a file of 文件中心) to the browser as a
 * download under its own name, byte for byte. Whatever a user uploaded is never rendered in the
 * console's origin: always an attachment, `nosniff`, and a sandboxing CSP should a browser open
 * it anyway; never cached.
 */
export async function sendStoredFile(
  res: Response,
  file: { name: string; contentType: string; size: number },
  body: Readable,
): Promise<void> {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('Content-Disposition', contentDisposition(file.name));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
  res.setHeader('Cache-Control', 'private, no-store');
  await pipeline(body, res);
}
