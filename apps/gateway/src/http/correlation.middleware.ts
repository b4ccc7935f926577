import { CORRELATION_HEADER, newCorrelationId, runWithContext, sanitizeCorrelationId } from '@app/platform/core';
import type { NextFunction, Request, Response } from 'express';

/**
 * Gives each HTTP request a correlation id (the caller's `X-Correlation-Id` if it is
 * plain, else a new one), echoes it in the response and runs the request inside it, so
 * every log line and bus call it causes carries the same id.
 */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = sanitizeCorrelationId(req.header(CORRELATION_HEADER)) ?? newCorrelationId();
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithContext({ correlationId, service: 'gateway' }, next);
}
