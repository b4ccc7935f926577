import { CallHandler, ExecutionContext, Logger, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { Observable, tap } from 'rxjs';
import { readHeader } from '../bus/bus-headers';
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
    const started = Date.now();
    const done = (outcome: string, code?: string) =>
      this.logger.log({ msg: 'bus message handled', subject, outcome, code, ms: Date.now() - started });
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
