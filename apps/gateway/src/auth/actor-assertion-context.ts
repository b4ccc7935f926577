import { Injectable } from '@nestjs/common';
import { AccessTokenClaims } from '@app/contracts';
import { ActorAssertionSigner, currentContext } from '@app/platform/core';
import { actorFromClaims } from './current-actor';

/**
 * Once the JwtAuthGuard has verified the caller's token and admitted the caller: every bus
 * request this HTTP request makes for the caller carries an actor assertion, taken at the moment
 * of the call (so a long upload does not outlive it) for exactly the actor the routes build
 * (`@CurrentActor()`): one signed for this actor less than ACTOR_ASSERTION_REUSE_MS ago, else a
 * new one. Public routes and anonymous callers get none. (Armed by the guard rather than by an
 * interceptor: Nest wraps every interceptor of every request in an async resource and two
 * observables.)
 */
@Injectable()
export class ActorAssertionContext {
  constructor(private readonly signer: ActorAssertionSigner) {}

  arm(user: AccessTokenClaims): void {
    const store = currentContext();
    if (!store) return;
    const actor = actorFromClaims(user);
    store.actorAssertion = () => this.signer.assertionFor(actor);
  }
}
