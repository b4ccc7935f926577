import { Logger } from '@nestjs/common';
import { CORRELATION_HEADER, httpRequestDuration, secondsSince } from '@app/platform/core';
import type { NextFunction, Request, Response } from 'express';

/** What one finished request leaves in the access log and the HTTP histogram. */
export interface AccessEntry {
  method: string;
  /** The path as asked, without its query string (which is never logged). */
  path: string;
  /** The route template (`/api/v1/imports/:id`), or `unmatched`: the histogram's bounded label. */
  route: string;
  status: number;
  ms: number;
  /** Bytes of the body sent (after compression). */
  bytes: number;
  /** The authenticated account, if any (the token itself is never logged). */
  userId?: string;
  requestId?: string;
}

const logger = new Logger('Access');

/**
 * One access-log line per HTTP request (JSON: method, path, route, status, ms, bytes, user id,
 * request id) and one observation of gsr_http_request_duration_seconds. Mounted first, so the
 * bytes counted are those on the wire (after compression) and every request is seen, refused
 * ones included. Nothing from headers, query or body is logged: no token, no password.
 */
export function accessLog(write: (entry: AccessEntry) => void = (entry) => logger.log(accessLine(entry))) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let bytes = 0;
    const count = (chunk: unknown, encoding?: unknown) => {
      if (typeof chunk === 'string')
        bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
    };
    const write0 = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end0 = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((...args: unknown[]) => {
      count(args[0], args[1]);
      return write0(...args);
    }) as Response['write'];
    res.end = ((...args: unknown[]) => {
      if (typeof args[0] !== 'function') count(args[0], args[1]);
      return end0(...args);
    }) as Response['end'];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = secondsSince(started);
      const route = routeTemplate(req);
      const status = res.headersSent || res.writableFinished ? res.statusCode : 499;
      httpRequestDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const requestId = res.getHeader(CORRELATION_HEADER);
      const user = (req as Request & { user?: { sub?: unknown } }).user;
      write({
        method: req.method,
        path: pathOnly(req.originalUrl ?? req.url),
        route,
        status,
        ms: Math.round(seconds * 1e4) / 10,
        bytes,
        ...(typeof user?.sub === 'string' && { userId: user.sub }),
        ...(typeof requestId === 'string' && { requestId }),
      });
    };
    res.once('finish', finish);
    // The client went away before the answer was sent: logged too (status 499).
    res.once('close', finish);
    next();
  };
}

/** The JSON fields of the access line (the logger adds time, level, service, correlationId). */
export function accessLine(entry: AccessEntry): Record<string, unknown> {
  return { msg: 'http request', ...entry };
}

/** The path without the query string: a query may carry anything, so none of it is logged. */
export function pathOnly(url: string): string {
  const cut = url.search(/[?#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  // Bounded: a path is not a place to store a document.
  return path.length > 300 ? `${path.slice(0, 300)}…` : path;
}

/** The matched route's template (bounded label), `unmatched` for anything no route took. */
export function routeTemplate(req: Pick<Request, 'baseUrl'> & { route?: { path?: unknown } }): string {
  const path = req.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${path}` || '/';
}
