import { CallHandler, ExecutionContext, Logger, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { CommonErrorCodes } from '@app/contracts';
import { Observable } from 'rxjs';
import { ACTOR_ASSERTION_HEADER, ActorAssertionError, ActorAssertionVerifier } from '../bus/actor-assertion';
import { readHeader } from '../bus/bus-headers';
import { DomainError } from '../errors/domain-error';
import { currentContext } from './request-context';

/**
 * Every service's check, before validation and before any handler: a message whose payload
 * carries an `actor` must come with an actor assertion that is authentic (the gateway's key),
 * current, and asserts exactly that actor. Anything else is refused — 401 for a missing, forged
 * or expired assertion, 403 for an actor other than the asserted one — so whoever can publish
 * on the bus still cannot act as somebody else. Messages without an actor (system requests,
 * outbox deliveries) need none; every request type that authorises by actor requires the field,
 * so such a handler cannot be reached without it.
 *
 * The verified assertion becomes the context's: calls this handler makes for the same actor
 * forward it. Runs inside the CorrelationInterceptor's context.
 */
export class ActorAssertionInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Bus');

  constructor(private readonly verifier: ActorAssertionVerifier) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const data: unknown = context.switchToRpc().getData();
    if (!data || typeof data !== 'object' || !('actor' in data)) return next.handle();
    const rpc = context.switchToRpc().getContext<NatsContext>();
    const headers = typeof rpc?.getHeaders === 'function' ? rpc.getHeaders() : undefined;
    const assertion = readHeader(headers, ACTOR_ASSERTION_HEADER);
    try {
      this.verifier.verifyFor((data as { actor: unknown }).actor, assertion);
    } catch (err) {
      const problem = err instanceof ActorAssertionError ? err.problem : 'malformed';
      const subject = typeof rpc?.getSubject === 'function' ? rpc.getSubject() : undefined;
      // The problem and the subject only: never the assertion itself.
      this.logger.warn({ msg: 'actor assertion refused', subject, problem });
      throw problem === 'mismatch'
        ? new DomainError(CommonErrorCodes.FORBIDDEN, '请求中的操作人与身份断言不符')
        : new DomainError(CommonErrorCodes.UNAUTHENTICATED, '身份断言缺失、无效或已过期，请重新登录后再试');
    }
    const store = currentContext();
    if (store) store.actorAssertion = () => assertion!;
    return next.handle();
  }
}
