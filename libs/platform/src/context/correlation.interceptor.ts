import { CallHandler, ExecutionContext, Logger, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { Observable, tap } from 'rxjs';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { readHeader } from '../bus/bus-headers';
import { busHandlerDuration, secondsSince } from '../metrics/metrics';
import { CORRELATION_HEADER, newCorrelationId, runWithContext, sanitizeCorrelationId } from './request-context';

/**
 * Runs each bus handler inside the caller's correlation id, so its log lines and onward
 * calls carry it, and writes one access-log line per message (subject, outcome, time).
 */
export class CorrelationInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Bus');

  constructor(private readonly service: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc().getContext<NatsContext>();
    const headers = typeof rpc?.getHeaders === 'function' ? rpc.getHeaders() : undefined;
    const subject = typeof rpc?.getSubject === 'function' ? rpc.getSubject() : undefined;
    const correlationId = sanitizeCorrelationId(readHeader(headers, CORRELATION_HEADER)) ?? newCorrelationId();
    const started = process.hrtime.bigint();
    const pattern = patternOf(context);
    const done = (outcome: 'ok' | 'error', code?: string) => {
      const seconds = secondsSince(started);
      // The handler's pattern, not the wire subject: bounded (no test or tenant prefix).
      busHandlerDuration.observe({ service: this.service, subject: pattern ?? 'unknown', outcome }, seconds);
      this.logger.log({ msg: 'bus message handled', subject, outcome, code, ms: Math.round(seconds * 1000) });
    };
    return new Observable((subscriber) =>
      runWithContext({ correlationId, service: this.service }, () =>
        next
          .handle()
          .pipe(tap({ complete: () => done('ok'), error: (err: { code?: string }) => done('error', err?.code) }))
          .subscribe(subscriber),
      ),
    );
  }
}

/** The subject pattern the handler was declared for (@MessagePattern), if a plain string. */
function patternOf(context: ExecutionContext): string | undefined {
  const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, context.getHandler());
  const first: unknown = Array.isArray(patterns) ? patterns[0] : patterns;
  return typeof first === 'string' ? first : undefined;
}
