import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { lastValueFrom, Observable, of, tap } from 'rxjs';
import { InterceptorChain } from './interceptor-chain';
import { currentContext, runWithContext } from './request-context';

const context = {} as ExecutionContext;

/** Opens a request context around what follows, and records how the rest ended. */
class Outer implements NestInterceptor {
  readonly outcomes: string[] = [];
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return new Observable((subscriber) =>
      runWithContext({ correlationId: 'c-1' }, () =>
        next
          .handle()
          .pipe(
            tap({
              complete: () => this.outcomes.push('ok'),
              error: (err: Error) => this.outcomes.push(`error: ${err.message}`),
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}

/** Reads the context the outer one opened; refuses when told to, before the handler. */
class Inner implements NestInterceptor {
  seen: string | undefined;
  constructor(private readonly refuse = false) {}
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.seen = currentContext()?.correlationId;
    if (this.refuse) throw new Error('refused');
    return next.handle();
  }
}

describe('InterceptorChain', () => {
  it('runs each interceptor inside the one before it, then the handler', async () => {
    const [outer, inner] = [new Outer(), new Inner()];
    let handled: string | undefined;
    const handler: CallHandler = {
      handle: () => of(null).pipe(tap(() => (handled = currentContext()?.correlationId))),
    };
    await lastValueFrom(new InterceptorChain([outer, inner]).intercept(context, handler));
    expect([inner.seen, handled, outer.outcomes]).toEqual(['c-1', 'c-1', ['ok']]);
  });

  it('lets an inner refusal reach the outer interceptor as an error, without calling the handler', async () => {
    const [outer, inner] = [new Outer(), new Inner(true)];
    const handler = { handle: jest.fn(() => of('answer')) };
    await expect(lastValueFrom(new InterceptorChain([outer, inner]).intercept(context, handler))).rejects.toThrow(
      'refused',
    );
    expect(handler.handle).not.toHaveBeenCalled();
    expect(outer.outcomes).toEqual(['error: refused']);
  });
});
