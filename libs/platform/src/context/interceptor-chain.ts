import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { defer, from, isObservable, mergeAll, Observable } from 'rxjs';

/**
 * Several interceptors in one slot of Nest's chain, the first outermost. Nest wraps every
 * interceptor it is given, on every message, in an async resource and two observables; a bus
 * message goes through the chain in one. Each one's `next.handle()` is deferred to its
 * subscription, as Nest's is; the interceptors here subscribe where they call it, so the next
 * one runs in the request context of the one before (which Nest ensures by binding instead).
 */
export class InterceptorChain implements NestInterceptor {
  constructor(private readonly interceptors: readonly NestInterceptor[]) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handleFrom = (i: number): Observable<unknown> => {
      if (i === this.interceptors.length) return next.handle();
      const handled = this.interceptors[i].intercept(context, { handle: () => defer(() => handleFrom(i + 1)) });
      return isObservable(handled) ? handled : from(handled).pipe(mergeAll());
    };
    return handleFrom(0);
  }
}
