import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorEnvelope } from '@app/contracts';
import { DomainError, toEnvelope, UNAVAILABLE_RETRY_AFTER_SECONDS } from '@app/platform/core';
import type { Response } from 'express';
import { codeForHttpStatus, httpStatusFor } from './error-status';

/**
 * Every HTTP error leaves as `{code, message, details?}`: a DomainError (from this
 * gateway or from a service over the bus) with its mapped status, a 503 with `Retry-After`; Nest's and the body
 * parser's errors with a Chinese message; anything else as 500 with an error id.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.describe(exception);
    if (response.headersSent) return;
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof retryAfter === 'number' && (status === 429 || status === 423 || status === 503))
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    // A service, the bus or the database is down (or the system is still starting): worth
    // retrying, and clients and proxies are told when.
    else if (status === 503) response.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: ErrorEnvelope } {
    if (exception instanceof DomainError)
      return { status: httpStatusFor(exception.code), body: exception.toEnvelope() };
    if (exception instanceof HttpException)
      return { status: exception.getStatus(), body: codeForHttpStatus(exception.getStatus()) };
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser: malformed JSON (400), body over the limit (413), bad charset (415).
      return { status, body: codeForHttpStatus(status) };
    }
    return { status: 500, body: toEnvelope(exception, this.logger) };
  }
}
