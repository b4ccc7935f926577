import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { AccessTokenClaims } from '@app/contracts';
import { ActorAssertionSigner, currentContext } from '@app/platform';
import { Observable } from 'rxjs';
import { actorFromClaims } from './current-actor';

/**
 * After the JwtAuthGuard has verified the caller's token: every bus request this HTTP request
 * makes for the caller carries an actor assertion, taken at the moment of the call (so a long
 * upload does not outlive it) for exactly the actor the routes build (`@CurrentActor()`): one
 * signed for this actor less than ACTOR_ASSERTION_REUSE_MS ago, else a new one.
 * Public routes and anonymous callers get none.
 */
@Injectable()
export class ActorAssertionContext implements NestInterceptor {
  constructor(private readonly signer: ActorAssertionSigner) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = context.switchToHttp().getRequest<{ user?: AccessTokenClaims }>().user;
    const store = currentContext();
    if (user && store) {
      const actor = actorFromClaims(user);
      store.actorAssertion = () => this.signer.assertionFor(actor);
    }
    return next.handle();
  }
}
