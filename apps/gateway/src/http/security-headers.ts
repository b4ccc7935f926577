import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OFFLINE_CLIENT_HTML } from '@app/package/offline-client';
import { projectRoot, webDistDir } from '../web/web-root';

/** HSTS for a year, sent only on answers that went out over TLS (see securityHeaders). */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** API answers that hold nothing personal and may be cached: the form's schema, the API's own docs. */
const CACHEABLE_API = [/^\/api\/v1\/public\/form-schema(\?|$)/, /^\/api\/docs/];

/**
 * The headers every answer carries (helmet):
 * - CSP: the console and the offline client are single self-contained HTML files, so
 *   everything is `'self'`; their one inline script each is allowed by its sha256 hash (read
 *   from the built files), no other inline script runs. Styles may be inline (React sets style
 *   attributes); images and fonts may be data: URLs; the client's package download is a blob:.
 *   `frame-ancestors 'none'`: no page of ours is ever framed.
 * - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`.
 * - HSTS only when the request came over TLS — directly or via a trusted proxy's
 *   X-Forwarded-Proto (`req.secure`); over plain HTTP it would be ignored or, behind a
 *   misconfigured proxy, pin a host that has no TLS.
 * - `Cache-Control: no-store` on every /api/v1 answer (tokens, personal data) except the
 *   public static ones; a route that sets its own Cache-Control keeps it.
 */
export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", () => inlineScriptHashes().join(' ')],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true });
  return [
    headers,
    (req: Request, res: Response, next: NextFunction) => (req.secure ? hsts(req, res, next) : next()),
    noStoreOnApi,
  ];
}

function noStoreOnApi(req: Request, res: Response, next: NextFunction): void {
  const url = req.originalUrl;
  if (url.startsWith('/api/') && !CACHEABLE_API.some((pattern) => pattern.test(url))) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
  next();
}

interface PageHashes {
  stamp: string;
  hashes: string[];
  checkedAt: number;
}

/** How often a page file is looked at again: every request carries the CSP, so not on each one. */
const RECHECK_MS = 1000;
const cache = new Map<string, PageHashes>();

/** `'sha256-…'` of every inline script of the built console and offline client. */
export function inlineScriptHashes(): string[] {
  const pages = [join(webDistDir(), 'index.html'), join(projectRoot(), OFFLINE_CLIENT_HTML)];
  return [...new Set(pages.flatMap(hashesOf))];
}

/** Re-read only when the file changed (a rebuild while the gateway runs), looked at once a second at most. */
function hashesOf(file: string): string[] {
  const now = Date.now();
  const cached = cache.get(file);
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.hashes;
  let stamp = '';
  try {
    const stat = statSync(file);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    // not built: the status page has no script
  }
  const hashes = cached?.stamp === stamp ? cached.hashes : stamp ? scriptHashes(readFileSync(file, 'utf8')) : [];
  cache.set(file, { stamp, hashes, checkedAt: now });
  return hashes;
}

/** The browser ends an inline script at the first `</script`; so does this. */
export function scriptHashes(html: string): string[] {
  const hashes: string[] = [];
  const pattern = /<script\b([^>]*)>([\s\S]*?)<\/script/gi;
  for (const match of html.matchAll(pattern)) {
    if (/\bsrc\s*=/i.test(match[1])) continue;
    hashes.push(`'sha256-${createHash('sha256').update(match[2], 'utf8').digest('base64')}'`);
  }
  return hashes;
}
