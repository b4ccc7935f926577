import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { readHeader } from '../bus/bus-headers';
import { CORRELATION_HEADER, newCorrelationId, runWithContext, sanitizeCorrelationId } from './request-context';

/** Runs each bus handler inside the caller's correlation id, so its log lines and onward calls carry it. */
export class CorrelationInterceptor implements NestInterceptor {
  constructor(private readonly service: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc().getContext<NatsContext>();
    const headers = typeof rpc?.getHeaders === 'function' ? rpc.getHeaders() : undefined;
    const correlationId = sanitizeCorrelationId(readHeader(headers, CORRELATION_HEADER)) ?? newCorrelationId();
    return new Observable((subscriber) => runWithContext({ correlationId, service: this.service }, () => next.handle().subscribe(subscriber)));
  }
}
